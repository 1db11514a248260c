/**
 * A configuration that timm itself refuses, or a step at which timm's arithmetic
 * raises. The HTTP layer answers it as a 422 problem with `message` as the detail.
 *
 * `pythonError` names the exception timm raises in the same situation
 * (`ValueError`, `ZeroDivisionError`, `OverflowError`, ...), so the golden vectors'
 * error cases can be checked by name; null where the service refuses what timm
 * would not be asked (a metric history too short for the run, say).
 */
export class ScheduleError extends Error {
  override readonly name = 'ScheduleError'
  constructor (
    message: string,
    readonly pythonError: string | null,
    /** The parameter at fault, as its path in the request, when one is to blame. */
    readonly path: readonly (string | number)[] = []
  ) {
    super(message)
  }
}

/**
 * A configuration that timm itself refuses, or a step at which timm's arithmetic
 * raises. The HTTP layer answers it as a 422 problem with `message` as the detail.
 *
 * `pythonError` names the exception timm raises in the same situation
 * (`ValueError`, `ZeroDivisionError`, `OverflowError`, ...), so the golden vectors'
 * error cases can be checked by name.
 */
export class ScheduleError extends Error {
  override readonly name = 'ScheduleError'
  constructor (
    message: string,
    readonly pythonError: string,
    /** The parameter at fault, as its path in the request, when one is to blame. */
    readonly path: readonly (string | number)[] = []
  ) {
    super(message)
  }
}

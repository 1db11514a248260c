/**
 * What one scheduler file defines, and the two ways a schedule is evaluated. Every
 * library's schedulers (timm, torch, transformers) are defined with
 * `defineScheduler`; the registry (`../index.ts`) lists them, and the request
 * schemas, the OpenAPI document, the GET queries, the playground's list and the
 * table-driven tests are all derived from these definitions.
 */
import type { z } from 'zod'

export type Library = 'timm' | 'torch' | 'transformers'

/** The Python that a scheduler reproduces, in its library's words. */
export interface Reference {
  readonly library: Library
  /** The class or function: `CosineLRScheduler`, `StepLR`, `get_cosine_schedule_with_warmup`. */
  readonly name: string
  /** The line that imports it: `from timm.scheduler import CosineLRScheduler`. */
  readonly importLine: string
}

/** One param group of the optimizer, as the request gives it. */
export interface ParamGroup {
  lr: number
  /** A resumed optimizer's base LR. */
  initial_lr?: number | undefined
  /** timm only: every value timm sets in this group is multiplied by it. */
  lr_scale?: number | undefined
}

/**
 * A closed form: any step in O(1), so a window costs its length whatever its start.
 * `fill` writes steps `from .. to - 1` row-major, every group of a step together:
 * `out[(t - from) * groups + g]`. NaN is never written: a value that is not a finite
 * number is thrown as a `ScheduleError` by the caller's check, not by the form.
 */
export interface ClosedSchedule {
  readonly kind: 'closed'
  readonly fill: (from: number, to: number, out: Float64Array) => void
}

/**
 * A fold over steps, for schedules that the library computes recursively (torch's
 * chainable schedulers) or that read one input per step (metrics). The value at `t`
 * is the state after construction and `t` calls of the library's `step()`, so a
 * window starting at `t` costs `t` steps before its first value.
 *
 * The state is plain data (numbers, arrays, plain objects): `structuredClone` copies
 * it, so a fold can be checkpointed and resumed in another thread.
 */
export interface FoldSchedule<State = unknown> {
  readonly kind: 'fold'
  /** The state right after the constructor: step 0. Throws `ScheduleError` where the constructor raises. */
  readonly initial: () => State
  /** One call of `step()`: the state at `t` becomes the state at `t + 1`, in place. Throws where `step()` raises. */
  readonly advance: (state: State, t: number) => void
  /** Every group's value in `state`, into `out[offset .. offset + groups)`. */
  readonly read: (state: State, out: Float64Array, offset: number) => void
}

/** A schedule that yields no value in the range asked (timm's `raw` view in the unit it does not step in). */
export interface EmptySchedule {
  readonly kind: 'empty'
}

export type Schedule = ClosedSchedule | FoldSchedule<any> | EmptySchedule

/** How a scheduler's cost grows: per value for a closed form, from step 0 for a fold. */
export type Evaluation = 'closed' | 'fold'

/** A request to a scheduler, as a client would send it: a worked example for the docs and the tests. */
export interface Example {
  readonly summary: string
  /** A `POST /v1/schedules` body without `scheduler`. */
  readonly value: Readonly<Record<string, unknown>>
}

/**
 * One scheduler. `Params` is the validated request's own fields: the scheduler's
 * parameters by the library's names, and its inputs (`metrics`), with defaults
 * filled in; the param groups come apart (`create`'s second argument).
 */
export interface SchedulerDefinition<Name extends string = string, Shape extends z.ZodRawShape = z.ZodRawShape, Params = z.output<z.ZodObject<Shape>>> {
  /** The name on the wire: `cosine` (timm), `torch.StepLR`, `transformers.linear`. */
  readonly name: Name
  readonly reference: Reference
  /** One sentence for the docs. */
  readonly summary: string
  /** zod fields: the library's parameter names, defaults, ranges and one-line descriptions. */
  readonly shape: Shape
  /** The fields of one param group (`lr`, and `initial_lr` or `lr_scale` where the library reads them). */
  readonly groupShape: z.ZodRawShape
  /** Rules across fields, reported at the field's path; `groups` is the number of param groups. */
  readonly check?: ((params: Params, ctx: z.RefinementCtx, groups: number) => void) | undefined
  readonly evaluation: Evaluation
  /** Builds the schedule; throws `ScheduleError` where the library's constructor raises. */
  readonly create: (params: Params, groups: readonly ParamGroup[]) => Schedule
  /** The steps an answer has when `count` is not given (timm's `get_cycle_length()`); without it, `count` is required. */
  readonly defaultCount?: ((params: Params) => number) | undefined
  /** The steps that exist, where the inputs end (`metrics.length + 1`); a window past them is refused. */
  readonly stepCount?: ((params: Params) => number) | undefined
  /** Refuses, before any work, a window whose cost beyond its values would be too large (timm's noise redraws). */
  readonly checkCost?: ((params: Params, start: number, count: number) => void) | undefined
  /** Notes on an answer that is right but probably not what was meant (timm yielding nothing in the unit asked). */
  readonly warnings?: ((params: Params) => string[]) | undefined
  /** The constructor call, as the library's user writes it, for the parameters given. */
  readonly python: (params: Params, groups: readonly ParamGroup[]) => string
  readonly example: Example
}

/** Any registered scheduler, whatever its parameters. */
export type AnySchedulerDefinition = SchedulerDefinition<string, z.ZodRawShape, any>

/** Types a definition (the name as a literal, the parameters from the shape) and returns it. */
export function defineScheduler<const Name extends string, Shape extends z.ZodRawShape> (
  definition: SchedulerDefinition<Name, Shape>
): SchedulerDefinition<Name, Shape> {
  return definition
}

/** A closed form from `(t, group) => lr`. */
export function closedForm (groups: number, lrAt: (t: number, group: number) => number): ClosedSchedule {
  return {
    kind: 'closed',
    fill (from, to, out) {
      let i = 0
      for (let t = from; t < to; t++) {
        for (let g = 0; g < groups; g++) out[i++] = lrAt(t, g)
      }
    }
  }
}

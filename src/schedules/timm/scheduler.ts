/**
 * What every scheduler file provides, so the registry, the evaluator and the HTTP
 * layer treat them alike.
 */
import type { z } from 'zod'
import type { NoiseParams, WarmupParams } from './params.js'

/**
 * A schedule without noise: timm's `_get_lr(t)[group]`, a pure function of the step
 * `t` and the param group's index, closed form in `t`.
 */
export type LrAt = (t: number, group: number) => number

/** What the evaluator reads of every periodic scheduler's parameters. */
export type PeriodicParams = NoiseParams & WarmupParams & { t_in_epochs: boolean }

/** A scheduler that timm steps by `t` alone (all but plateau). */
export interface PeriodicScheduler<Params extends PeriodicParams = PeriodicParams> {
  readonly kind: 'periodic'
  /** timm's class name, as `create_scheduler_v2` reports it. */
  readonly timmClass: string
  /** One sentence for the API document. */
  readonly summary: string
  /** The zod shape of timm's constructor arguments, with timm's defaults. */
  readonly shape: z.ZodRawShape
  /** Rules across fields, reported at the field's path. */
  readonly check: (params: Params, ctx: z.RefinementCtx) => void
  /**
   * Builds the schedule from validated parameters and the groups' base LRs
   * (`initial_lr`, else `lr`). Throws `ScheduleError` where timm's constructor raises.
   */
  readonly create: (params: Params, baseValues: readonly number[]) => LrAt
  /** timm's `get_cycle_length()`: the schedule's length in its own steps, where it has one. */
  readonly cycleLength?: (params: Params) => number
}

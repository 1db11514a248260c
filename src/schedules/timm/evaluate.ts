/**
 * A periodic schedule over a range of steps, in the three views of the API:
 * `raw` (timm's `_get_values`), `noisy` (after `_add_noise`) and `lr` (what the
 * optimizer's param group holds after `step(t)` / `step_update(t)`).
 */
import { checkNoiseBudget, isNoiseApplied, noiseAt } from '../../noise/noise.js'
import { ScheduleError } from '../core/errors.js'
import type { PeriodicParams, PeriodicScheduler } from './scheduler.js'
import { constructorValues } from './warmup.js'

export interface ParamGroup {
  lr: number
  /** timm multiplies every value it sets by this, where the group has one. */
  lr_scale?: number | undefined
  /** A resumed optimizer's base LR: timm's `setdefault` keeps it over `lr`. */
  initial_lr?: number | undefined
}

export type View = 'lr' | 'noisy' | 'raw'
export type Unit = 'epoch' | 'update'

export interface ScheduleRange {
  /** `epoch`: the values `step(t)` sets; `update`: the values `step_update(t)` sets. */
  unit: Unit
  start: number
  count: number
  view: View
}

/** Every group's values, or null for a group where timm yields nothing in that unit. */
export interface EvaluatedSchedule {
  initial: number[]
  values: (Float64Array | null)[]
}

/** The base LR of each group: `initial_lr` where present, else `lr`. */
export function baseValuesOf (groups: readonly ParamGroup[]): number[] {
  return groups.map((group) => group.initial_lr ?? group.lr)
}

/**
 * Evaluates `scheduler` at `start .. start + count - 1`. The scheduler yields in one
 * unit only (`t_in_epochs`), so a range in the other unit is all null for `raw` and
 * `noisy`, and the constructor's value for `lr`, as timm's param groups keep it.
 * Throws `ScheduleError` where timm would raise at one of those steps.
 */
export function evaluateSchedule<P extends PeriodicParams> (
  scheduler: PeriodicScheduler<P>,
  params: P,
  groups: readonly ParamGroup[],
  range: ScheduleRange
): EvaluatedSchedule {
  const baseValues = baseValuesOf(groups)
  const lrAt = scheduler.create(params, baseValues)
  const initial = constructorValues(groups, baseValues, params)
  const yields = (range.unit === 'epoch') === params.t_in_epochs
  if (!yields) {
    return {
      initial,
      values: range.view === 'lr' ? initial.map((value) => new Float64Array(range.count).fill(value)) : groups.map(() => null)
    }
  }
  const withNoise = range.view !== 'raw'
  if (withNoise) checkNoiseBudget(params, range.start, range.count)
  const values = groups.map(() => new Float64Array(range.count))
  const scales = groups.map((group) => group.lr_scale)
  for (let n = 0; n < range.count; n++) {
    const t = range.start + n
    const noisy = withNoise && isNoiseApplied(params.noise_range_t, t)
    const noise = noisy ? noiseAt(params, t) : 0
    for (let g = 0; g < values.length; g++) {
      let value = lrAt(t, g)
      if (noisy) value = value + value * noise
      if (range.view === 'lr' && scales[g] !== undefined) value = value * (scales[g] as number)
      if (!Number.isFinite(value)) {
        throw new ScheduleError(`the schedule reaches ${value} at t = ${t} (param group ${g}): no learning rate can be that`, 'OverflowError')
      }
      values[g][n] = value
    }
  }
  return { initial, values }
}

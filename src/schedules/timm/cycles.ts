/**
 * Where step `t` falls among the restarts of cosine, tanh and poly, which timm
 * computes with the same lines in all three (`_get_lr`), and how long the cycles
 * run (`get_cycle_length`).
 */
import type { CycleParams, WarmupParams } from './params.js'
import { floorDiv, logBase, pyFloor, pyPow } from '../core/python.js'
import { ScheduleError } from '../core/errors.js'

export interface CyclePosition {
  /** The cycle's index, from 0. */
  i: number
  /** The cycle's length. */
  t_i: number
  /** Steps since the cycle began. */
  t_curr: number
}

/**
 * Returns a locator `t => position` (`t` already past any warmup prefix):
 * - `cycle_mul == 1`: `i = t // t_initial`, `t_i = t_initial`, `t_curr = t - t_initial * i`;
 * - else `i = floor(log(1 - t / t_initial * (1 - m), m))`, `t_i = m^i * t_initial`,
 *   `t_curr = t - (1 - m^i) / (1 - m) * t_initial`.
 *
 * The locator reuses one position object, so a long schedule allocates nothing per step.
 */
export function cycleLocator (params: CycleParams): (t: number) => CyclePosition {
  const { t_initial: tInitial, cycle_mul: mul } = params
  const position: CyclePosition = { i: 0, t_i: tInitial, t_curr: 0 }
  if (mul === 1) {
    return (t) => {
      const i = floorDiv(t, tInitial)
      position.i = i
      position.t_i = tInitial
      position.t_curr = t - tInitial * i
      return position
    }
  }
  return (t) => {
    const x = 1 - t / tInitial * (1 - mul)
    if (!(x > 0)) {
      throw new ScheduleError(
        `with cycle_mul ${mul} < 1 the cycles add up to a finite length, and step ${t} lies beyond it: ` +
        `timm computes math.log(${x}, ${mul}) there and raises ValueError (math domain error). ` +
        'Ask for fewer steps, or use cycle_mul >= 1.',
        'ValueError', ['cycle_mul'])
    }
    const i = pyFloor(logBase(x, mul))
    const mulPowI = pyPow(mul, i)
    position.i = i
    position.t_i = mulPowI * tInitial
    position.t_curr = t - (1 - mulPowI) / (1 - mul) * tInitial
    return position
  }
}

/**
 * timm's `get_cycle_length()`: `t_initial * cycles` with `cycle_mul == 1`, else
 * `floor(-t_initial * (m^cycles - 1) / (1 - m))`, where `cycles = max(1, cycle_limit)`;
 * plus `warmup_t` with `warmup_prefix`.
 */
export function cycleLength (params: CycleParams & WarmupParams): number {
  const cycles = Math.max(1, params.cycle_limit)
  const mul = params.cycle_mul
  const t = mul === 1
    ? params.t_initial * cycles
    : pyFloor(-params.t_initial * (pyPow(mul, cycles) - 1) / (1 - mul))
  return params.warmup_prefix ? t + params.warmup_t : t
}

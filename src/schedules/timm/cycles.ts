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
  /** Steps since the cycle began: `t - start`. */
  t_curr: number
  /** Where the cycle began, as timm computes it: `t_initial * i`, or `(1 - m^i) / (1 - m) * t_initial`. */
  start: number
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
  const position: CyclePosition = { i: 0, t_i: tInitial, t_curr: 0, start: 0 }
  if (mul === 1) {
    return (t) => {
      const i = floorDiv(t, tInitial)
      position.i = i
      position.t_i = tInitial
      position.start = tInitial * i
      position.t_curr = t - position.start
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
    position.start = (1 - mulPowI) / (1 - mul) * tInitial
    position.t_curr = t - position.start
    return position
  }
}

/**
 * What a scheduler does with a run of steps `from .. to - 1` that lie in one cycle:
 * cycle `i`, of length `tI`, began at `start`, so `t_curr = t - start` (the very
 * expression timm evaluates, `t - t_initial * i` or
 * `t - (1 - m^i) / (1 - m) * t_initial`, with its constant part computed once).
 * Step `from`'s row begins at `out[offset]`.
 */
export type CycleRun = (i: number, tI: number, start: number, from: number, to: number, out: Float64Array, offset: number) => void

/**
 * Cuts steps `from .. to - 1` (already past any warmup prefix) into runs that lie
 * in one cycle each, in order, and calls `run` for each: the cycle is located once
 * a run, with {@link cycleLocator}'s arithmetic (and its refusal, at the step where
 * timm raises), instead of once a step.
 *
 * With `cycle_mul == 1` a cycle ends where `t // t_initial` changes, at the next
 * multiple of `t_initial`. Otherwise the cycle index `floor(log(1 - t / t_initial *
 * (1 - m), m))` is computed as timm computes it, whose rounding decides on which
 * step a cycle ends; every operation in it is monotonic in `t` (for `m > 1` and for
 * `m < 1` alike: the log and the divisor change sign together), so the index never
 * decreases, and a cycle's last step is found by a search from the cycle's
 * arithmetic end, evaluating the index at a few steps.
 * `groups` is the number of values a step has (how far apart the rows are).
 */
export function forEachCycle (params: CycleParams, groups: number, from: number, to: number, out: Float64Array, offset: number, run: CycleRun): void {
  const { t_initial: tInitial, cycle_mul: mul } = params
  if (mul === 1) {
    for (let t = from, i = floorDiv(from, tInitial); t < to; i++) {
      const start = tInitial * i
      const end = Math.min(to, start + tInitial)
      run(i, tInitial, start, t, end, out, offset + (t - from) * groups)
      t = end
    }
    return
  }
  const locate = cycleLocator(params)
  const indexAt = (t: number): number => {
    const x = 1 - t / tInitial * (1 - mul)
    // Where timm raises: past every cycle, as if in a cycle of its own.
    return x > 0 ? Math.floor(logBase(x, mul)) : Infinity
  }
  for (let t = from; t < to;) {
    const { i, t_i: tI, start } = locate(t)
    // A hint only (Math.pow never raises): where the next cycle begins.
    const end = runEnd(indexAt, i, t, to, (1 - Math.pow(mul, i + 1)) / (1 - mul) * tInitial)
    run(i, tI, start, t, end, out, offset + (t - from) * groups)
    t = end
  }
}

/**
 * The first step after `t` (whose cycle index is `i`) with another index, or `to`
 * if none before it; `guess` is where the cycle ends in exact arithmetic.
 */
function runEnd (indexAt: (t: number) => number, i: number, t: number, to: number, guess: number): number {
  // Invariant: indexAt(lo) === i, and hi === to or indexAt(hi) !== i.
  let lo = t
  let hi = to
  const g = Math.ceil(guess)
  if (g > lo && g < hi) {
    if (indexAt(g) === i) lo = g
    else hi = g
    // The guess is off by a step or so at most: look right beside it first.
    if (hi === g && g - 1 > lo) {
      if (indexAt(g - 1) === i) lo = g - 1
      else hi = g - 1
    } else if (lo === g && g + 1 < hi) {
      if (indexAt(g + 1) === i) lo = g + 1
      else hi = g + 1
    }
  }
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2)
    if (indexAt(mid) === i) lo = mid
    else hi = mid
  }
  return hi
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

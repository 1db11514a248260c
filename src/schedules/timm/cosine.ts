/**
 * timm's `CosineLRScheduler`: cosine annealing with warm restarts (SGDR,
 * arXiv 1608.03983) and k-decay.
 */
import { z } from 'zod'
import { cos } from '../../math/index.js'
import { cycleLength, cycleLocator } from './cycles.js'
import { checkNoise, cycleShape, kDecayShape, noiseShape, tInEpochsShape, warmupShape } from './params.js'
import { pyPow } from '../core/python.js'
import { ScheduleError } from '../core/errors.js'
import type { PeriodicScheduler } from './scheduler.js'
import { withWarmup } from './warmup.js'

export const cosineShape = {
  ...cycleShape,
  ...kDecayShape,
  ...warmupShape(false),
  ...tInEpochsShape,
  ...noiseShape
}

export type CosineParams = z.infer<z.ZodObject<typeof cosineShape>>

/**
 * Within cycle `i` (see `cycleLocator`):
 * `lr(t) = lr_min + 0.5 * (base * cycle_decay^i - lr_min) * (1 + cos(pi * t_curr^k / t_i^k))`,
 * and `lr_min` once `i >= cycle_limit` (timm `CosineLRScheduler._get_lr`).
 */
export const cosine = {
  kind: 'periodic',
  timmClass: 'CosineLRScheduler',
  summary: 'Cosine annealing from the base LR to lr_min, with restarts and k-decay.',
  shape: cosineShape,
  check: checkNoise,
  create (params, baseValues) {
    const { lr_min: lrMin, cycle_decay: cycleDecay, cycle_limit: cycleLimit, k_decay: k } = params
    const locate = cycleLocator(params)
    return withWarmup((t, group) => {
      const { i, t_i: tI, t_curr: tCurr } = locate(t)
      // timm raises the decay to the power i before it checks the cycle limit.
      const gamma = pyPow(cycleDecay, i)
      if (!(i < cycleLimit)) return lrMin
      const angle = Math.PI * pyPow(tCurr, k) / pyPow(tI, k)
      if (!Number.isFinite(angle)) throw new ScheduleError(`math.cos(${angle}) is a math domain error at t = ${t}`, 'ValueError', ['k_decay'])
      return lrMin + 0.5 * (baseValues[group] * gamma - lrMin) * (1 + cos(angle))
    }, baseValues, params)
  },
  cycleLength
} satisfies PeriodicScheduler<CosineParams>

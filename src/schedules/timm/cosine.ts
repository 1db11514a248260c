/**
 * timm's `CosineLRScheduler`: cosine annealing with warm restarts (SGDR,
 * arXiv 1608.03983) and k-decay.
 */
import { z } from 'zod'
import { defineTimmScheduler } from './base.js'
import { cos } from '../../math/index.js'
import { cycleLength, cycleLocator } from './cycles.js'
import { cycleShape, kDecayShape, noiseShape, tInEpochsShape, warmupShape } from './params.js'
import { pyPow } from '../core/python.js'
import { ScheduleError } from '../core/errors.js'
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
export const cosine = defineTimmScheduler({
  name: 'cosine',
  className: 'CosineLRScheduler',
  summary: 'Cosine annealing from the base LR to lr_min, with restarts and k-decay.',
  shape: cosineShape,
  lrAt (params, baseValues) {
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
  cycleLength,
  example: {
    summary: 'Cosine from 0.1 to 1e-5 over 100 epochs, after a 5-epoch warmup from 1e-4',
    value: { t_initial: 100, lr_min: 1e-5, warmup_t: 5, warmup_lr_init: 1e-4, warmup_prefix: true, lr: 0.1 }
  }
})

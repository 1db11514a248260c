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
import { powers } from './powers.js'
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
    const decays = powers(cycleDecay)
    const n = baseValues.length
    return withWarmup((t, out, offset) => {
      const { i, t_i: tI, t_curr: tCurr } = locate(t)
      // timm raises the decay to the power i before it checks the cycle limit.
      const gamma = decays(i)
      if (!(i < cycleLimit)) {
        out.fill(lrMin, offset, offset + n)
        return
      }
      // x ** 1 is x exactly, so k_decay = 1 costs no pow.
      const angle = k === 1 ? Math.PI * tCurr / tI : Math.PI * pyPow(tCurr, k) / pyPow(tI, k)
      if (!Number.isFinite(angle)) throw new ScheduleError(`math.cos(${angle}) is a math domain error at t = ${t}`, 'ValueError', ['k_decay'])
      const wave = 1 + cos(angle)
      for (let g = 0; g < n; g++) out[offset + g] = lrMin + 0.5 * (baseValues[g] * gamma - lrMin) * wave
    }, baseValues, params)
  },
  cycleLength,
  example: {
    summary: 'Cosine from 0.1 to 1e-5 over 100 epochs, after a 5-epoch warmup from 1e-4',
    value: { t_initial: 100, lr_min: 1e-5, warmup_t: 5, warmup_lr_init: 1e-4, warmup_prefix: true, lr: 0.1 }
  }
})

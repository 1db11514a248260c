/**
 * timm's `PolyLRScheduler`: polynomial decay with restarts and k-decay.
 */
import { z } from 'zod'
import { defineTimmScheduler } from './base.js'
import { cycleLength, cycleLocator } from './cycles.js'
import { cycleShape, kDecayShape, noiseShape, tInEpochsShape, warmupShape } from './params.js'
import { pyPow } from '../core/python.js'
import { powers } from './powers.js'
import { withWarmup } from './warmup.js'

export const polyShape = {
  power: z.number().default(0.5).describe('The polynomial power.'),
  ...cycleShape,
  ...kDecayShape,
  ...warmupShape(false),
  ...tInEpochsShape,
  ...noiseShape
}

export type PolyParams = z.infer<z.ZodObject<typeof polyShape>>

/**
 * Within cycle `i`:
 * `lr(t) = lr_min + (base * cycle_decay^i - lr_min) * (1 - t_curr^k / t_i^k) ** power`,
 * and `lr_min` once `i >= cycle_limit` (timm `PolyLRScheduler._get_lr`).
 */
export const poly = defineTimmScheduler({
  name: 'poly',
  className: 'PolyLRScheduler',
  summary: 'Polynomial decay from the base LR to lr_min, with restarts and k-decay.',
  shape: polyShape,
  lrAt (params, baseValues) {
    const { power, lr_min: lrMin, cycle_decay: cycleDecay, cycle_limit: cycleLimit, k_decay: k } = params
    const locate = cycleLocator(params)
    const decays = powers(cycleDecay)
    const n = baseValues.length
    return withWarmup((t, out, offset) => {
      const { i, t_i: tI, t_curr: tCurr } = locate(t)
      // As in timm, the decay is raised to the power i before the cycle limit is checked.
      const gamma = decays(i)
      if (!(i < cycleLimit)) {
        out.fill(lrMin, offset, offset + n)
        return
      }
      // x ** 1 is x exactly, so k_decay = 1 costs no pow.
      const fraction = pyPow(1 - (k === 1 ? tCurr / tI : pyPow(tCurr, k) / pyPow(tI, k)), power)
      for (let g = 0; g < n; g++) out[offset + g] = lrMin + (baseValues[g] * gamma - lrMin) * fraction
    }, baseValues, params)
  },
  cycleLength,
  example: {
    summary: 'Polynomial decay (power 0.9, as DeepLab uses) from 0.01 over 200 epochs',
    value: { t_initial: 200, power: 0.9, lr: 0.01 }
  }
})

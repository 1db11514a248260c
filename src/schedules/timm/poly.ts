/**
 * timm's `PolyLRScheduler`: polynomial decay with restarts and k-decay.
 */
import { z } from 'zod'
import { defineTimmScheduler } from './base.js'
import { type CycleRun, cycleLength, forEachCycle } from './cycles.js'
import { cycleShape, kDecayShape, noiseShape, tInEpochsShape, warmupShape } from './params.js'
import { pyPow } from '../core/python.js'
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
  lrFill (params, baseValues) {
    const { power, lr_min: lrMin, cycle_decay: cycleDecay, cycle_limit: cycleLimit, k_decay: k } = params
    const n = baseValues.length
    // Each group's amplitude in the current cycle, base * gamma - lr_min.
    const amplitudes = new Float64Array(n)
    const cycle: CycleRun = (i, tI, start, from, to, out, offset) => {
      // As in timm, the decay is raised to the power i before the cycle limit is checked.
      const gamma = pyPow(cycleDecay, i)
      if (!(i < cycleLimit)) {
        out.fill(lrMin, offset, offset + (to - from) * n)
        return
      }
      for (let g = 0; g < n; g++) amplitudes[g] = baseValues[g] * gamma - lrMin
      // x ** 1 is x exactly, so k_decay = 1 costs no pow. Otherwise t_i ** k is the
      // same for the whole run; the run's first t_curr ** k is taken before it, so
      // that where both overflow the error is timm's.
      if (k !== 1) pyPow(from - start, k)
      const tIk = k === 1 ? tI : pyPow(tI, k)
      for (let t = from, o = offset; t < to; t++, o += n) {
        const tCurr = t - start
        const fraction = pyPow(1 - (k === 1 ? tCurr / tI : pyPow(tCurr, k) / tIk), power)
        for (let g = 0; g < n; g++) out[o + g] = lrMin + amplitudes[g] * fraction
      }
    }
    return withWarmup((from, to, out, offset) => forEachCycle(params, n, from, to, out, offset, cycle), baseValues, params)
  },
  cycleLength,
  example: {
    summary: 'Polynomial decay (power 0.9, as DeepLab uses) from 0.01 over 200 epochs',
    value: { t_initial: 200, power: 0.9, lr: 0.01 }
  }
})

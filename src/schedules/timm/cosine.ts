/**
 * timm's `CosineLRScheduler`: cosine annealing with warm restarts (SGDR,
 * arXiv 1608.03983) and k-decay.
 */
import { z } from 'zod'
import { defineTimmScheduler } from './base.js'
import { cos } from '../../math/index.js'
import { type CycleRun, cycleLength, forEachCycle } from './cycles.js'
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

function domainError (angle: number, t: number): ScheduleError {
  return new ScheduleError(`math.cos(${angle}) is a math domain error at t = ${t}`, 'ValueError', ['k_decay'])
}

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
  lrFill (params, baseValues) {
    const { lr_min: lrMin, cycle_decay: cycleDecay, cycle_limit: cycleLimit, k_decay: k } = params
    const n = baseValues.length
    // Each group's amplitude in the current cycle, 0.5 * (base * gamma - lr_min).
    const amplitudes = new Float64Array(n)
    const cycle: CycleRun = (i, tI, start, from, to, out, offset) => {
      // timm raises the decay to the power i before it checks the cycle limit.
      const gamma = pyPow(cycleDecay, i)
      if (!(i < cycleLimit)) {
        out.fill(lrMin, offset, offset + (to - from) * n)
        return
      }
      for (let g = 0; g < n; g++) amplitudes[g] = 0.5 * (baseValues[g] * gamma - lrMin)
      if (k === 1 && n === 1) {
        // The common case, one group and no k-decay (x ** 1 is x exactly): a cos a step.
        const amplitude = amplitudes[0]
        for (let t = from, o = offset; t < to; t++, o++) {
          const angle = Math.PI * (t - start) / tI
          if (angle - angle !== 0) throw domainError(angle, t)
          out[o] = lrMin + amplitude * (1 + cos(angle))
        }
        return
      }
      // timm's t_i ** k, the same for the whole run; the run's first t_curr ** k is
      // taken before it, so that where both overflow the error is timm's.
      if (k !== 1) pyPow(from - start, k)
      const tIk = k === 1 ? tI : pyPow(tI, k)
      for (let t = from, o = offset; t < to; t++, o += n) {
        const tCurr = t - start
        const angle = k === 1 ? Math.PI * tCurr / tI : Math.PI * pyPow(tCurr, k) / tIk
        if (angle - angle !== 0) throw domainError(angle, t)
        const wave = 1 + cos(angle)
        for (let g = 0; g < n; g++) out[o + g] = lrMin + amplitudes[g] * wave
      }
    }
    return withWarmup((from, to, out, offset) => forEachCycle(params, n, from, to, out, offset, cycle), baseValues, params)
  },
  cycleLength,
  example: {
    summary: 'Cosine from 0.1 to 1e-5 over 100 epochs, after a 5-epoch warmup from 1e-4',
    value: { t_initial: 100, lr_min: 1e-5, warmup_t: 5, warmup_lr_init: 1e-4, warmup_prefix: true, lr: 0.1 }
  }
})

/**
 * timm's `StepLRScheduler`: the LR falls by `decay_rate` every `decay_t` steps.
 */
import { z } from 'zod'
import { defineTimmScheduler } from './base.js'
import { noiseShape, tInEpochsShape, warmupShape } from './params.js'
import { floorDiv, pyPow } from '../core/python.js'
import { withWarmup } from './warmup.js'

export const stepShape = {
  decay_t: z.number().positive()
    .describe('Steps between decays. A fraction is allowed (timm train.py often uses 2.4): Python floor division decides.'),
  decay_rate: z.number().default(1)
    .describe('The factor applied at every decay.'),
  ...warmupShape(true),
  ...tInEpochsShape,
  ...noiseShape
}

export type StepParams = z.infer<z.ZodObject<typeof stepShape>>

/**
 * `lr(t) = base * decay_rate ** (t // decay_t)` after warmup (timm
 * `StepLRScheduler._get_lr`), with Python's float floor division and `**`.
 */
export const step = defineTimmScheduler({
  name: 'step',
  className: 'StepLRScheduler',
  summary: 'Decay by decay_rate every decay_t steps.',
  shape: stepShape,
  lrFill (params, baseValues) {
    const { decay_t: decayT, decay_rate: decayRate } = params
    const n = baseValues.length
    // With a whole decay_t, t // decay_t changes exactly at its multiples; a fraction
    // (2.4) is divided step by step, as timm does. Either way the power is taken once
    // an interval, where the quotient changes.
    const whole = Number.isInteger(decayT)
    return withWarmup((from, to, out, offset) => {
      let interval = Number.NaN
      let factor = Number.NaN
      let next = from
      for (let t = from, o = offset; t < to; t++, o += n) {
        if (t >= next) {
          const k = floorDiv(t, decayT)
          if (k !== interval) {
            interval = k
            factor = pyPow(decayRate, k)
          }
          next = whole ? decayT * (k + 1) : t + 1
        }
        for (let g = 0; g < n; g++) out[o + g] = baseValues[g] * factor
      }
    }, baseValues, params)
  },
  example: {
    summary: "timm's StepLR tutorial: decay_t=5, decay_rate=0.8, a 2-epoch warmup from 1e-5, 50 epochs",
    value: { decay_t: 5, decay_rate: 0.8, warmup_t: 2, warmup_lr_init: 1e-5, lr: 1e-4, count: 50 }
  }
})

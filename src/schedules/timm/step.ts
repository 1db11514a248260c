/**
 * timm's `StepLRScheduler`: the LR falls by `decay_rate` every `decay_t` steps.
 */
import { z } from 'zod'
import { defineTimmScheduler } from './base.js'
import { noiseShape, tInEpochsShape, warmupShape } from './params.js'
import { floorDiv } from '../core/python.js'
import { powers } from './powers.js'
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
  lrAt (params, baseValues) {
    const { decay_t: decayT, decay_rate: decayRate } = params
    const decays = powers(decayRate)
    return withWarmup((t, out, offset) => {
      const factor = decays(floorDiv(t, decayT))
      for (let g = 0; g < baseValues.length; g++) out[offset + g] = baseValues[g] * factor
    }, baseValues, params)
  },
  example: {
    summary: "timm's StepLR tutorial: decay_t=5, decay_rate=0.8, a 2-epoch warmup from 1e-5, 50 epochs",
    value: { decay_t: 5, decay_rate: 0.8, warmup_t: 2, warmup_lr_init: 1e-5, lr: 1e-4, count: 50 }
  }
})

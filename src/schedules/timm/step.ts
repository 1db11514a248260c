/**
 * timm's `StepLRScheduler`: the LR falls by `decay_rate` every `decay_t` steps.
 */
import { z } from 'zod'
import { checkNoise, noiseShape, tInEpochsShape, warmupShape } from './params.js'
import { floorDiv, pyPow } from '../core/python.js'
import type { PeriodicScheduler } from './scheduler.js'
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
export const step = {
  kind: 'periodic',
  timmClass: 'StepLRScheduler',
  summary: 'Decay by decay_rate every decay_t steps.',
  shape: stepShape,
  check: checkNoise,
  create (params, baseValues) {
    const { decay_t: decayT, decay_rate: decayRate } = params
    return withWarmup(
      (t, group) => baseValues[group] * pyPow(decayRate, floorDiv(t, decayT)),
      baseValues, params)
  }
} satisfies PeriodicScheduler<StepParams>

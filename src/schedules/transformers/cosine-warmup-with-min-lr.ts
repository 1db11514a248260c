/**
 * transformers' `cosine_warmup_with_min_lr` schedule:
 * `get_cosine_with_min_lr_schedule_with_warmup_lr_rate`.
 */
import { z } from 'zod'
import { defineScheduler } from '../core/define.js'
import { groupShape } from '../core/groups.js'
import { atLeast, getSchedulerCall, lambdaLR, lastEpochField, pyCos, reference, remainingSteps, requireTrainingSteps, trainingStepsField, warmupStepsField } from './base.js'
import { minLrShape, resolveMinLrRate } from './cosine-with-min-lr.js'

const shape = {
  num_warmup_steps: warmupStepsField,
  num_training_steps: trainingStepsField,
  num_cycles: z.number().default(0.5)
    .describe('Cosine waves between the end of warmup and num_training_steps; 0.5 is a half wave from the base LR down to the minimum.'),
  ...minLrShape,
  warmup_lr_rate: z.number().optional()
    .describe("The warmup's first LR as a fraction of the base LR, rising linearly to the base LR at step num_warmup_steps - 1. Not set: the warmup runs (s + 1) / num_warmup_steps."),
  last_epoch: lastEpochField
}

/**
 * In floats, with `s`, W and T converted by `float()`: while `s < W`,
 * `(s + 1.) / max(1., W)`, or with `warmup_lr_rate` r,
 * `r + (1.0 - r) * s / max(1, W - 1)`; then
 * `progress = (s - W + 1.) / max(1., T - W)` and the min-LR cosine factor
 * `max(0, f * (1 - min_lr_rate) + min_lr_rate)`, `f = 0.5 * (1.0 + cos(pi * num_cycles * 2.0 * progress))`
 * (`_get_cosine_with_min_lr_schedule_with_warmup_lr_rate_lambda`).
 */
export const cosineWarmupWithMinLr = defineScheduler({
  name: 'transformers.cosine_warmup_with_min_lr',
  reference,
  summary: 'Like cosine_with_min_lr one step ahead: warmup reaches the base LR at step num_warmup_steps - 1 (from warmup_lr_rate if given), then cosine decay to min_lr or min_lr_rate.',
  shape,
  groupShape,
  evaluation: 'closed',
  create (params, groups) {
    const { warmup, training } = requireTrainingSteps('cosine_warmup_with_min_lr', params)
    const minLrRate = resolveMinLrRate(params, groups)
    const warmupLrRate = params.warmup_lr_rate
    const numCycles = params.num_cycles
    return lambdaLR(groups, params.last_epoch, (step) => {
      if (step < warmup) {
        // One step ahead of cosine_with_min_lr: (s + 1) / W, so step 0 is already 1 / W (fixture tutorial-cosine_warmup_with_min_lr).
        if (warmupLrRate === undefined) return (step + 1.0) / Math.max(1.0, warmup)
        return warmupLrRate + (1.0 - warmupLrRate) * step / Math.max(1, warmup - 1)
      }
      // And the decay too: progress counts s - W + 1, so step W is already past the top (fixture tutorial-cosine_warmup_with_min_lr).
      const progress = (step - warmup + 1.0) / Math.max(1.0, training - warmup)
      const factor = 0.5 * (1.0 + pyCos(Math.PI * numCycles * 2.0 * progress))
      return atLeast(0, factor * (1 - minLrRate) + minLrRate)
    })
  },
  defaultCount: (params) => remainingSteps(params.num_training_steps, params.last_epoch),
  python: (params) => getSchedulerCall('cosine_warmup_with_min_lr', shape, params),
  example: {
    summary: 'Cosine to 10% of the LR, warmup from 10% of it',
    value: { lr: 3e-4, num_warmup_steps: 100, num_training_steps: 1000, min_lr_rate: 0.1, warmup_lr_rate: 0.1 }
  }
})

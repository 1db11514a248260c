/**
 * transformers' `cosine` schedule: `get_cosine_schedule_with_warmup`.
 */
import { z } from 'zod'
import { defineScheduler } from '../core/define.js'
import { groupShape } from '../core/groups.js'
import { getSchedulerCall, lambdaLR, lastEpochField, reference, remainingSteps, requireTrainingSteps, trainingStepsField, warmupStepsField } from './base.js'
import { cosineWithMinLrLambda } from './cosine-with-min-lr.js'

const shape = {
  num_warmup_steps: warmupStepsField,
  num_training_steps: trainingStepsField,
  num_cycles: z.number().default(0.5)
    .describe('Cosine waves between the end of warmup and num_training_steps; 0.5 is a half wave from the base LR down to 0.'),
  last_epoch: lastEpochField
}

/**
 * `s / max(1, W)` while `s < W`, then `0.5 * (1 + cos(pi * num_cycles * 2 * progress))`
 * with `progress = (s - W) / max(1, T - W)`. transformers runs it through the min-LR
 * lambda with `min_lr_rate` 0.0 (see `cosineWithMinLrLambda`), where `* 1.0 + 0.0`
 * leaves every factor's bits as they are.
 */
export const cosine = defineScheduler({
  name: 'transformers.cosine',
  reference,
  summary: 'Linear warmup from 0 to the base LR, then cosine decay to 0 at num_training_steps (num_cycles half waves: 0.5 by default).',
  shape,
  groupShape,
  evaluation: 'closed',
  create (params, groups) {
    const { warmup, training } = requireTrainingSteps('cosine', params)
    // Not clamped at num_training_steps: past it the cosine climbs back up (fixture tutorial-cosine, t > 1000).
    return lambdaLR(groups, params.last_epoch, cosineWithMinLrLambda(warmup, training, params.num_cycles, 0.0))
  },
  defaultCount: (params) => remainingSteps(params.num_training_steps, params.last_epoch),
  python: (params) => getSchedulerCall('cosine', shape, params),
  example: {
    summary: 'The Trainer default with warmup: 100 warmup steps of 1,000',
    value: { lr: 5e-5, num_warmup_steps: 100, num_training_steps: 1000 }
  }
})

/**
 * transformers' `constant_with_warmup` schedule: `get_constant_schedule_with_warmup`.
 */
import { defineScheduler } from '../core/define.js'
import { groupShape } from '../core/groups.js'
import { getSchedulerCall, ignoredFields, lambdaLR, reference, requireWarmupSteps, stepsField, warmupStepsField } from './base.js'

const shape = {
  num_warmup_steps: warmupStepsField,
  num_training_steps: stepsField.optional()
    .describe("Accepted and ignored, as get_scheduler('constant_with_warmup') ignores it: the LR stays at the base LR after warmup.")
}

/**
 * `s / max(1.0, W)` while `s < W`, then 1.0
 * (`_get_constant_schedule_with_warmup_lr_lambda`).
 */
export const constantWithWarmup = defineScheduler({
  name: 'transformers.constant_with_warmup',
  reference,
  summary: 'Linear warmup from 0 to the base LR over num_warmup_steps, then the base LR.',
  shape,
  groupShape,
  evaluation: 'closed',
  create (params, groups) {
    const warmup = requireWarmupSteps('constant_with_warmup', params)
    // get_scheduler passes num_warmup_steps alone: num_training_steps and scheduler_specific_kwargs are dropped (fixture constant_with_warmup-1-214-normal).
    return lambdaLR(groups, -1, (step) => step < warmup ? step / Math.max(1.0, warmup) : 1.0)
  },
  warnings: (params) => ignoredFields('constant_with_warmup', params, ['num_training_steps'], 'the LR stays at the base LR after warmup'),
  python: (params) => getSchedulerCall('constant_with_warmup', shape, params),
  example: {
    summary: '500 warmup steps, then a constant 6e-4',
    value: { lr: 6e-4, num_warmup_steps: 500, count: 2000 }
  }
})

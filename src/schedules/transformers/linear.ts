/**
 * transformers' `linear` schedule: `get_linear_schedule_with_warmup`.
 */
import { defineScheduler } from '../core/define.js'
import { groupShape } from '../core/groups.js'
import { atLeast, getSchedulerCall, lambdaLR, lastEpochField, reference, remainingSteps, requireTrainingSteps, trainingStepsField, warmupFraction, warmupStepsField } from './base.js'

const shape = {
  num_warmup_steps: warmupStepsField,
  num_training_steps: trainingStepsField,
  last_epoch: lastEpochField
}

/**
 * With W = `num_warmup_steps` and T = `num_training_steps`, the factor of the base LR
 * at step s is `s / max(1, W)` while `s < W`, then
 * `max(0.0, (T - s) / max(1, T - W))`: linear from 1 at step W to 0 at step T, and 0
 * after (`_get_linear_schedule_with_warmup_lr_lambda`).
 */
export const linear = defineScheduler({
  name: 'transformers.linear',
  reference,
  summary: 'Linear warmup from 0 to the base LR over num_warmup_steps, then linear decay to 0 at num_training_steps.',
  shape,
  groupShape,
  evaluation: 'closed',
  create (params, groups) {
    const { warmup, training } = requireTrainingSteps('linear', params)
    return lambdaLR(groups, params.last_epoch, (step) => {
      if (step < warmup) return warmupFraction(step, warmup)
      return atLeast(0, (training - step) / Math.max(1, training - warmup))
    })
  },
  defaultCount: (params) => remainingSteps(params.num_training_steps, params.last_epoch),
  python: (params) => getSchedulerCall('linear', shape, params),
  example: {
    summary: 'BERT fine-tuning: 10% warmup over 1,000 steps at 5e-5',
    value: { lr: 5e-5, num_warmup_steps: 100, num_training_steps: 1000 }
  }
})

/**
 * transformers' `constant` schedule: `get_constant_schedule`.
 */
import { defineScheduler } from '../core/define.js'
import { groupShape } from '../core/groups.js'
import { getSchedulerCall, ignoredFields, lambdaLR, reference, stepsField } from './base.js'

const shape = {
  num_warmup_steps: stepsField.optional()
    .describe("Accepted and ignored, as get_scheduler('constant') ignores it: there is no warmup."),
  num_training_steps: stepsField.optional()
    .describe("Accepted and ignored, as get_scheduler('constant') ignores it.")
}

/** Every group keeps its base LR: LambdaLR with a lambda that returns 1 (`_get_constant_lambda`). */
export const constant = defineScheduler({
  name: 'transformers.constant',
  reference,
  summary: 'The base LR at every step.',
  shape,
  groupShape,
  evaluation: 'closed',
  create (_params, groups) {
    // get_scheduler calls get_constant_schedule(optimizer) alone: warmup, training steps and scheduler_specific_kwargs are dropped (fixture constant-1-31-edge).
    return lambdaLR(groups, -1, () => 1)
  },
  warnings: (params) => ignoredFields('constant', params, ['num_warmup_steps', 'num_training_steps'], 'the LR stays at the base LR'),
  python: (params) => getSchedulerCall('constant', shape, params),
  example: {
    summary: 'A constant 5e-5 for 100 steps',
    value: { lr: 5e-5, count: 100 }
  }
})

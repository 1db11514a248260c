/**
 * transformers' `inverse_sqrt` schedule: `get_inverse_sqrt_schedule`.
 */
import { defineScheduler } from '../core/define.js'
import { groupShape } from '../core/groups.js'
import { exactInt, getSchedulerCall, ignoredFields, lambdaLR, reference, requireWarmupSteps, stepsField, warmupFraction, warmupStepsField } from './base.js'

const shape = {
  num_warmup_steps: warmupStepsField,
  num_training_steps: stepsField.optional()
    .describe("Accepted and ignored, as get_scheduler('inverse_sqrt') ignores it: the decay never ends."),
  timescale: stepsField.positive().optional()
    .describe("Accepted and ignored, as get_scheduler('inverse_sqrt') drops scheduler_specific_kwargs: the timescale is num_warmup_steps, or 10,000 without warmup.")
}

/**
 * `s / max(1, W)` while `s < W`, then `1.0 / sqrt((s + timescale - W) / timescale)`
 * with `timescale = W or 10_000` (`_get_inverse_sqrt_schedule_lr_lambda`): 1 at step W,
 * then the inverse square root of the steps, in timescales.
 */
export const inverseSqrt = defineScheduler({
  name: 'transformers.inverse_sqrt',
  reference,
  summary: 'Linear warmup from 0, then the base LR times 1 / sqrt of the steps since warmup in timescales (num_warmup_steps, or 10,000).',
  shape,
  groupShape,
  evaluation: 'closed',
  create (params, groups) {
    const warmup = requireWarmupSteps('inverse_sqrt', params)
    // get_scheduler passes num_warmup_steps alone, never scheduler_specific_kwargs: a timescale given is not used (fixture inverse_sqrt-1-26-edge).
    const timescale = warmup || 10_000
    const shift = timescale - warmup
    return lambdaLR(groups, -1, (step) => {
      if (step < warmup) return warmupFraction(step, warmup)
      return 1.0 / Math.sqrt(exactInt(step + shift, 'current_step + shift') / timescale)
    })
  },
  warnings: (params) => ignoredFields('inverse_sqrt', params, ['num_training_steps', 'timescale'], `it passes num_warmup_steps alone, so the timescale is ${params.num_warmup_steps || 10_000}`),
  python: (params) => getSchedulerCall('inverse_sqrt', shape, params),
  example: {
    summary: '4,000 warmup steps, then inverse square-root decay',
    value: { lr: 1e-3, num_warmup_steps: 4000, count: 20000 }
  }
})

/**
 * transformers' `polynomial` schedule: `get_polynomial_decay_schedule_with_warmup`.
 */
import { z } from 'zod'
import { defineScheduler } from '../core/define.js'
import { ScheduleError } from '../core/errors.js'
import { groupShape, learningRate } from '../core/groups.js'
import { pyPow } from '../core/python.js'
import { getSchedulerCall, lambdaLR, lastEpochField, optimizerDefaultLr, reference, remainingSteps, requireTrainingSteps, trainingStepsField, warmupFraction, warmupStepsField } from './base.js'

const shape = {
  num_warmup_steps: warmupStepsField,
  num_training_steps: trainingStepsField,
  lr_end: learningRate.default(1e-7)
    .describe("The LR at num_training_steps and after it, for the optimizer's default LR (the first group's lr); must be below that LR."),
  power: z.number().default(1.0)
    .describe('The power of the decay: 1.0 is linear (the fairseq and BERT default).'),
  last_epoch: lastEpochField
}

/**
 * With `lr_init = optimizer.defaults["lr"]` (the first group's `lr`): `s / max(1, W)`
 * while `s < W`; `lr_end / lr_init` after step T; in between
 * `((lr_init - lr_end) * pct ** power + lr_end) / lr_init` with
 * `pct = 1 - (s - W) / (T - W)`, and every group's LR is its base LR times that
 * (`_get_polynomial_decay_schedule_with_warmup_lr_lambda`).
 */
export const polynomial = defineScheduler({
  name: 'transformers.polynomial',
  reference,
  summary: "Linear warmup from 0, then polynomial decay (power) from the base LR to lr_end at num_training_steps, scaled by the optimizer's default LR.",
  shape,
  groupShape,
  evaluation: 'closed',
  create (params, groups) {
    const { warmup, training } = requireTrainingSteps('polynomial', params)
    // lr_init is optimizer.defaults['lr'], not each group's LR: a group at 10x the first ends at 10x lr_end (fixture polynomial-1-155-edge).
    const lrInit = optimizerDefaultLr(groups)
    const lrEnd = params.lr_end
    if (!(lrInit > lrEnd)) {
      throw new ScheduleError(`lr_end (${lrEnd}) must be smaller than initial lr (${lrInit})`, 'ValueError', ['lr_end'])
    }
    const lrRange = lrInit - lrEnd
    const decaySteps = training - warmup
    return lambdaLR(groups, params.last_epoch, (step) => {
      if (step < warmup) return warmupFraction(step, warmup)
      if (step > training) return lrEnd / lrInit
      if (decaySteps === 0) {
        // num_warmup_steps == num_training_steps: the step at T divides 0 by 0 (fixture polynomial-1-87-normal).
        throw new ScheduleError(`division by zero at step ${step}: polynomial divides by num_training_steps - num_warmup_steps, which is 0`, 'ZeroDivisionError', ['num_warmup_steps'])
      }
      const pctRemaining = 1 - (step - warmup) / decaySteps
      const decay = lrRange * pyPow(pctRemaining, params.power) + lrEnd
      return decay / lrInit
    })
  },
  defaultCount: (params) => remainingSteps(params.num_training_steps, params.last_epoch),
  python: (params) => getSchedulerCall('polynomial', shape, params),
  example: {
    summary: 'Quadratic decay to 1e-7 after 100 warmup steps',
    value: { lr: 5e-5, num_warmup_steps: 100, num_training_steps: 1000, power: 2 }
  }
})

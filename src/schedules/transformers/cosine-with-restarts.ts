/**
 * transformers' `cosine_with_restarts` schedule:
 * `get_cosine_with_hard_restarts_schedule_with_warmup`.
 */
import { z } from 'zod'
import { defineScheduler } from '../core/define.js'
import { groupShape } from '../core/groups.js'
import { atLeast, getSchedulerCall, lambdaLR, lastEpochField, pyCos, pyMod, reference, remainingSteps, requireTrainingSteps, trainingStepsField, warmupFraction, warmupStepsField } from './base.js'

const shape = {
  num_warmup_steps: warmupStepsField,
  num_training_steps: trainingStepsField,
  num_cycles: z.number().default(1)
    .describe('How many times the cosine runs from the base LR down to 0 between the end of warmup and num_training_steps (each run a hard restart).'),
  last_epoch: lastEpochField
}

/**
 * `s / max(1, W)` while `s < W`; then with `progress = (s - W) / max(1, T - W)`,
 * 0.0 from `progress >= 1` on, else
 * `max(0.0, 0.5 * (1.0 + cos(pi * ((num_cycles * progress) % 1.0))))`, Python's `%`
 * (`_get_cosine_with_hard_restarts_schedule_with_warmup_lr_lambda`).
 */
export const cosineWithRestarts = defineScheduler({
  name: 'transformers.cosine_with_restarts',
  reference,
  summary: 'Linear warmup from 0, then num_cycles cosine decays from the base LR to 0, each restarting at the base LR; 0 from num_training_steps on.',
  shape,
  groupShape,
  evaluation: 'closed',
  create (params, groups) {
    const { warmup, training } = requireTrainingSteps('cosine_with_restarts', params)
    const span = Math.max(1, training - warmup)
    return lambdaLR(groups, params.last_epoch, (step) => {
      if (step < warmup) return warmupFraction(step, warmup)
      const progress = (step - warmup) / span
      if (progress >= 1.0) return 0.0
      return atLeast(0.0, 0.5 * (1.0 + pyCos(Math.PI * pyMod(params.num_cycles * progress, 1.0))))
    })
  },
  defaultCount: (params) => remainingSteps(params.num_training_steps, params.last_epoch),
  python: (params) => getSchedulerCall('cosine_with_restarts', shape, params),
  example: {
    summary: 'Three hard restarts over 1,000 steps after 100 warmup steps',
    value: { lr: 5e-5, num_warmup_steps: 100, num_training_steps: 1000, num_cycles: 3 }
  }
})

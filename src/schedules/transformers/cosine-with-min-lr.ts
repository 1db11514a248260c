/**
 * transformers' `cosine_with_min_lr` schedule:
 * `get_cosine_with_min_lr_schedule_with_warmup`, and the lambda that `cosine` runs too.
 */
import { z } from 'zod'
import { defineScheduler, type ParamGroup } from '../core/define.js'
import { ScheduleError } from '../core/errors.js'
import { groupShape, learningRate } from '../core/groups.js'
import { atLeast, getSchedulerCall, lambdaLR, lastEpochField, optimizerDefaultLr, pyCos, pyDiv, reference, remainingSteps, requireTrainingSteps, trainingStepsField, warmupFraction, warmupStepsField } from './base.js'

/**
 * `_get_cosine_schedule_with_warmup_lr_lambda` as the module leaves it: the file
 * defines that name twice, and the second definition (with `min_lr_rate`) is the one
 * both `cosine` and `cosine_with_min_lr` call. `s / max(1, W)` while `s < W`; then
 * with `progress = (s - W) / max(1, T - W)`:
 * `factor = 0.5 * (1.0 + cos(pi * num_cycles * 2.0 * progress))`,
 * `max(0, factor * (1 - min_lr_rate) + min_lr_rate)`. Nothing stops it at T: past
 * the end the cosine goes on.
 */
export function cosineWithMinLrLambda (warmup: number, training: number, numCycles: number, minLrRate: number): (step: number) => number {
  const span = Math.max(1, training - warmup)
  return (step) => {
    if (step < warmup) return warmupFraction(step, warmup)
    const progress = (step - warmup) / span
    const factor = 0.5 * (1.0 + pyCos(Math.PI * numCycles * 2.0 * progress))
    return atLeast(0, factor * (1 - minLrRate) + minLrRate)
  }
}

export const minLrShape = {
  min_lr: learningRate.optional()
    .describe("The LR the cosine ends at, as min_lr / optimizer.defaults['lr'] (the first group's lr) times each group's base LR. Give min_lr or min_lr_rate, not both."),
  min_lr_rate: z.number().optional()
    .describe("The LR the cosine ends at, as a fraction of each group's base LR. Give min_lr or min_lr_rate, not both.")
}

/**
 * `min_lr_rate` as both min-LR cosines resolve it: one of `min_lr` and `min_lr_rate`
 * (transformers' ValueError for both or neither); `min_lr` divided by the optimizer's
 * default LR.
 */
export function resolveMinLrRate (params: { min_lr?: number | undefined, min_lr_rate?: number | undefined }, groups: readonly ParamGroup[]): number {
  if (params.min_lr !== undefined && params.min_lr_rate !== undefined) {
    throw new ScheduleError('Only one of min_lr or min_lr_rate should be set', 'ValueError', ['min_lr_rate'])
  }
  if (params.min_lr !== undefined) {
    // Relative to optimizer.defaults['lr'], not to each group's LR: every group ends at its base LR times min_lr / lr0 (fixture cosine_with_min_lr-1-27-normal).
    return pyDiv(params.min_lr, optimizerDefaultLr(groups), "min_lr is divided by the optimizer's default LR, which is 0")
  }
  if (params.min_lr_rate === undefined) {
    throw new ScheduleError('One of min_lr or min_lr_rate should be set through the `lr_scheduler_kwargs`', 'ValueError', ['min_lr'])
  }
  return params.min_lr_rate
}

const shape = {
  num_warmup_steps: warmupStepsField,
  num_training_steps: trainingStepsField,
  num_cycles: z.number().default(0.5)
    .describe('Cosine waves between the end of warmup and num_training_steps; 0.5 is a half wave from the base LR down to the minimum.'),
  ...minLrShape,
  last_epoch: lastEpochField
}

/** Linear warmup, then a cosine from the base LR to `min_lr_rate` times it (see `cosineWithMinLrLambda`). */
export const cosineWithMinLr = defineScheduler({
  name: 'transformers.cosine_with_min_lr',
  reference,
  summary: 'Linear warmup from 0, then cosine decay from the base LR to a floor given as min_lr or min_lr_rate.',
  shape,
  groupShape,
  evaluation: 'closed',
  create (params, groups) {
    const { warmup, training } = requireTrainingSteps('cosine_with_min_lr', params)
    const minLrRate = resolveMinLrRate(params, groups)
    return lambdaLR(groups, params.last_epoch, cosineWithMinLrLambda(warmup, training, params.num_cycles, minLrRate))
  },
  defaultCount: (params) => remainingSteps(params.num_training_steps, params.last_epoch),
  python: (params) => getSchedulerCall('cosine_with_min_lr', shape, params),
  example: {
    summary: 'Cosine to 10% of the LR after 100 warmup steps',
    value: { lr: 3e-4, num_warmup_steps: 100, num_training_steps: 1000, min_lr_rate: 0.1 }
  }
})

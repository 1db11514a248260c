/**
 * transformers' `reduce_lr_on_plateau` schedule: `get_reduce_on_plateau_schedule`,
 * which is torch's `ReduceLROnPlateau(optimizer, **scheduler_specific_kwargs)`, as a
 * fold over the metrics given to its `step()` calls.
 */
import { z } from 'zod'
import { defineScheduler } from '../core/define.js'
import { groupShape, learningRate } from '../core/groups.js'
import { reduceLROnPlateauFold } from '../torch/reduce-lr-on-plateau.js'
import { getSchedulerCall, ignoredFields, reference, stepsField } from './base.js'

const shape = {
  num_warmup_steps: stepsField.optional()
    .describe("Accepted and ignored, as get_scheduler('reduce_lr_on_plateau') ignores it: there is no warmup."),
  num_training_steps: stepsField.optional()
    .describe("Accepted and ignored, as get_scheduler('reduce_lr_on_plateau') ignores it."),
  mode: z.enum(['min', 'max']).default('min')
    .describe('min: a lower metric is better (a loss); max: higher is better (an accuracy).'),
  factor: z.number().default(0.1)
    .describe('What the LR is multiplied by on a plateau; must be < 1.0.'),
  patience: z.number().int().nonnegative().default(10)
    .describe('Steps without improvement tolerated; the next one reduces the LR.'),
  threshold: z.number().default(1e-4)
    .describe('How much better than the best a metric must be to count as an improvement (see threshold_mode).'),
  threshold_mode: z.enum(['rel', 'abs']).default('rel')
    .describe('rel: better than best * (1 - threshold) in min mode, best * (threshold + 1) in max mode; abs: than best - threshold, best + threshold.'),
  cooldown: z.number().int().nonnegative().default(0)
    .describe('Steps after a reduction during which bad steps are not counted.'),
  min_lr: z.union([learningRate, z.array(learningRate)]).default(0)
    .describe('No reduction goes below it: one LR for every group, or a list with one per param group.'),
  eps: z.number().default(1e-8)
    .describe('A reduction that lowers an LR by eps or less is skipped.'),
  metrics: z.array(z.number())
    .describe('The metric passed to each step() call, in order: value t is the LR after step(metrics[0]) .. step(metrics[t - 1]), so there are metrics.length + 1 values.')
}

/** `ReduceLROnPlateau.step(metrics[t])` folded over the metrics: torch's own fold (src/schedules/torch/reduce-lr-on-plateau.ts). */
export const reduceLrOnPlateau = defineScheduler({
  name: 'transformers.reduce_lr_on_plateau',
  reference,
  summary: "Multiply the LR by factor when the metric has not improved for patience steps (torch's ReduceLROnPlateau), from a metric history.",
  shape,
  groupShape,
  evaluation: 'fold',
  create (params, groups) {
    // get_scheduler passes scheduler_specific_kwargs alone: num_warmup_steps and num_training_steps are dropped (fixture reduce_lr_on_plateau-1-65-normal).
    return reduceLROnPlateauFold(params, groups)
  },
  defaultCount: (params) => params.metrics.length + 1,
  stepCount: (params) => params.metrics.length + 1,
  warnings: (params) => ignoredFields('reduce_lr_on_plateau', params, ['num_warmup_steps', 'num_training_steps'], 'ReduceLROnPlateau has no warmup and no length'),
  python: (params) => getSchedulerCall('reduce_lr_on_plateau', shape, params, ['metrics']),
  example: {
    summary: 'Halve the LR after 2 epochs without a lower validation loss',
    value: { lr: 5e-5, factor: 0.5, patience: 2, metrics: [2.31, 1.87, 1.62, 1.55, 1.56, 1.58, 1.54, 1.57, 1.59, 1.6, 1.48, 1.49, 1.5, 1.51] }
  }
})

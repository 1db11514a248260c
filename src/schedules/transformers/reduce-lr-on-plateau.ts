/**
 * transformers' `reduce_lr_on_plateau` schedule: `get_reduce_on_plateau_schedule`,
 * which is torch's `ReduceLROnPlateau(optimizer, **scheduler_specific_kwargs)`, as a
 * fold over the metrics given to its `step()` calls.
 */
import { z } from 'zod'
import { defineScheduler, type FoldSchedule, type ParamGroup } from '../core/define.js'
import { ScheduleError } from '../core/errors.js'
import { groupShape, learningRate } from '../core/groups.js'
import { getSchedulerCall, ignoredFields, reference, stepsField } from './base.js'

/** torch `ReduceLROnPlateau`'s arguments, by its names. */
export interface PlateauOptions {
  readonly mode: 'min' | 'max'
  readonly factor: number
  readonly patience: number
  readonly threshold: number
  readonly threshold_mode: 'rel' | 'abs'
  readonly cooldown: number
  /** One per param group. */
  readonly min_lrs: readonly number[]
  readonly eps: number
}

/** Everything `ReduceLROnPlateau` carries from one `step()` to the next: plain data. */
export interface PlateauState {
  /** Every group's `lr`. */
  lrs: number[]
  best: number
  num_bad_epochs: number
  cooldown_counter: number
}

/**
 * The constructor's checks and `min_lr` spread over the groups: torch raises
 * ValueError for `factor >= 1.0` and for a `min_lr` list that does not have one
 * value per group.
 */
export function plateauOptions (params: { mode: 'min' | 'max', factor: number, patience: number, threshold: number, threshold_mode: 'rel' | 'abs', cooldown: number, min_lr: number | number[], eps: number }, groups: number): PlateauOptions {
  if (params.factor >= 1.0) throw new ScheduleError(`Factor should be < 1.0. (factor = ${params.factor})`, 'ValueError', ['factor'])
  let minLrs: number[]
  if (Array.isArray(params.min_lr)) {
    if (params.min_lr.length !== groups) throw new ScheduleError(`expected ${groups} min_lrs, got ${params.min_lr.length}`, 'ValueError', ['min_lr'])
    minLrs = params.min_lr.slice()
  } else {
    minLrs = new Array<number>(groups).fill(params.min_lr)
  }
  const { mode, factor, patience, threshold, threshold_mode: thresholdMode, cooldown, eps } = params
  return { mode, factor, patience, threshold, threshold_mode: thresholdMode, cooldown, min_lrs: minLrs, eps }
}

/** The state right after the constructor: the groups' `lr` (ReduceLROnPlateau never reads `initial_lr`), the worst best. */
export function plateauInitial (options: PlateauOptions, lrs: readonly number[]): PlateauState {
  return { lrs: lrs.slice(), best: options.mode === 'min' ? Infinity : -Infinity, num_bad_epochs: 0, cooldown_counter: 0 }
}

/**
 * One `ReduceLROnPlateau.step(metric)`, in place, in torch's order: the metric counts
 * as better than the best by the relative or absolute threshold
 * (`a < best * (1.0 - threshold)`, `a < best - threshold`, `a > best * (threshold + 1.0)`,
 * `a > best + threshold`), else as a bad epoch; a cooldown forgives bad epochs; more
 * than `patience` of them multiply each LR by `factor`, not below its `min_lr`, and
 * only where that lowers it by more than `eps`; the cooldown then restarts.
 */
export function plateauStep (options: PlateauOptions, state: PlateauState, metric: number): void {
  const best = state.best
  let better: boolean
  if (options.mode === 'min') {
    better = options.threshold_mode === 'rel' ? metric < best * (1.0 - options.threshold) : metric < best - options.threshold
  } else {
    better = options.threshold_mode === 'rel' ? metric > best * (options.threshold + 1.0) : metric > best + options.threshold
  }
  if (better) {
    state.best = metric
    state.num_bad_epochs = 0
  } else {
    state.num_bad_epochs += 1
  }
  if (state.cooldown_counter > 0) {
    state.cooldown_counter -= 1
    state.num_bad_epochs = 0
  }
  if (state.num_bad_epochs > options.patience) {
    state.lrs.forEach((oldLr, i) => {
      const scaled = oldLr * options.factor
      // Python's max(a, b) keeps a unless b is strictly greater.
      const newLr = options.min_lrs[i] > scaled ? options.min_lrs[i] : scaled
      if (oldLr - newLr > options.eps) state.lrs[i] = newLr
    })
    state.cooldown_counter = options.cooldown
    state.num_bad_epochs = 0
  }
}

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

/** `ReduceLROnPlateau.step(metrics[t])` folded over the metrics: see `plateauStep`. */
export const reduceLrOnPlateau = defineScheduler({
  name: 'transformers.reduce_lr_on_plateau',
  reference,
  summary: "Multiply the LR by factor when the metric has not improved for patience steps (torch's ReduceLROnPlateau), from a metric history.",
  shape,
  groupShape,
  evaluation: 'fold',
  create (params, groups): FoldSchedule<PlateauState> {
    // get_scheduler passes scheduler_specific_kwargs alone: num_warmup_steps and num_training_steps are dropped (fixture reduce_lr_on_plateau-1-65-normal).
    const options = plateauOptions(params, groups.length)
    const metrics = params.metrics
    return {
      kind: 'fold',
      initial: () => plateauInitial(options, groups.map((group: ParamGroup) => group.lr)),
      advance (state, t) {
        if (t >= metrics.length) throw new ScheduleError(`step ${t + 1} needs metrics[${t}], but ${metrics.length} metrics were given`, null, ['metrics'])
        plateauStep(options, state, metrics[t])
      },
      read (state, out, offset) {
        for (let g = 0; g < state.lrs.length; g++) out[offset + g] = state.lrs[g]
      }
    }
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

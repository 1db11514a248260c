/**
 * timm's `PlateauLRScheduler` (PyTorch's `ReduceLROnPlateau` with warmup and noise)
 * as a pure function of the metric history.
 *
 * timm's scheduler is stateful: it keeps the best metric, a count of bad epochs, a
 * cooldown counter and the LR from before its last noise. All of that is a fold over
 * the metrics the training loop reports, which is how it is written here.
 */
import { z } from 'zod'
import { defineScheduler, type FoldSchedule, type ParamGroup } from '../core/define.js'
import { scheduleValues, byGroup } from '../core/evaluate.js'
import { ScheduleError } from '../core/errors.js'
import { keywordArguments, pythonCall } from '../core/python.js'
import { baseValuesOf, checkInitialized, initializeShape, timmGroupShape } from './base.js'
import { checkNoiseBudget, isNoiseApplied, NoiseSteps } from './noise.js'
import { checkNoise, learningRate, noiseShape } from './params.js'
import { constructorValues, warmupSteps } from './warmup.js'

export const plateauShape = {
  decay_rate: z.number().default(0.1)
    .describe('The factor applied when the metric stops improving (ReduceLROnPlateau factor; must be < 1).'),
  patience_t: z.number().int().nonnegative().default(10)
    .describe('Epochs without improvement tolerated before a decay.'),
  threshold: z.number().default(1e-4)
    .describe('Relative improvement that counts: below best * (1 - threshold) in min mode, above best * (1 + threshold) in max mode.'),
  cooldown_t: z.number().int().nonnegative().default(0)
    .describe('Epochs after a decay during which bad epochs are not counted.'),
  warmup_t: z.number().int().nonnegative().default(0)
    .describe('Epochs of linear warmup from warmup_lr_init; plateau warms up while epoch <= warmup_t.'),
  warmup_lr_init: learningRate.default(0)
    .describe('The LR at epoch 0 of the warmup.'),
  lr_min: learningRate.default(0)
    .describe('No decay takes the LR below this.'),
  mode: z.enum(['min', 'max']).default('max')
    .describe('max: a higher metric is better (accuracy); min: lower is better (loss).'),
  ...noiseShape
}

export type PlateauParams = z.infer<z.ZodObject<typeof plateauShape>>

export const metricsSchema = z.array(z.number())
  .describe("The eval metric after each finished epoch, as train.py passes it to step(epoch + 1, metric). The schedule has one more epoch: epoch 0 is the constructor's.")

/** The request's own fields: the parameters, the metric history, and the only unit and view plateau has. */
const requestShape = {
  ...plateauShape,
  ...initializeShape,
  metrics: metricsSchema,
  unit: z.literal('epoch', { error: "plateau steps per epoch only: timm's PlateauLRScheduler does not step on updates (unit must be epoch)" })
    .default('epoch').describe('Always epoch: plateau steps once per epoch.'),
  view: z.literal('lr', { error: 'plateau answers the lr view only: its noise and decay are one stateful fold over the metrics (view must be lr)' })
    .default('lr').describe('Always lr.')
}

/** PyTorch's `ReduceLROnPlateau.eps`: a decay smaller than this is skipped. */
const EPS = 1e-8

/** What timm's plateau scheduler keeps between epochs, as plain data. */
interface PlateauState {
  /** Every group's LR. */
  lrs: number[]
  best: number
  badEpochs: number
  cooldownCounter: number
  /** The LRs from before the last noise, which the next step restores (when `noisy`). */
  restore: number[]
  noisy: boolean
}

/**
 * timm's plateau as a fold over the metric history: state 0 is the constructor's
 * value, and the step from `e` to `e + 1` is `step(e + 1, metrics[e])`.
 *
 * `step(epoch, metric)`: while `epoch <= warmup_t` (timm's plateau warms up one
 * epoch longer than its other schedulers), `lr = warmup_lr_init + epoch * step`;
 * after it, the LR from before the last noise is restored, `ReduceLROnPlateau.step`
 * runs (relative threshold, `patience`, `cooldown`, `min_lr`, eps 1e-8), and noise
 * multiplies the result by `1 + noise` where `noise_range_t` says.
 */
export function plateauFold (params: PlateauParams, groups: readonly ParamGroup[], metrics: readonly number[]): FoldSchedule<PlateauState> {
  if (!(params.decay_rate < 1)) {
    // torch.optim.lr_scheduler.ReduceLROnPlateau refuses it in its constructor.
    throw new ScheduleError(`decay_rate must be < 1 for plateau (ReduceLROnPlateau raises ValueError: Factor should be < 1.0.); got ${params.decay_rate}`, 'ValueError', ['decay_rate'])
  }
  const baseValues = baseValuesOf(groups)
  const steps = params.warmup_t !== 0 ? warmupSteps(baseValues, { ...params, warmup_prefix: false }) : []
  const isBetter = params.mode === 'min'
    ? (a: number, best: number) => a < best * (1 - params.threshold)
    : (a: number, best: number) => a > best * (params.threshold + 1)
  // The noise of consecutive epochs, drawn eight at a time (not part of the state:
  // it is a pure function of the epoch).
  const noise = params.noise_range_t === null ? null : new NoiseSteps(params)
  return {
    kind: 'fold',
    initial: () => ({
      lrs: constructorValues(groups, baseValues, params),
      best: params.mode === 'min' ? Infinity : -Infinity,
      badEpochs: 0,
      cooldownCounter: 0,
      restore: groups.map(() => 0),
      noisy: false
    }),
    advance (state, e) {
      const epoch = e + 1
      const metric = metrics[e]
      const lrs = state.lrs
      const n = lrs.length
      if (epoch <= params.warmup_t) {
        for (let g = 0; g < n; g++) {
          const value = params.warmup_lr_init + epoch * steps[g]
          const scale = groups[g].lr_scale
          lrs[g] = scale === undefined ? value : value * scale
        }
        return
      }
      if (state.noisy) {
        for (let g = 0; g < n; g++) lrs[g] = state.restore[g]
        state.noisy = false
      }
      if (isBetter(metric, state.best)) {
        state.best = metric
        state.badEpochs = 0
      } else {
        state.badEpochs += 1
      }
      if (state.cooldownCounter > 0) {
        state.cooldownCounter -= 1
        state.badEpochs = 0
      }
      if (state.badEpochs > params.patience_t) {
        for (let g = 0; g < n; g++) {
          const old = lrs[g]
          // Python's max(a, b) keeps a unless b is strictly greater.
          const scaled = old * params.decay_rate
          const decayed = params.lr_min > scaled ? params.lr_min : scaled
          if (old - decayed > EPS) lrs[g] = decayed
        }
        state.cooldownCounter = params.cooldown_t
        state.badEpochs = 0
      }
      if (noise !== null && isNoiseApplied(params.noise_range_t, epoch)) {
        const value = noise.at(epoch)
        for (let g = 0; g < n; g++) {
          const old = lrs[g]
          state.restore[g] = old
          lrs[g] = old + old * value
        }
        state.noisy = true
      }
    },
    read (state, out, offset) {
      for (let g = 0; g < state.lrs.length; g++) out[offset + g] = state.lrs[g]
    }
  }
}

/** Every epoch's LR per group, `metrics.length + 1` of them (the whole fold at once). */
export function plateauSchedule (params: PlateauParams, groups: readonly ParamGroup[], metrics: readonly number[]): Float64Array[] {
  return byGroup(scheduleValues(plateauFold(params, groups, metrics), groups.length, 0, metrics.length + 1), groups.length)
}

export const plateau = defineScheduler({
  name: 'plateau',
  reference: { library: 'timm', name: 'PlateauLRScheduler', importLine: 'from timm.scheduler import PlateauLRScheduler' },
  summary: 'Decay by decay_rate when the metric stops improving (ReduceLROnPlateau), from a metric history.',
  shape: requestShape,
  groupShape: timmGroupShape,
  check: (params, ctx) => checkNoise(params, ctx),
  evaluation: 'fold',
  create (params, groups) {
    checkInitialized(params.initialize, groups)
    return plateauFold(params, groups, params.metrics)
  },
  stepCount: (params) => params.metrics.length + 1,
  // Noise applies at epochs 1 .. metrics.length, after the warmup, and the fold runs from epoch 0.
  checkCost: (params, start, count) => checkNoiseBudget(params, 1, start + count - 1),
  python: (params) => pythonCall('PlateauLRScheduler', ['optimizer'], keywordArguments({ ...plateauShape, ...initializeShape }, params)),
  example: {
    summary: 'A loss that stops improving: LR 0.1, cut tenfold after 2 epochs without a new best',
    value: { mode: 'min', patience_t: 2, lr: 0.1, metrics: [0.9, 0.7, 0.6, 0.61, 0.6, 0.62, 0.5, 0.51, 0.52, 0.5] }
  }
})

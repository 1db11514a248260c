/**
 * timm's `PlateauLRScheduler` (PyTorch's `ReduceLROnPlateau` with warmup and noise)
 * as a pure function of the metric history.
 *
 * timm's scheduler is stateful: it keeps the best metric, a count of bad epochs, a
 * cooldown counter and the LR from before its last noise. All of that is a fold over
 * the metrics the training loop reports, which is how it is written here.
 */
import { z } from 'zod'
import { checkNoiseBudget, isNoiseApplied, noiseAt } from '../../noise/noise.js'
import { ScheduleError } from '../core/errors.js'
import { checkNoise, learningRate, noiseShape, type NoiseParams } from './params.js'
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

/** PyTorch's `ReduceLROnPlateau.eps`: a decay smaller than this is skipped. */
const EPS = 1e-8

/**
 * The LR each group holds in every epoch of timm's train loop: index 0 is the
 * constructor's value, index `e + 1` the value after `step(e + 1, metrics[e])`.
 *
 * `step(epoch, metric)`: while `epoch <= warmup_t` (timm's plateau warms up one
 * epoch longer than its other schedulers), `lr = warmup_lr_init + epoch * step`;
 * after it, the LR from before the last noise is restored, `ReduceLROnPlateau.step`
 * runs (relative threshold, `patience`, `cooldown`, `min_lr`, eps 1e-8), and noise
 * multiplies the result by `1 + noise` where `noise_range_t` says.
 */
export function plateauSchedule (
  params: PlateauParams,
  groups: readonly { lr: number, lr_scale?: number | undefined, initial_lr?: number | undefined }[],
  metrics: readonly number[]
): Float64Array[] {
  if (!(params.decay_rate < 1)) {
    // torch.optim.lr_scheduler.ReduceLROnPlateau refuses it in its constructor.
    throw new ScheduleError(`decay_rate must be < 1 for plateau (ReduceLROnPlateau raises ValueError: Factor should be < 1.0.); got ${params.decay_rate}`, 'ValueError', ['decay_rate'])
  }
  // Noise applies at epochs 1 .. metrics.length, after the warmup.
  checkNoiseBudget(params, 1, metrics.length)
  const baseValues = groups.map((group) => group.initial_lr ?? group.lr)
  const steps = params.warmup_t !== 0 ? warmupSteps(baseValues, { ...params, warmup_prefix: false }) : []
  const lrs = constructorValues(groups, baseValues, params)
  const out = groups.map(() => new Float64Array(metrics.length + 1))
  const record = (epoch: number): void => { lrs.forEach((lr, g) => { out[g][epoch] = lr }) }
  record(0)

  const isBetter = params.mode === 'min'
    ? (a: number, best: number) => a < best * (1 - params.threshold)
    : (a: number, best: number) => a > best * (params.threshold + 1)
  let best = params.mode === 'min' ? Infinity : -Infinity
  let badEpochs = 0
  let cooldownCounter = 0
  let restore: number[] | null = null

  for (let e = 0; e < metrics.length; e++) {
    const epoch = e + 1
    if (epoch <= params.warmup_t) {
      groups.forEach((group, g) => {
        const value = params.warmup_lr_init + epoch * steps[g]
        lrs[g] = group.lr_scale === undefined ? value : value * group.lr_scale
      })
    } else {
      if (restore !== null) {
        restore.forEach((lr, g) => { lrs[g] = lr })
        restore = null
      }
      if (isBetter(metrics[e], best)) {
        best = metrics[e]
        badEpochs = 0
      } else {
        badEpochs += 1
      }
      if (cooldownCounter > 0) {
        cooldownCounter -= 1
        badEpochs = 0
      }
      if (badEpochs > params.patience_t) {
        lrs.forEach((old, g) => {
          // Python's max(a, b) keeps a unless b is strictly greater.
          const scaled = old * params.decay_rate
          const decayed = params.lr_min > scaled ? params.lr_min : scaled
          if (old - decayed > EPS) lrs[g] = decayed
        })
        cooldownCounter = params.cooldown_t
        badEpochs = 0
      }
      if (isNoiseApplied(params.noise_range_t, epoch)) {
        const noise = noiseAt(params, epoch)
        restore = lrs.slice()
        lrs.forEach((old, g) => { lrs[g] = old + old * noise })
      }
    }
    record(epoch)
  }
  return out
}

export const plateau = {
  kind: 'plateau',
  timmClass: 'PlateauLRScheduler',
  summary: 'Decay by decay_rate when the metric stops improving (ReduceLROnPlateau), from a metric history.',
  shape: plateauShape,
  check: (params: NoiseParams, ctx: z.RefinementCtx) => checkNoise(params, ctx)
} as const

/**
 * transformers' `warmup_stable_decay` schedule: `get_wsd_schedule`.
 */
import { z } from 'zod'
import { sqrt } from '../../math/index.js'
import { defineScheduler } from '../core/define.js'
import { ScheduleError } from '../core/errors.js'
import { groupShape } from '../core/groups.js'
import { atLeast, exactInt, getSchedulerCall, lambdaLR, lastEpochField, pyCos, reference, remainingSteps, requireWarmupSteps, stepsField, warmupStepsField } from './base.js'

const phaseType = z.enum(['linear', 'cosine', '1-sqrt'])

const shape = {
  num_warmup_steps: warmupStepsField,
  num_training_steps: stepsField.optional()
    .describe('The length of the run: the stable phase is num_training_steps - num_warmup_steps - num_decay_steps when num_stable_steps is not given. One of the two is required.'),
  num_decay_steps: stepsField
    .describe('Steps of the decay phase, from the base LR to min_lr_ratio times it.'),
  num_stable_steps: stepsField.optional()
    .describe('Steps at the base LR between warmup and decay; used over num_training_steps when both are given.'),
  warmup_type: phaseType.default('linear')
    .describe("The warmup's shape: linear, cosine (0.5 * (1 - cos(pi * p))) or 1-sqrt (1 - sqrt(1 - p))."),
  decay_type: phaseType.default('cosine')
    .describe("The decay's shape: linear (1 - p), cosine (0.5 * (1 + cos(pi * num_cycles * 2 * p))) or 1-sqrt (1 - sqrt(p))."),
  min_lr_ratio: z.number().default(0)
    .describe("Where warmup starts and decay ends, as a fraction of the base LR; after the decay the LR stays there."),
  num_cycles: z.number().default(0.5)
    .describe('Cosine waves of a cosine decay; 0.5 is a half wave down to the minimum.'),
  last_epoch: lastEpochField
}

type Curve = z.infer<typeof phaseType>

/**
 * Warmup while `s < W`: `p = s / max(1, W)`, the warmup_type's curve `c(p)`, and
 * `max(0.0, c * (1.0 - min_lr_ratio) + min_lr_ratio)`; 1.0 while `s < W + S`; decay
 * while `s < W + S + D`: `p = (s - W - S) / max(1, D)` and the decay_type's curve, the
 * same way; `min_lr_ratio` after (`_get_wsd_scheduler_lambda`).
 */
export const warmupStableDecay = defineScheduler({
  name: 'transformers.warmup_stable_decay',
  reference,
  summary: 'Warmup, a stable phase at the base LR, then decay to min_lr_ratio times the base LR (linear, cosine or 1-sqrt phases).',
  shape,
  groupShape,
  evaluation: 'closed',
  create (params, groups) {
    const warmup = requireWarmupSteps('warmup_stable_decay', params)
    const decay = params.num_decay_steps
    if (params.num_training_steps === undefined && params.num_stable_steps === undefined) {
      throw new ScheduleError('Either num_training_steps or num_stable_steps must be specified.', 'ValueError', ['num_stable_steps'])
    }
    // num_training_steps - W - D may be negative: the decay then starts at W + S < W and picks up mid-curve after warmup (fixture warmup_stable_decay-1-127-edge).
    const stable = params.num_stable_steps ?? exactInt(params.num_training_steps! - warmup - decay, 'num_training_steps - num_warmup_steps - num_decay_steps')
    const stableEnd = exactInt(warmup + stable, 'num_warmup_steps + num_stable_steps')
    const decayEnd = exactInt(stableEnd + decay, 'num_warmup_steps + num_stable_steps + num_decay_steps')
    const ratio = params.min_lr_ratio
    const numCycles = params.num_cycles
    const curve = (type: Curve, rising: boolean, progress: number): number => {
      switch (type) {
        case 'linear': return rising ? progress : 1.0 - progress
        case 'cosine': return rising ? 0.5 * (1.0 - pyCos(Math.PI * progress)) : 0.5 * (1.0 + pyCos(Math.PI * numCycles * 2.0 * progress))
        case '1-sqrt': return rising ? 1.0 - sqrt(1.0 - progress) : 1.0 - sqrt(progress)
      }
    }
    return lambdaLR(groups, params.last_epoch, (step) => {
      if (step < warmup) {
        const factor = curve(params.warmup_type, true, step / Math.max(1, warmup))
        return atLeast(0.0, factor * (1.0 - ratio) + ratio)
      }
      if (step < stableEnd) return 1.0
      if (step < decayEnd) {
        const factor = curve(params.decay_type, false, (step - stableEnd) / Math.max(1, decay))
        return atLeast(0.0, factor * (1.0 - ratio) + ratio)
      }
      return ratio
    })
  },
  // The run is num_training_steps long when given (the Trainer passes its max_steps), else warmup + stable + decay.
  defaultCount: (params) => remainingSteps(params.num_training_steps ?? (params.num_warmup_steps ?? 0) + (params.num_stable_steps ?? 0) + params.num_decay_steps, params.last_epoch),
  warnings: (params) => params.num_training_steps !== undefined && params.num_stable_steps !== undefined
    ? ['Both num_training_steps and num_stable_steps are specified. num_stable_steps will be used. (transformers warns the same)']
    : [],
  python: (params) => getSchedulerCall('warmup_stable_decay', shape, params),
  example: {
    summary: 'WSD: 100 warmup steps, cosine decay over the last 200 of 1,000',
    value: { lr: 3e-4, num_warmup_steps: 100, num_training_steps: 1000, num_decay_steps: 200 }
  }
})

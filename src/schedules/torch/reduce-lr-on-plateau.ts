/**
 * torch's `ReduceLROnPlateau` as a fold over a metric history: the LR is multiplied
 * by `factor` when the metric has not improved for more than `patience` steps.
 */
import { z } from 'zod'
import { defineScheduler, type FoldSchedule, type ParamGroup } from '../core/define.js'
import { ScheduleError } from '../core/errors.js'
import { groupShape } from '../core/groups.js'
import { formatParam, perGroup, torchCall, torchReference, type Optimizer, type Path, type TorchScheduler } from './base.js'

/** The constructor's parameters (a child of a composite takes these, and is refused). */
export const reduceLROnPlateauParameters = {
  mode: z.enum(['min', 'max']).default('min')
    .describe('min: a lower metric is better (a loss); max: higher is better (an accuracy).'),
  factor: z.number().default(0.1)
    .describe('new_lr = lr * factor; torch requires factor < 1 (ValueError).'),
  patience: z.number().int().default(10)
    .describe('Steps without improvement tolerated; the LR is reduced at the next one.'),
  threshold: z.number().default(1e-4)
    .describe('What counts as an improvement: beyond best * (1 -/+ threshold) (rel) or best -/+ threshold (abs).'),
  threshold_mode: z.enum(['rel', 'abs']).default('rel')
    .describe('rel: the threshold is relative to the best metric; abs: absolute.'),
  cooldown: z.number().int().default(0)
    .describe('Steps after a reduction during which bad steps are not counted.'),
  min_lr: perGroup().default(0)
    .describe('No reduction goes below it: one value for every param group, or a list with one per group.'),
  eps: z.number().default(1e-8)
    .describe('A reduction smaller than eps is skipped.')
}

export const reduceLROnPlateauShape = {
  ...reduceLROnPlateauParameters,
  metrics: z.array(z.number())
    .describe('The metric passed to each step() call, in order: step t needs metrics[0 .. t-1], so metrics.length + 1 values exist.')
}

export type ReduceLROnPlateauParams = z.output<z.ZodObject<typeof reduceLROnPlateauShape>>
type ConstructorParams = z.output<z.ZodObject<typeof reduceLROnPlateauParameters>>

interface PlateauState {
  lr: number[]
  best: number
  num_bad_epochs: number
  cooldown_counter: number
  last_epoch: number
}

/** torch's constructor checks; returns `min_lrs`. */
function plateauMinLrs (params: ConstructorParams, groups: number, path: Path): number[] {
  if (params.factor >= 1) {
    throw new ScheduleError(`Factor should be < 1.0 (torch raises ValueError); got factor=${params.factor}`, 'ValueError', [...path, 'factor'])
  }
  if (Array.isArray(params.min_lr) && params.min_lr.length !== groups) {
    throw new ScheduleError(`expected ${groups} min_lrs, got ${params.min_lr.length} (torch raises ValueError)`, 'ValueError', [...path, 'min_lr'])
  }
  return formatParam('min_lr', params.min_lr, groups, path)
}

/**
 * One `step(metric)`: the metric is better than `best` if below `best * (1 - threshold)`
 * (min, rel), `best - threshold` (min, abs), above `best * (threshold + 1)` (max, rel)
 * or `best + threshold` (max, abs); a better one resets the bad count, any other adds
 * one; during a cooldown the count is reset and the cooldown counts down; past
 * `patience` bad steps every group becomes `max(lr * factor, min_lr)` where that is
 * more than `eps` lower, and the cooldown starts.
 */
export function reduceLROnPlateauFold (params: ReduceLROnPlateauParams, groups: readonly ParamGroup[]): FoldSchedule<PlateauState> {
  const minLrs = plateauMinLrs(params, groups.length, [])
  const { mode, factor, patience, threshold, cooldown, eps, metrics } = params
  const relative = params.threshold_mode === 'rel'
  const isBetter = mode === 'min'
    ? (relative ? (a: number, best: number) => a < best * (1 - threshold) : (a: number, best: number) => a < best - threshold)
    : (relative ? (a: number, best: number) => a > best * (threshold + 1) : (a: number, best: number) => a > best + threshold)
  const initial: PlateauState = {
    lr: groups.map((group) => group.lr),
    best: mode === 'min' ? Infinity : -Infinity,
    num_bad_epochs: 0,
    cooldown_counter: 0,
    last_epoch: 0
  }
  return {
    kind: 'fold',
    initial: () => structuredClone(initial),
    advance (state, t) {
      if (t >= metrics.length) {
        throw new ScheduleError(`step ${t + 1} needs metrics[${t}], and metrics has ${metrics.length} values`, null, ['metrics'])
      }
      const current = metrics[t]
      state.last_epoch += 1
      if (isBetter(current, state.best)) {
        state.best = current
        state.num_bad_epochs = 0
      } else {
        state.num_bad_epochs += 1
      }
      if (state.cooldown_counter > 0) {
        state.cooldown_counter -= 1
        state.num_bad_epochs = 0
      }
      if (state.num_bad_epochs > patience) {
        const lr = state.lr
        for (let g = 0; g < lr.length; g++) {
          const old = lr[g]
          const scaled = old * factor
          // Python's max(a, b) keeps a unless b is strictly greater.
          const reduced = minLrs[g] > scaled ? minLrs[g] : scaled
          if (old - reduced > eps) lr[g] = reduced
        }
        state.cooldown_counter = cooldown
        state.num_bad_epochs = 0
      }
    },
    read (state, out, offset) {
      const lr = state.lr
      for (let g = 0; g < lr.length; g++) out[offset + g] = lr[g]
    }
  }
}

/**
 * ReduceLROnPlateau built inside a composite, as a user can write it: torch builds
 * it (its own checks run) and the composite then refuses it by its class.
 */
export function buildReduceLROnPlateau (params: ConstructorParams, path: Path): TorchScheduler<Record<string, never>> {
  const unreachable = (): never => {
    throw new ScheduleError('ReduceLROnPlateau steps on a metric, which no composite passes', 'ValueError', path)
  }
  return {
    className: 'ReduceLROnPlateau',
    construct (opt: Optimizer) {
      plateauMinLrs(params, opt.lr.length, path)
      return {}
    },
    step: unreachable,
    initialStep: unreachable,
    restart: unreachable,
    undo () {}
  }
}

export const reduceLROnPlateau = defineScheduler({
  name: 'torch.ReduceLROnPlateau',
  reference: torchReference('ReduceLROnPlateau'),
  summary: 'Reduce the LR by factor when a metric stops improving, from the metric history of the steps so far.',
  shape: reduceLROnPlateauShape,
  groupShape,
  evaluation: 'fold',
  create: (params, groups) => reduceLROnPlateauFold(params, groups),
  defaultCount: (params) => params.metrics.length + 1,
  stepCount: (params) => params.metrics.length + 1,
  python: (params) => torchCall('ReduceLROnPlateau', reduceLROnPlateauShape, params, ['metrics']),
  example: {
    summary: 'A validation loss that stalls: the LR is divided by 10 after 2 steps without improvement',
    value: { lr: 0.1, mode: 'min', factor: 0.1, patience: 2, metrics: [1.0, 0.8, 0.7, 0.69, 0.7, 0.71, 0.6, 0.61, 0.62, 0.63] }
  }
})

/**
 * torch's `OneCycleLR` (Smith and Topin, arXiv 1708.07120): from `max_lr / div_factor`
 * up to `max_lr`, then down to `max_lr / div_factor / final_div_factor`, over
 * `total_steps` optimizer steps.
 */
import { z } from 'zod'
import { cos } from '../../math/index.js'
import { defineScheduler } from '../core/define.js'
import { ScheduleError } from '../core/errors.js'
import { groupShape } from '../core/groups.js'
import { formatParam, lastEpochField, lrScheduler, perGroup, torchCall, torchFold, torchReference, zeroDivision, type Optimizer, type Path } from './base.js'

export const oneCycleLRShape = {
  max_lr: perGroup()
    .describe('The peak LR: one for every param group, or a list with one per group. The groups\' own LR is not used.'),
  total_steps: z.number().nullable().default(null)
    .describe('Optimizer steps in the cycle; torch requires a positive integer (ValueError). null: epochs * steps_per_epoch.'),
  epochs: z.number().nullable().default(null)
    .describe('With steps_per_epoch, gives total_steps when it is null; a positive integer.'),
  steps_per_epoch: z.number().nullable().default(null)
    .describe('With epochs, gives total_steps when it is null; a positive integer.'),
  pct_start: z.number().default(0.3)
    .describe('The fraction of the cycle spent going up; torch requires 0 <= pct_start <= 1 (ValueError). A JSON number is taken as a Python float here, where torch refuses an int.'),
  anneal_strategy: z.enum(['cos', 'linear']).default('cos')
    .describe('cos: cosine annealing within each phase; linear: straight lines.'),
  cycle_momentum: z.boolean().default(true)
    .describe('Whether torch also cycles the momentum, inversely. The service answers LRs only: momentum never changes an LR. With it on, torch checks the momentum lists\' lengths (ValueError) and needs an optimizer with momentum or betas (SGD, Adam, ... as assumed here; with another, pass false).'),
  base_momentum: perGroup().default(0.85)
    .describe('The momentum at the LR peak (momentum only, not an LR).'),
  max_momentum: perGroup().default(0.95)
    .describe('The momentum at the LR ends (momentum only, not an LR).'),
  div_factor: z.number().default(25)
    .describe('The starting LR is max_lr / div_factor.'),
  final_div_factor: z.number().default(1e4)
    .describe('The final LR is max_lr / div_factor / final_div_factor.'),
  three_phase: z.boolean().default(false)
    .describe('false: up, then down to the final LR (fastai); true: up, down to the starting LR symmetrically, then to the final LR (the paper).'),
  last_epoch: lastEpochField
}

export type OneCycleLRParams = z.output<z.ZodObject<typeof oneCycleLRShape>>

type GroupKey = 'initial_lr' | 'max_lr' | 'min_lr'

interface Phase {
  readonly end: number
  readonly from: GroupKey
  readonly to: GroupKey
}

/** `total_steps`, or `epochs * steps_per_epoch`, with torch's checks. */
export function oneCycleTotalSteps (params: OneCycleLRParams, path: Path = []): number {
  const { total_steps: totalSteps, epochs, steps_per_epoch: stepsPerEpoch } = params
  if (totalSteps !== null) {
    if (totalSteps <= 0 || !Number.isInteger(totalSteps)) {
      throw new ScheduleError(`Expected positive integer total_steps, but got ${totalSteps} (torch raises ValueError)`, 'ValueError', [...path, 'total_steps'])
    }
    return totalSteps
  }
  if (epochs !== null && stepsPerEpoch !== null) {
    if (!Number.isInteger(epochs) || epochs <= 0) {
      throw new ScheduleError(`Expected positive integer epochs, but got ${epochs} (torch raises ValueError)`, 'ValueError', [...path, 'epochs'])
    }
    if (!Number.isInteger(stepsPerEpoch) || stepsPerEpoch <= 0) {
      throw new ScheduleError(`Expected positive integer steps_per_epoch, but got ${stepsPerEpoch} (torch raises ValueError)`, 'ValueError', [...path, 'steps_per_epoch'])
    }
    return epochs * stepsPerEpoch
  }
  throw new ScheduleError('You must define either total_steps OR (epochs AND steps_per_epoch) (torch raises ValueError)', 'ValueError', [...path, 'total_steps'])
}

function groupValue (opt: Optimizer, key: GroupKey, g: number, path: Path): number {
  const value = opt[key][g]
  if (value === null) {
    throw new ScheduleError(
      `param_groups[${g}] has no '${key}': OneCycleLR sets it only when it starts (last_epoch=-1), so a resumed OneCycleLR needs the optimizer state of the run it resumes; torch raises KeyError`,
      'KeyError', [...path, 'last_epoch'])
  }
  return value
}

/**
 * At step t (`get_lr`, not chainable): the phase that t falls in (t <= its end step,
 * or the last), `pct = (t - start) / (end - start)` with `start` the previous phase's
 * end, and from the phase's starting value `a` to its ending value `b`:
 * `b + (a - b) / 2.0 * (cos(pi * pct) + 1)` (cos) or `(b - a) * pct + a` (linear).
 * The phases end at `pct_start * total - 1`, then (three_phase)
 * `2 * pct_start * total - 2`, and `total - 1`; the values are the group keys that
 * the constructor sets: `initial_lr = max_lr / div_factor`, `max_lr`,
 * `min_lr = initial_lr / final_div_factor`. Past `total_steps` torch raises ValueError.
 */
export function buildOneCycleLR (params: OneCycleLRParams, path: Path = []) {
  const { last_epoch: lastEpoch, pct_start: pctStart, div_factor: divFactor, final_div_factor: finalDivFactor } = params
  const linear = params.anneal_strategy === 'linear'
  let resolved: number | ScheduleError
  try {
    resolved = oneCycleTotalSteps(params, path)
  } catch (error) {
    if (!(error instanceof ScheduleError)) throw error
    resolved = error
  }
  const total = typeof resolved === 'number' ? resolved : 0
  const phases: readonly Phase[] = params.three_phase
    ? [
        { end: pctStart * total - 1, from: 'initial_lr', to: 'max_lr' },
        { end: 2 * pctStart * total - 2, from: 'max_lr', to: 'initial_lr' },
        { end: total - 1, from: 'initial_lr', to: 'min_lr' }
      ]
    : [
        { end: pctStart * total - 1, from: 'initial_lr', to: 'max_lr' },
        { end: total - 1, from: 'max_lr', to: 'min_lr' }
      ]
  return lrScheduler({
    className: 'OneCycleLR',
    lastEpoch,
    path,
    before (opt) {
      if (typeof resolved !== 'number') throw resolved
      if (pctStart < 0 || pctStart > 1) {
        throw new ScheduleError(`Expected float between 0 and 1 pct_start, but got ${pctStart} (torch raises ValueError)`, 'ValueError', [...path, 'pct_start'])
      }
      const groups = opt.lr.length
      const maxLrs = formatParam('max_lr', params.max_lr, groups, path)
      if (lastEpoch === -1) {
        for (let g = 0; g < groups; g++) {
          if (divFactor === 0) throw zeroDivision('max_lr / div_factor with div_factor=0', [...path, 'div_factor'])
          const initial = maxLrs[g] / divFactor
          // Not a setdefault: schedulers built after this one, and SequentialLR's reset, read it.
          opt.initial_lr[g] = initial
          opt.max_lr[g] = maxLrs[g]
          if (finalDivFactor === 0) throw zeroDivision('initial_lr / final_div_factor with final_div_factor=0', [...path, 'final_div_factor'])
          opt.min_lr[g] = initial / finalDivFactor
        }
      }
      if (params.cycle_momentum) {
        formatParam('max_momentum', params.max_momentum, groups, path)
        formatParam('base_momentum', params.base_momentum, groups, path)
        if (lastEpoch === -1) opt.momentum_keys = true
      }
      return {}
    },
    getLr (state, opt) {
      const stepNum = state.last_epoch
      if (stepNum > total) {
        throw new ScheduleError(`Tried to step ${stepNum} times. The specified number of total steps is ${total} (torch raises ValueError past total_steps)`, 'ValueError', [...path, 'total_steps'])
      }
      let start = 0
      let phase = phases[phases.length - 1]
      for (let i = 0; i < phases.length; i++) {
        if (stepNum <= phases[i].end || i === phases.length - 1) {
          phase = phases[i]
          break
        }
        start = phases[i].end
      }
      const span = phase.end - start
      if (span === 0) throw zeroDivision(`OneCycleLR's pct at step ${stepNum} (a phase of length 0)`, [...path, 'pct_start'])
      const pct = (stepNum - start) / span
      const cosOut = linear ? 0 : cos(Math.PI * pct) + 1
      const lr = opt.lr
      for (let g = 0; g < lr.length; g++) {
        const a = groupValue(opt, phase.from, g, path)
        const b = groupValue(opt, phase.to, g, path)
        lr[g] = linear ? (b - a) * pct + a : b + (a - b) / 2 * cosOut
        if (params.cycle_momentum && !opt.momentum_keys) {
          throw new ScheduleError(`param_groups[${g}] has no 'max_momentum': OneCycleLR with cycle_momentum sets it only when it starts (last_epoch=-1); torch raises KeyError`, 'KeyError', [...path, 'cycle_momentum'])
        }
      }
    }
  })
}

export const oneCycleLR = defineScheduler({
  name: 'torch.OneCycleLR',
  reference: torchReference('OneCycleLR'),
  summary: 'The 1cycle policy: up from max_lr / div_factor to max_lr, then down far below the start, over total_steps optimizer steps.',
  shape: oneCycleLRShape,
  groupShape,
  evaluation: 'fold',
  create: (params, groups) => torchFold(buildOneCycleLR(params), groups),
  defaultCount (params) {
    try {
      return oneCycleTotalSteps(params)
    } catch {
      return 1
    }
  },
  python: (params) => torchCall('OneCycleLR', oneCycleLRShape, params),
  example: {
    summary: "torch's OneCycleLR example: peak 0.01, 10 epochs of 50 batches (500 steps)",
    value: { lr: 0.0001, max_lr: 0.01, epochs: 10, steps_per_epoch: 50 }
  }
})

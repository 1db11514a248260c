/**
 * torch's `CyclicLR` (Smith, arXiv 1506.01186): the LR cycles between `base_lr` and
 * `max_lr`, up over `step_size_up` steps and down over `step_size_down`. `scale_fn`
 * (a Python function) is not taken, as LambdaLR's functions are not.
 */
import { z } from 'zod'
import { defineScheduler } from '../core/define.js'
import { groupShape } from '../core/groups.js'
import { pyFloor, pyPow } from '../core/python.js'
import { formatParam, lastEpochField, lrScheduler, perGroup, torchCall, torchFold, torchReference, zeroDivision, type Path } from './base.js'

export const cyclicLRShape = {
  base_lr: perGroup()
    .describe('The bottom of the cycle: one LR for every param group, or a list with one per group. It replaces the groups\' LR at construction.'),
  max_lr: perGroup()
    .describe('The top of the cycle: one LR for every param group, or a list with one per group.'),
  step_size_up: z.number().default(2000)
    .describe('Steps from base_lr up to max_lr.'),
  step_size_down: z.number().nullable().default(null)
    .describe('Steps from max_lr down to base_lr; null: step_size_up.'),
  mode: z.enum(['triangular', 'triangular2', 'exp_range']).default('triangular')
    .describe('triangular: the same triangle every cycle; triangular2: its height halves every cycle; exp_range: the height is scaled by gamma ** step.'),
  gamma: z.number().default(1)
    .describe("exp_range's factor per step."),
  scale_mode: z.enum(['cycle', 'iterations']).default('cycle')
    .describe("Accepted as torch accepts it, and overridden as torch overrides it without a scale_fn: triangular and triangular2 scale per cycle, exp_range per step."),
  cycle_momentum: z.boolean().default(true)
    .describe('Whether torch also cycles the momentum, inversely. The service answers LRs only: momentum never changes an LR. With it on, torch checks the momentum lists\' lengths (ValueError) and needs an optimizer with momentum or betas (SGD, Adam, ... as assumed here; with another, pass false).'),
  base_momentum: perGroup().default(0.8)
    .describe('The momentum at the top of the LR cycle (momentum only, not an LR).'),
  max_momentum: perGroup().default(0.9)
    .describe('The momentum at the bottom of the LR cycle (momentum only, not an LR).'),
  last_epoch: lastEpochField
}

export type CyclicLRParams = z.output<z.ZodObject<typeof cyclicLRShape>>

interface CyclicState {
  /** The formatted `base_lr`, which becomes `base_lrs` once the constructor's step is done. */
  base_lr: number[]
  max_lrs: number[]
}

/**
 * At step t (`get_lr`, not chainable): `cycle = floor(1 + t / total)`,
 * `x = 1.0 + t / total - cycle`, `scale = x / ratio` on the way up
 * (`x <= ratio`), `(x - 1) / (ratio - 1)` on the way down, and
 * `lr = base + (max - base) * scale * f`, with `f` 1 (triangular),
 * `1 / 2.0 ** (cycle - 1)` (triangular2) or `gamma ** t` (exp_range); `total` is
 * `step_size_up + step_size_down` and `ratio` `step_size_up / total`.
 */
export function buildCyclicLR (params: CyclicLRParams, path: Path = []) {
  const up = params.step_size_up
  const down = params.step_size_down ?? up
  const total = up + down
  const ratio = total === 0 ? 0 : up / total
  const { mode, gamma, last_epoch: lastEpoch } = params
  return lrScheduler<CyclicState>({
    className: 'CyclicLR',
    lastEpoch,
    path,
    before (opt) {
      const groups = opt.lr.length
      const base = formatParam('base_lr', params.base_lr, groups, path)
      if (lastEpoch === -1) for (let g = 0; g < groups; g++) opt.lr[g] = base[g]
      const maxLrs = formatParam('max_lr', params.max_lr, groups, path)
      if (total === 0) throw zeroDivision('step_size_up / (step_size_up + step_size_down) with both 0', [...path, 'step_size_up'])
      if (params.cycle_momentum) {
        formatParam('base_momentum', params.base_momentum, groups, path)
        formatParam('max_momentum', params.max_momentum, groups, path)
        if (lastEpoch === -1) opt.momentum_keys = true
      }
      return { base_lr: base, max_lrs: maxLrs }
    },
    after (state) {
      // torch replaces base_lrs only now: the constructor's step above read the groups' initial_lr.
      state.base_lrs = state.base_lr.slice()
    },
    getLr (state, opt) {
      const t = state.last_epoch
      const cycle = pyFloor(1 + t / total)
      const x = 1 + t / total - cycle
      let scale: number
      if (x <= ratio) {
        if (ratio === 0) throw zeroDivision('x / step_ratio with step_size_up=0', [...path, 'step_size_up'])
        scale = x / ratio
      } else {
        scale = (x - 1) / (ratio - 1)
      }
      // Without a scale_fn torch sets scale_mode from mode, whatever was passed: cycle, cycle, iterations.
      const f = mode === 'triangular' ? 1 : mode === 'triangular2' ? 1 / pyPow(2, cycle - 1) : pyPow(gamma, t)
      const lr = opt.lr
      for (let g = 0; g < lr.length; g++) {
        const base = state.base_lrs[g]
        lr[g] = base + (state.max_lrs[g] - base) * scale * f
      }
    }
  })
}

export const cyclicLR = defineScheduler({
  name: 'torch.CyclicLR',
  reference: torchReference('CyclicLR'),
  summary: 'Cycle the LR between base_lr and max_lr (triangular, triangular2 or exp_range), one value per optimizer step.',
  shape: cyclicLRShape,
  groupShape,
  evaluation: 'fold',
  create: (params, groups) => torchFold(buildCyclicLR(params), groups),
  python: (params) => torchCall('CyclicLR', cyclicLRShape, params),
  example: {
    summary: "torch's CyclicLR example: between 0.01 and 0.1, 10 steps up and 10 down",
    value: { lr: 0.1, base_lr: 0.01, max_lr: 0.1, step_size_up: 10, count: 100 }
  }
})

/**
 * torch's `LinearLR`: the LR's factor moves linearly from `start_factor` to
 * `end_factor` over `total_iters` steps.
 */
import { z } from 'zod'
import { defineScheduler } from '../core/define.js'
import { groupShape } from '../core/groups.js'
import { ScheduleError } from '../core/errors.js'
import { lastEpochField, lrScheduler, torchCall, torchFold, torchReference, zeroDivision, type Path } from './base.js'

export const linearLRShape = {
  start_factor: z.number().default(1 / 3)
    .describe('The factor at step 0; torch requires 0 < start_factor <= 1 (ValueError).'),
  end_factor: z.number().default(1)
    .describe('The factor from total_iters on; torch requires 0 <= end_factor <= 1 (ValueError).'),
  total_iters: z.number().default(5)
    .describe('Steps over which the factor moves from start_factor to end_factor.'),
  last_epoch: lastEpochField
}

export type LinearLRParams = z.output<z.ZodObject<typeof linearLRShape>>

/**
 * Chainable (`get_lr`): at step 0 `lr = lr * start_factor`; for `0 < t <= total_iters`
 * `lr = lr * (1.0 + (end - start) / (total_iters * start + (t - 1) * (end - start)))`,
 * the ratio of two consecutive factors; after that unchanged. The product of those
 * ratios is not the documented `start + (end - start) * t / total_iters`: the bits
 * differ in most steps. Closed form (SequentialLR's hand-over only):
 * `base_lr * (start + (end - start) * min(total_iters, t) / total_iters)`.
 */
export function buildLinearLR (params: LinearLRParams, path: Path = []) {
  const { start_factor: start, end_factor: end, total_iters: totalIters } = params
  return lrScheduler({
    className: 'LinearLR',
    lastEpoch: params.last_epoch,
    path,
    before () {
      if (start > 1 || start <= 0) {
        throw new ScheduleError(`Starting multiplicative factor expected to be greater than 0 and less or equal to 1 (torch raises ValueError); got start_factor=${start}`, 'ValueError', [...path, 'start_factor'])
      }
      if (end > 1 || end < 0) {
        throw new ScheduleError(`Ending multiplicative factor expected to be between 0 and 1 (torch raises ValueError); got end_factor=${end}`, 'ValueError', [...path, 'end_factor'])
      }
      return {}
    },
    getLr (state, opt, initial) {
      const lr = opt.lr
      const t = state.last_epoch
      if (t === 0) {
        for (let g = 0; g < lr.length; g++) lr[g] = lr[g] * start
        return
      }
      if (initial || t > totalIters) return
      const denominator = totalIters * start + (t - 1) * (end - start)
      if (denominator === 0) throw zeroDivision(`LinearLR's ratio at step ${t}`, [...path, 'total_iters'])
      const ratio = 1 + (end - start) / denominator
      for (let g = 0; g < lr.length; g++) lr[g] = lr[g] * ratio
    },
    closedForm (state, opt) {
      if (totalIters === 0) throw zeroDivision('LinearLR\'s closed form with total_iters=0', [...path, 'total_iters'])
      const factor = start + (end - start) * Math.min(totalIters, state.last_epoch) / totalIters
      for (let g = 0; g < opt.lr.length; g++) opt.lr[g] = state.base_lrs[g] * factor
    }
  })
}

export const linearLR = defineScheduler({
  name: 'torch.LinearLR',
  reference: torchReference('LinearLR'),
  summary: 'Move the LR factor linearly from start_factor to end_factor over total_iters steps, each value from the one before, as torch computes it.',
  shape: linearLRShape,
  groupShape,
  evaluation: 'fold',
  create: (params, groups) => torchFold(buildLinearLR(params), groups),
  python: (params) => torchCall('LinearLR', linearLRShape, params),
  example: {
    summary: "torch's LinearLR tutorial: warm up from 5% of 0.05 over 40 epochs",
    value: { lr: 0.05, start_factor: 0.05, total_iters: 40, count: 100 }
  }
})

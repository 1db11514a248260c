/**
 * torch's `ConstantLR`: the LR is multiplied by `factor` until `total_iters`, then
 * restored.
 */
import { z } from 'zod'
import { defineScheduler } from '../core/define.js'
import { groupShape } from '../core/groups.js'
import { ScheduleError } from '../core/errors.js'
import { lastEpochField, lrScheduler, torchCall, torchFold, torchReference, zeroDivision, type Path } from './base.js'

export const constantLRShape = {
  factor: z.number().default(1 / 3)
    .describe('The factor applied until total_iters; torch requires 0 <= factor <= 1 (ValueError).'),
  total_iters: z.number().default(5)
    .describe('The step at which the factor is undone. torch compares it with ==: a fraction never matches, so the factor stays.'),
  last_epoch: lastEpochField
}

export type ConstantLRParams = z.output<z.ZodObject<typeof constantLRShape>>

/**
 * Chainable (`get_lr`): at step 0 `lr = lr * factor`; at `total_iters`
 * `lr = lr * (1.0 / factor)` (not the base LR back: the product rounds); elsewhere
 * unchanged. Closed form (SequentialLR's hand-over only):
 * `base_lr * (factor + (last_epoch >= total_iters) * (1 - factor))`.
 */
export function buildConstantLR (params: ConstantLRParams, path: Path = []) {
  const { factor, total_iters: totalIters } = params
  return lrScheduler({
    className: 'ConstantLR',
    lastEpoch: params.last_epoch,
    path,
    before () {
      if (factor > 1 || factor < 0) {
        throw new ScheduleError(`Constant multiplicative factor expected to be between 0 and 1 (torch raises ValueError); got factor=${factor}`, 'ValueError', [...path, 'factor'])
      }
      return {}
    },
    getLr (state, opt) {
      const lr = opt.lr
      if (state.last_epoch === 0) {
        for (let g = 0; g < lr.length; g++) lr[g] = lr[g] * factor
        return
      }
      // torch compares with ==: a fractional total_iters never matches, and the factor stays.
      if (state.last_epoch !== totalIters) return
      if (factor === 0) throw zeroDivision('1.0 / factor with factor=0 at last_epoch == total_iters', [...path, 'factor'])
      // Undone as lr * (1.0 / factor), not back to base_lr: two roundings can leave it an ulp off.
      const inverse = 1 / factor
      for (let g = 0; g < lr.length; g++) lr[g] = lr[g] * inverse
    },
    closedForm (state, opt) {
      const restored = state.last_epoch >= totalIters ? 1 - factor : 0
      for (let g = 0; g < opt.lr.length; g++) opt.lr[g] = state.base_lrs[g] * (factor + restored)
    }
  })
}

export const constantLR = defineScheduler({
  name: 'torch.ConstantLR',
  reference: torchReference('ConstantLR'),
  summary: 'Multiply the LR by a constant factor until total_iters, then undo it, as torch computes it.',
  shape: constantLRShape,
  groupShape,
  evaluation: 'fold',
  create: (params, groups) => torchFold(buildConstantLR(params), groups),
  python: (params) => torchCall('ConstantLR', constantLRShape, params),
  example: {
    summary: "torch's ConstantLR tutorial: half of 0.05 for 40 epochs",
    value: { lr: 0.05, factor: 0.5, total_iters: 40, count: 100 }
  }
})

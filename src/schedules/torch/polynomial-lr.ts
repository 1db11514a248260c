/**
 * torch's `PolynomialLR`: the LR decays polynomially to 0 over `total_iters` steps.
 */
import { z } from 'zod'
import { defineScheduler } from '../core/define.js'
import { groupShape } from '../core/groups.js'
import { pyPow } from '../core/python.js'
import { lastEpochField, lrScheduler, torchCall, torchFold, torchReference, zeroDivision, type Path } from './base.js'

export const polynomialLRShape = {
  total_iters: z.number().default(5)
    .describe('Steps over which the LR decays to 0; it stays there after.'),
  power: z.number().default(1)
    .describe('The power of the polynomial. A negative power fails at total_iters (0.0 ** power: ZeroDivisionError), as in torch.'),
  last_epoch: lastEpochField
}

export type PolynomialLRParams = z.output<z.ZodObject<typeof polynomialLRShape>>

/**
 * Chainable (`get_lr`): for `0 < t <= total_iters`
 * `lr = lr * ((1.0 - t / total_iters) / (1.0 - (t - 1) / total_iters)) ** power`,
 * a ratio of consecutive terms of the documented
 * `base_lr * (1 - t / total_iters) ** power`, which the product does not reproduce
 * bit for bit; unchanged elsewhere. Closed form (SequentialLR's hand-over only):
 * `base_lr * (1.0 - min(total_iters, t) / total_iters) ** power`.
 */
export function buildPolynomialLR (params: PolynomialLRParams, path: Path = []) {
  const { total_iters: totalIters, power } = params
  return lrScheduler({
    className: 'PolynomialLR',
    lastEpoch: params.last_epoch,
    path,
    getLr (state, opt, initial) {
      const t = state.last_epoch
      if (initial || t > totalIters) return
      if (totalIters === 0) throw zeroDivision('t / total_iters with total_iters=0', [...path, 'total_iters'])
      const denominator = 1 - (t - 1) / totalIters
      if (denominator === 0) throw zeroDivision(`PolynomialLR's ratio at step ${t}`, [...path, 'total_iters'])
      const factor = pyPow((1 - t / totalIters) / denominator, power)
      const lr = opt.lr
      for (let g = 0; g < lr.length; g++) lr[g] = lr[g] * factor
    },
    closedForm (state, opt) {
      if (totalIters === 0) throw zeroDivision("PolynomialLR's closed form with total_iters=0", [...path, 'total_iters'])
      const factor = pyPow(1 - Math.min(totalIters, state.last_epoch) / totalIters, power)
      for (let g = 0; g < opt.lr.length; g++) opt.lr[g] = state.base_lrs[g] * factor
    }
  })
}

export const polynomialLR = defineScheduler({
  name: 'torch.PolynomialLR',
  reference: torchReference('PolynomialLR'),
  summary: 'Decay the LR polynomially to 0 over total_iters steps, each value from the one before, as torch computes it.',
  shape: polynomialLRShape,
  groupShape,
  evaluation: 'fold',
  create: (params, groups) => torchFold(buildPolynomialLR(params), groups),
  python: (params) => torchCall('PolynomialLR', polynomialLRShape, params),
  example: {
    summary: "torch's PolynomialLR tutorial: 0.05 to 0 over 50 epochs, power 0.9",
    value: { lr: 0.05, total_iters: 50, power: 0.9, count: 100 }
  }
})

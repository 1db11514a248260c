/**
 * torch's `ExponentialLR`: the LR is multiplied by `gamma` at every step.
 */
import { z } from 'zod'
import { defineScheduler } from '../core/define.js'
import { groupShape } from '../core/groups.js'
import { pyPow } from '../core/python.js'
import { lastEpochField, lrScheduler, torchCall, torchFold, torchReference, type Path } from './base.js'

export const exponentialLRShape = {
  gamma: z.number()
    .describe('Multiplicative factor applied at every step.'),
  last_epoch: lastEpochField
}

export type ExponentialLRParams = z.output<z.ZodObject<typeof exponentialLRShape>>

/**
 * Chainable (`get_lr`): `lr = lr * gamma` at every step but the constructor's, so
 * step t holds `lr` multiplied t times, rounded t times, which is not the documented
 * `base_lr * gamma ** t`. Closed form (SequentialLR's hand-over only): `base_lr * gamma ** t`.
 */
export function buildExponentialLR (params: ExponentialLRParams, path: Path = []) {
  const { gamma } = params
  return lrScheduler({
    className: 'ExponentialLR',
    lastEpoch: params.last_epoch,
    path,
    getLr (_state, opt, initial) {
      if (initial) return
      const lr = opt.lr
      for (let g = 0; g < lr.length; g++) lr[g] = lr[g] * gamma
    },
    closedForm (state, opt) {
      const factor = pyPow(gamma, state.last_epoch)
      for (let g = 0; g < opt.lr.length; g++) opt.lr[g] = state.base_lrs[g] * factor
    }
  })
}

export const exponentialLR = defineScheduler({
  name: 'torch.ExponentialLR',
  reference: torchReference('ExponentialLR'),
  summary: 'Multiply the LR by gamma at every step, each value from the one before, as torch computes it.',
  shape: exponentialLRShape,
  groupShape,
  evaluation: 'fold',
  create: (params, groups) => torchFold(buildExponentialLR(params), groups),
  python: (params) => torchCall('ExponentialLR', exponentialLRShape, params),
  example: {
    summary: "torch's ExponentialLR tutorial: 0.05, times 0.95 every epoch",
    value: { lr: 0.05, gamma: 0.95, count: 100 }
  }
})

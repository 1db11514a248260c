/**
 * torch's `MultiStepLR`: the LR is multiplied by `gamma` at each milestone.
 */
import { z } from 'zod'
import { defineScheduler } from '../core/define.js'
import { groupShape } from '../core/groups.js'
import { pyPow } from '../core/python.js'
import { bisectRight, lastEpochField, lrScheduler, torchCall, torchFold, torchReference, type Path } from './base.js'

export const multiStepLRShape = {
  milestones: z.array(z.number().int())
    .describe('The steps at which the LR is multiplied by gamma. torch counts them (a Counter): a milestone listed twice multiplies by gamma ** 2; the order does not matter.'),
  gamma: z.number().default(0.1)
    .describe('Multiplicative factor of each decay.'),
  last_epoch: lastEpochField
}

export type MultiStepLRParams = z.output<z.ZodObject<typeof multiStepLRShape>>

/**
 * Chainable (`get_lr`): at a milestone `m` listed `k` times, `lr = lr * gamma ** k`;
 * elsewhere unchanged. Closed form (SequentialLR's hand-over only):
 * `base_lr * gamma ** bisect_right(sorted(milestones), last_epoch)`.
 */
export function buildMultiStepLR (params: MultiStepLRParams, path: Path = []) {
  const { gamma } = params
  const counts = new Map<number, number>()
  for (const milestone of params.milestones) counts.set(milestone, (counts.get(milestone) ?? 0) + 1)
  const sorted = params.milestones.slice().sort((a, b) => a - b)
  return lrScheduler({
    className: 'MultiStepLR',
    lastEpoch: params.last_epoch,
    path,
    getLr (state, opt) {
      const count = counts.get(state.last_epoch)
      if (count === undefined) return
      const factor = pyPow(gamma, count)
      const lr = opt.lr
      for (let g = 0; g < lr.length; g++) lr[g] = lr[g] * factor
    },
    closedForm (state, opt) {
      const factor = pyPow(gamma, bisectRight(sorted, state.last_epoch))
      for (let g = 0; g < opt.lr.length; g++) opt.lr[g] = state.base_lrs[g] * factor
    }
  })
}

export const multiStepLR = defineScheduler({
  name: 'torch.MultiStepLR',
  reference: torchReference('MultiStepLR'),
  summary: 'Multiply the LR by gamma at each milestone, each value from the one before, as torch computes it.',
  shape: multiStepLRShape,
  groupShape,
  evaluation: 'fold',
  create: (params, groups) => torchFold(buildMultiStepLR(params), groups),
  python: (params) => torchCall('MultiStepLR', multiStepLRShape, params),
  example: {
    summary: "torch's MultiStepLR tutorial: 0.05, divided by 10 at epochs 30 and 80",
    value: { lr: 0.05, milestones: [30, 80], gamma: 0.1, count: 100 }
  }
})

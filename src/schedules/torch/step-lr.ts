/**
 * torch's `StepLR`: every `step_size` steps, the LR is multiplied by `gamma`.
 */
import { z } from 'zod'
import { defineScheduler } from '../core/define.js'
import { groupShape } from '../core/groups.js'
import { floorDiv, pyPow } from '../core/python.js'
import { lastEpochField, lrScheduler, torchCall, torchFold, torchReference, zeroDivision, type Path } from './base.js'

export const stepLRShape = {
  step_size: z.number()
    .describe('Period of the decay, in steps. torch does not check it: 0 fails at the first step (ZeroDivisionError), -n decays like n.'),
  gamma: z.number().default(0.1)
    .describe('Multiplicative factor of the decay.'),
  last_epoch: lastEpochField
}

export type StepLRParams = z.output<z.ZodObject<typeof stepLRShape>>

/**
 * Chainable (`get_lr`): `lr = lr * gamma` when `last_epoch % step_size == 0` (but not
 * at 0), else unchanged. Closed form (SequentialLR's hand-over only):
 * `base_lr * gamma ** (last_epoch // step_size)`.
 */
export function buildStepLR (params: StepLRParams, path: Path = []) {
  const { step_size: stepSize, gamma } = params
  const checkStepSize = (): void => {
    if (stepSize === 0) throw zeroDivision('last_epoch % step_size with step_size=0', [...path, 'step_size'])
  }
  return lrScheduler({
    className: 'StepLR',
    lastEpoch: params.last_epoch,
    path,
    getLr (state, opt) {
      if (state.last_epoch === 0) return
      checkStepSize()
      // Only whether % step_size is 0 counts, so a negative step_size decays like its absolute value.
      if (state.last_epoch % stepSize !== 0) return
      const lr = opt.lr
      for (let g = 0; g < lr.length; g++) lr[g] = lr[g] * gamma
    },
    closedForm (state, opt) {
      checkStepSize()
      const factor = pyPow(gamma, floorDiv(state.last_epoch, stepSize))
      for (let g = 0; g < opt.lr.length; g++) opt.lr[g] = state.base_lrs[g] * factor
    }
  })
}

export const stepLR = defineScheduler({
  name: 'torch.StepLR',
  reference: torchReference('StepLR'),
  summary: 'Multiply the LR by gamma every step_size steps, each value from the one before, as torch computes it.',
  shape: stepLRShape,
  groupShape,
  evaluation: 'fold',
  create: (params, groups) => torchFold(buildStepLR(params), groups),
  python: (params) => torchCall('StepLR', stepLRShape, params),
  example: {
    summary: "torch's StepLR tutorial: 0.05, divided by 10 every 30 epochs",
    value: { lr: 0.05, step_size: 30, gamma: 0.1, count: 100 }
  }
})

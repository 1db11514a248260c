/**
 * torch's `CosineAnnealingLR`: cosine annealing from the base LR to `eta_min` over
 * `T_max` steps, and back up over the next `T_max`, without restarts.
 */
import { z } from 'zod'
import { cos } from '../../math/index.js'
import { defineScheduler } from '../core/define.js'
import { groupShape } from '../core/groups.js'
import { lastEpochField, lrScheduler, torchCall, torchFold, torchReference, zeroDivision, type Path } from './base.js'

export const cosineAnnealingLRShape = {
  T_max: z.number()
    .describe('Half a period of the cosine, in steps. torch does not check it: 0 fails at the first step (ZeroDivisionError).'),
  eta_min: z.number().default(0)
    .describe('The LR at the bottom of the cosine.'),
  last_epoch: lastEpochField
}

export type CosineAnnealingLRParams = z.output<z.ZodObject<typeof cosineAnnealingLRShape>>

/**
 * Chainable (`get_lr`), the recursion torch runs in place of the documented
 * `eta_min + (base_lr - eta_min) * (1 + cos(pi * t / T_max)) / 2`:
 * - `(t - 1 - T_max) % (2 * T_max) == 0` (the step after a trough):
 *   `lr = lr + (base_lr - eta_min) * (1 - cos(pi / T_max)) / 2`;
 * - otherwise `lr = (1 + cos(pi * t / T_max)) / (1 + cos(pi * (t - 1) / T_max)) * (lr - eta_min) + eta_min`.
 * Rounding accumulates over the steps, so long runs drift from the closed form; the
 * fold follows torch's order of operations. The closed form itself serves
 * SequentialLR's hand-over.
 */
export function buildCosineAnnealingLR (params: CosineAnnealingLRParams, path: Path = []) {
  const { T_max: tMax, eta_min: etaMin } = params
  const tMaxPath = [...path, 'T_max']
  const closedForm = (t: number, baseLrs: readonly number[], lr: number[]): void => {
    const angle = t * Math.PI
    if (tMax === 0) throw zeroDivision('pi * t / T_max with T_max=0', tMaxPath)
    const c = cos(angle / tMax)
    for (let g = 0; g < lr.length; g++) lr[g] = etaMin + (baseLrs[g] - etaMin) * (1 + c) / 2
  }
  return lrScheduler({
    className: 'CosineAnnealingLR',
    lastEpoch: params.last_epoch,
    path,
    getLr (state, opt, initial) {
      if (initial) return
      const t = state.last_epoch
      const lr = opt.lr
      // torch's branch for a get_lr() at _step_count 1 past step 0; step() counts before
      // it calls get_lr(), so no path reaches it, but it stays as torch has it.
      if (state.step_count === 1 && t > 0) {
        closedForm(t, state.base_lrs, lr)
        return
      }
      if (tMax === 0) throw zeroDivision('(t - 1 - T_max) % (2 * T_max) with T_max=0', tMaxPath)
      if ((t - 1 - tMax) % (2 * tMax) === 0) {
        const rise = 1 - cos(Math.PI / tMax)
        for (let g = 0; g < lr.length; g++) lr[g] = lr[g] + (state.base_lrs[g] - etaMin) * rise / 2
        return
      }
      const below = 1 + cos(Math.PI * (t - 1) / tMax)
      if (below === 0) throw zeroDivision(`CosineAnnealingLR's ratio at step ${t}`, tMaxPath)
      const ratio = (1 + cos(Math.PI * t / tMax)) / below
      for (let g = 0; g < lr.length; g++) lr[g] = ratio * (lr[g] - etaMin) + etaMin
    },
    closedForm: (state, opt) => closedForm(state.last_epoch, state.base_lrs, opt.lr)
  })
}

export const cosineAnnealingLR = defineScheduler({
  name: 'torch.CosineAnnealingLR',
  reference: torchReference('CosineAnnealingLR'),
  summary: 'Cosine annealing from the base LR to eta_min over T_max steps, each value from the one before, as torch computes it.',
  shape: cosineAnnealingLRShape,
  groupShape,
  evaluation: 'fold',
  create: (params, groups) => torchFold(buildCosineAnnealingLR(params), groups),
  python: (params) => torchCall('CosineAnnealingLR', cosineAnnealingLRShape, params),
  example: {
    summary: "torch's CosineAnnealingLR tutorial: 0.05 to 0 over 100 epochs",
    value: { lr: 0.05, T_max: 100, count: 100 }
  }
})

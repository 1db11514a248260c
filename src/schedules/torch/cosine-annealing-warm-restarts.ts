/**
 * torch's `CosineAnnealingWarmRestarts` (SGDR, arXiv 1608.03983): cosine annealing
 * from the base LR to `eta_min`, restarted every `T_i` steps, each period `T_mult`
 * times the one before.
 */
import { z } from 'zod'
import { cos } from '../../math/index.js'
import { defineScheduler } from '../core/define.js'
import { groupShape } from '../core/groups.js'
import { ScheduleError } from '../core/errors.js'
import { lastEpochField, lrScheduler, torchCall, torchFold, torchReference, type LRState, type Optimizer, type Path } from './base.js'

export const cosineAnnealingWarmRestartsShape = {
  T_0: z.number()
    .describe('Steps until the first restart; torch requires a positive integer (ValueError).'),
  T_mult: z.number().default(1)
    .describe('Each period is T_mult times the one before; torch requires an integer >= 1 (ValueError).'),
  eta_min: z.number().default(0)
    .describe('The LR at the bottom of the cosine.'),
  last_epoch: lastEpochField
}

export type CosineAnnealingWarmRestartsParams = z.output<z.ZodObject<typeof cosineAnnealingWarmRestartsShape>>

interface RestartsState {
  /** The length of the current period. */
  T_i: number
  /** Steps since the last restart. */
  T_cur: number
}

/**
 * `lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2` from the
 * base LR at every step (not chainable), with the counters kept as torch's own
 * `step()` keeps them: `T_cur += 1`; at `T_cur >= T_i`, `T_cur %= T_i` and
 * `T_i *= T_mult`. A resume starts with `T_cur = last_epoch` and wraps it once,
 * not into the period a run from 0 would be in, as torch does.
 */
export function buildCosineAnnealingWarmRestarts (params: CosineAnnealingWarmRestartsParams, path: Path = []) {
  const { T_0: t0, T_mult: tMult, eta_min: etaMin } = params
  const getLr = (state: LRState & RestartsState, opt: Optimizer): void => {
    const c = cos(Math.PI * state.T_cur / state.T_i)
    const lr = opt.lr
    for (let g = 0; g < lr.length; g++) lr[g] = etaMin + (state.base_lrs[g] - etaMin) * (1 + c) / 2
  }
  return lrScheduler<RestartsState>({
    className: 'CosineAnnealingWarmRestarts',
    lastEpoch: params.last_epoch,
    path,
    before () {
      if (t0 <= 0 || !Number.isInteger(t0)) {
        throw new ScheduleError(`Expected positive integer T_0, but got ${t0} (torch raises ValueError)`, 'ValueError', [...path, 'T_0'])
      }
      if (tMult < 1 || !Number.isInteger(tMult)) {
        throw new ScheduleError(`Expected integer T_mult >= 1, but got ${tMult} (torch raises ValueError)`, 'ValueError', [...path, 'T_mult'])
      }
      return { T_i: t0, T_cur: params.last_epoch }
    },
    step (state, opt) {
      if (state.last_epoch < 0) {
        // step(epoch=0): torch's explicit-epoch branch, which resets the period.
        state.T_i = t0
        state.T_cur = 0
        state.last_epoch = 0
      } else {
        state.last_epoch += 1
        state.T_cur += 1
        if (state.T_cur >= state.T_i) {
          state.T_cur = state.T_cur % state.T_i
          state.T_i = state.T_i * tMult
        }
      }
      getLr(state, opt)
    },
    getLr
  })
}

export const cosineAnnealingWarmRestarts = defineScheduler({
  name: 'torch.CosineAnnealingWarmRestarts',
  reference: torchReference('CosineAnnealingWarmRestarts'),
  summary: 'Cosine annealing from the base LR to eta_min, restarted every T_i steps, each period T_mult times the one before (SGDR).',
  shape: cosineAnnealingWarmRestartsShape,
  groupShape,
  evaluation: 'fold',
  create: (params, groups) => torchFold(buildCosineAnnealingWarmRestarts(params), groups),
  python: (params) => torchCall('CosineAnnealingWarmRestarts', cosineAnnealingWarmRestartsShape, params),
  example: {
    summary: "torch's CosineAnnealingWarmRestarts tutorial: restart every 20 epochs",
    value: { lr: 0.05, T_0: 20, count: 100 }
  }
})

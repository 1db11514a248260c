/**
 * timm's `MultiStepLRScheduler`: the LR falls by `decay_rate` at each milestone.
 */
import { z } from 'zod'
import { defineTimmScheduler } from './base.js'
import { checkAscending, noiseShape, tInEpochsShape, warmupShape } from './params.js'
import { pyPow } from '../core/python.js'
import { withWarmup } from './warmup.js'

export const multistepShape = {
  decay_t: z.array(z.number()).min(1)
    .describe('The milestones, ascending. timm counts milestone m as passed from t = m - 1 on.'),
  decay_rate: z.number().default(1)
    .describe('The factor applied at every milestone.'),
  ...warmupShape(true),
  ...tInEpochsShape,
  ...noiseShape
}

export type MultistepParams = z.infer<z.ZodObject<typeof multistepShape>>

/** `bisect.bisect_right(milestones, x)`: how many milestones are <= x. */
function bisectRight (milestones: readonly number[], x: number): number {
  let lo = 0
  let hi = milestones.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (x < milestones[mid]) hi = mid
    else lo = mid + 1
  }
  return lo
}

/**
 * `lr(t) = base * decay_rate ** bisect_right(decay_t, t + 1)` after warmup (timm
 * `MultiStepLRScheduler._get_lr`).
 */
export const multistep = defineTimmScheduler({
  name: 'multistep',
  className: 'MultiStepLRScheduler',
  summary: 'Decay by decay_rate at each milestone in decay_t.',
  shape: multistepShape,
  check (params, ctx) {
    checkAscending('decay_t', params.decay_t, ctx)
  },
  lrFill (params, baseValues) {
    const { decay_t: milestones, decay_rate: decayRate } = params
    const n = baseValues.length
    return withWarmup((from, to, out, offset) => {
      // The `t + 1` is timm's: milestone m takes effect at t = m - 1. The milestones
      // ascend, so bisect_right(decay_t, t + 1) only grows with t: it is found once
      // and then moved past each milestone reached, and the power taken once for
      // each count.
      let passed = bisectRight(milestones, from + 1)
      let factor = pyPow(decayRate, passed)
      for (let t = from, o = offset; t < to; t++, o += n) {
        if (passed < milestones.length && !(t + 1 < milestones[passed])) {
          passed = bisectRight(milestones, t + 1)
          factor = pyPow(decayRate, passed)
        }
        for (let g = 0; g < n; g++) out[o + g] = baseValues[g] * factor
      }
    }, baseValues, params)
  },
  example: {
    summary: 'ResNet on ImageNet: LR 0.1, divided by 10 at epochs 30, 60 and 90',
    value: { decay_t: [30, 60, 90], decay_rate: 0.1, lr: 0.1, count: 100 }
  }
})

/**
 * timm's `TanhLRScheduler`: hyperbolic-tangent decay with restarts (arXiv 1806.01593).
 */
import { z } from 'zod'
import { defineTimmScheduler } from './base.js'
import { tanh as tanhOf } from '../../math/index.js'
import { type CycleRun, cycleLength, forEachCycle } from './cycles.js'
import { cycleShape, noiseShape, tInEpochsShape, warmupShape } from './params.js'
import { pyPow } from '../core/python.js'
import type { LrFill } from './base.js'
import { withWarmup } from './warmup.js'

export const tanhShape = {
  lb: z.number().default(-7).describe('The tanh argument at the start of a cycle.'),
  ub: z.number().default(3).describe('The tanh argument at the end of a cycle.'),
  ...cycleShape,
  ...warmupShape(false),
  ...tInEpochsShape,
  ...noiseShape
}

export type TanhParams = z.infer<z.ZodObject<typeof tanhShape>>

/**
 * Within cycle `i`, with `tr = t_curr / t_i`:
 * `lr(t) = lr_min + 0.5 * (base * cycle_decay^i - lr_min) * (1 - tanh(lb * (1 - tr) + ub * tr))`,
 * and `lr_min` once `i >= cycle_limit` (timm `TanhLRScheduler._get_lr`).
 */
export const tanh = defineTimmScheduler({
  name: 'tanh',
  className: 'TanhLRScheduler',
  summary: 'Hyperbolic-tangent decay from the base LR to lr_min, with restarts.',
  shape: tanhShape,
  check (params, ctx) {
    if (!(params.lb < params.ub)) {
      ctx.addIssue({ code: 'custom', path: ['lb'], message: `lb must be less than ub (timm asserts lb < ub); got lb ${params.lb}, ub ${params.ub}` })
    }
  },
  lrFill (params, baseValues) {
    const { lb, ub, lr_min: lrMin, cycle_decay: cycleDecay, cycle_limit: cycleLimit } = params
    const n = baseValues.length
    // Each group's amplitude in the current cycle, 0.5 * (base * gamma - lr_min).
    const amplitudes = new Float64Array(n)
    const cycle: CycleRun = (i, tI, start, from, to, out, offset) => {
      if (!(i < cycleLimit)) {
        out.fill(lrMin, offset, offset + (to - from) * n)
        return
      }
      const gamma = pyPow(cycleDecay, i)
      for (let g = 0; g < n; g++) amplitudes[g] = 0.5 * (baseValues[g] * gamma - lrMin)
      for (let t = from, o = offset; t < to; t++, o += n) {
        const tr = (t - start) / tI
        const wave = 1 - tanhOf(lb * (1 - tr) + ub * tr)
        for (let g = 0; g < n; g++) out[o + g] = lrMin + amplitudes[g] * wave
      }
    }
    const decay: LrFill = (from, to, out, offset) => forEachCycle(params, n, from, to, out, offset, cycle)
    // timm's tanh alone warms up toward the schedule's value at warmup_t when the
    // warmup is not a prefix, so the curve joins the decay without a jump.
    let targets: readonly number[] = baseValues
    if (!params.warmup_prefix && params.warmup_t !== 0) {
      const atWarmupEnd = new Float64Array(n)
      decay(params.warmup_t, params.warmup_t + 1, atWarmupEnd, 0)
      targets = Array.from(atWarmupEnd)
    }
    return withWarmup(decay, targets, params)
  },
  cycleLength,
  example: {
    summary: 'Tanh decay from 0.1 over 100 epochs, two cycles, the second at half the peak',
    value: { t_initial: 50, cycle_limit: 2, cycle_decay: 0.5, lr: 0.1 }
  }
})

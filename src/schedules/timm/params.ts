/**
 * The parameter families that several timm schedulers share, as zod shapes. Each
 * scheduler's schema spreads the families it takes, so a parameter is described,
 * defaulted and bounded in one place, and the same shape validates requests, types
 * the engine (`z.infer`) and documents the API.
 */
import { z } from 'zod'
import { MIN_NORMAL_NOISE_PCT } from './noise.js'

/** A learning rate as torch optimizers accept it: finite and not negative. */
export const learningRate = z.number().nonnegative()

export const noiseShape = {
  noise_range_t: z.union([
    z.number().describe('Noise from this step on (t >= n).'),
    z.tuple([z.number(), z.number()]).describe('Noise in [lo, hi): lo <= t < hi.')
  ]).nullable().default(null)
    .describe('Where timm adds seeded noise: a step (noise from there on) or a pair [lo, hi). null: no noise.'),
  noise_type: z.enum(['normal', 'uniform']).default('normal')
    .describe('normal: torch.randn redrawn until |noise| < noise_pct; uniform: 2 * (torch.rand - 0.5) * noise_pct.'),
  noise_pct: z.number().nonnegative().default(0.67)
    .describe(`The noise limit, as a fraction of the LR. Normal noise needs at least ${MIN_NORMAL_NOISE_PCT}: below that timm's redraw loop runs for ever or nearly.`),
  noise_std: z.number().default(1)
    .describe('Accepted for parity with timm, which ignores it.'),
  noise_seed: z.number().int().default(42)
    .describe('The generator is seeded with noise_seed + t at every noisy step.')
}

export type NoiseParams = z.infer<z.ZodObject<typeof noiseShape>>

/** The warmup family; `prefixDefault` is the scheduler's own default for `warmup_prefix`. */
export function warmupShape (prefixDefault: boolean) {
  return {
    warmup_t: z.number().int().nonnegative().default(0)
      .describe('Steps of linear warmup from warmup_lr_init. 0: none.'),
    warmup_lr_init: learningRate.default(0)
      .describe('The LR at t = 0 of the warmup.'),
    warmup_prefix: z.boolean().default(prefixDefault)
      .describe(`Whether the schedule starts after the warmup (true) or runs under it from t = 0 (false). timm's default here: ${prefixDefault}.`)
  }
}

export interface WarmupParams { warmup_t: number, warmup_lr_init: number, warmup_prefix: boolean }

export const tInEpochsShape = {
  t_in_epochs: z.boolean().default(true)
    .describe('true: the schedule steps per epoch (step); false: per optimizer update (step_update).')
}

/** The restarts family of cosine, tanh and poly. */
export const cycleShape = {
  t_initial: z.number().int().positive()
    .describe('The length of the first cycle, in steps.'),
  lr_min: learningRate.default(0)
    .describe('The LR at the end of every cycle, and after the last one.'),
  cycle_mul: z.number().positive().default(1)
    .describe('Each cycle is cycle_mul times as long as the one before. Below 1 the schedule is finite and timm fails past its end.'),
  cycle_decay: z.number().nonnegative().default(1)
    .describe('Each cycle starts from cycle_decay times the peak of the one before.'),
  cycle_limit: z.number().int().nonnegative().default(1)
    .describe('How many cycles run; after them the LR stays at lr_min.')
}

export interface CycleParams { t_initial: number, lr_min: number, cycle_mul: number, cycle_decay: number, cycle_limit: number }

export const kDecayShape = {
  k_decay: z.number().positive().default(1)
    .describe('k-decay (arXiv 2004.05909): the schedule runs in t^k / T^k instead of t / T.')
}

/**
 * The rule every schedule shares that one field cannot state alone: normal noise
 * redraws until |noise| < noise_pct, so a tiny noise_pct would spin.
 */
export function checkNoise (params: NoiseParams, ctx: z.RefinementCtx): void {
  if (params.noise_range_t !== null && params.noise_type === 'normal' && params.noise_pct < MIN_NORMAL_NOISE_PCT) {
    ctx.addIssue({
      code: 'custom',
      path: ['noise_pct'],
      message: `noise_pct must be at least ${MIN_NORMAL_NOISE_PCT} for normal noise: timm redraws until |noise| < noise_pct, which at ${params.noise_pct} would take ${params.noise_pct <= 0 ? 'for ever' : 'far too many draws'}`
    })
  }
  const range = params.noise_range_t
  if (Array.isArray(range) && !(range[0] <= range[1])) {
    ctx.addIssue({ code: 'custom', path: ['noise_range_t'], message: 'noise_range_t must be [lo, hi] with lo <= hi' })
  }
}

/**
 * Milestones must ascend: timm bisects the list, which silently gives nonsense when
 * it is not sorted. Each out-of-order entry is reported at its own index.
 */
export function checkAscending (name: string, values: readonly number[], ctx: z.RefinementCtx): void {
  values.forEach((value, index) => {
    if (index > 0 && value < values[index - 1]) {
      ctx.addIssue({ code: 'custom', path: [name, index], message: `${name} must be in ascending order: ${value} follows ${values[index - 1]}` })
    }
  })
}

import { ScheduleError } from '../core/errors.js'
import { type FirstOutputs, MAX_FIRST_OUTPUTS, scalarFirstOutputs } from '../../noise/mt19937-lanes.js'
import { simdFirstOutputs } from '../../noise/mt19937-simd.js'
import { TorchGenerator, randFromOutput, randnWithinFromOutputs, torchSeed32 } from '../../noise/torch-random.js'

/** timm's `noise_range_t`: a first noisy step, or a `[lo, hi)` range of steps. */
export type NoiseRange = number | readonly [number, number]

/** The noise arguments of timm's `Scheduler`, by timm's names. */
export interface NoiseConfig {
  noise_range_t: NoiseRange | null | undefined
  noise_type: 'normal' | 'uniform'
  noise_pct: number
  noise_seed: number
}

/**
 * The smallest `noise_pct` accepted for normal noise. timm redraws `randn` until
 * `|noise| < noise_pct`, so the expected number of draws per step is
 * `1 / P(|N(0,1)| < noise_pct)`: about 125 at 0.01 (acceptance ~0.8%), ten times
 * more at 0.001, and at `noise_pct <= 0` timm spins forever. Below this floor a
 * request of many steps would cost minutes, so validation refuses it.
 */
export const MIN_NORMAL_NOISE_PCT = 0.01

/**
 * The most `randn` draws {@link noiseAt} makes for one step before giving up. At
 * {@link MIN_NORMAL_NOISE_PCT} the chance of needing more is `(1 - 0.008)^100000`,
 * about 1e-348: only a configuration that slipped past validation ever reaches it.
 */
export const MAX_NOISE_DRAWS = 100_000

/**
 * The most `randn` draws one request may expect to make for its noise. Each normal
 * noisy step costs `1 / P(|N(0,1)| < noise_pct)` draws on average (about 2 at the
 * default 0.67, 25 at 0.05, 125 at the floor of 0.01), and the draws run at roughly
 * 15 million a second here; this keeps the worst request near two seconds.
 */
export const MAX_EXPECTED_NOISE_DRAWS = 25_000_000

/**
 * `erf(x)` to about 1e-7 (Abramowitz & Stegun 7.1.26): enough to estimate a cost,
 * never used for a value the service answers.
 */
function roughErf (x: number): number {
  const t = 1 / (1 + 0.3275911 * x)
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
  return 1 - poly * Math.exp(-x * x)
}

/**
 * How many `randn` draws timm makes on average for one normal noisy step:
 * `1 / P(|N(0,1)| < noise_pct) = 1 / erf(noise_pct / sqrt 2)`; one for uniform noise.
 */
export function expectedDrawsPerStep (config: Pick<NoiseConfig, 'noise_type' | 'noise_pct'>): number {
  if (config.noise_type === 'uniform') return 1
  if (!(config.noise_pct > 0)) return Infinity
  return 1 / roughErf(config.noise_pct / Math.SQRT2)
}

/** How many of the steps `start .. start + count - 1` fall where noise applies. */
export function noisyStepCount (range: NoiseRange | null | undefined, start: number, count: number): number {
  if (range === null || range === undefined) return 0
  const end = start + count
  const [lo, hi] = typeof range === 'number' ? [range, Infinity] : range
  const first = Math.max(start, Math.ceil(lo))
  const last = Math.min(end, Math.ceil(hi))
  return Math.max(0, last - first)
}

/**
 * Refuses, before any draw, a request whose noise would take too long:
 * more than {@link MAX_EXPECTED_NOISE_DRAWS} expected draws over the steps asked for.
 */
export function checkNoiseBudget (config: NoiseConfig, start: number, count: number): void {
  const steps = noisyStepCount(config.noise_range_t, start, count)
  if (steps === 0) return
  const perStep = expectedDrawsPerStep(config)
  const draws = steps * perStep
  if (draws > MAX_EXPECTED_NOISE_DRAWS) {
    throw new ScheduleError(
      `${steps} noisy steps at noise_pct ${config.noise_pct} would take about ${Math.round(draws).toLocaleString('en-US')} draws ` +
        `(about ${perStep.toFixed(perStep < 10 ? 1 : 0)} a step, since timm redraws until |noise| < noise_pct), ` +
        `above the ${MAX_EXPECTED_NOISE_DRAWS.toLocaleString('en-US')} one request may make: ask for fewer steps or a larger noise_pct`,
      null, ['noise_pct'])
  }
}

/**
 * Whether timm adds noise at step `t` (timm `Scheduler._is_apply_noise`):
 * `lo <= t < hi` for a pair, `t >= n` for a number, never without a range.
 */
export function isNoiseApplied (range: NoiseRange | null | undefined, t: number): boolean {
  if (range === null || range === undefined) return false
  if (typeof range === 'number') return t >= range
  return range[0] <= t && t < range[1]
}

/**
 * The steps of `from .. to - 1` where timm adds noise (`_is_apply_noise`): one run,
 * `[first, last)`, since `t >= n` and `lo <= t < hi` hold, for whole steps, exactly
 * from `ceil(n)` and `ceil(lo)` on and below `ceil(hi)`.
 */
export function noisyRun (range: NoiseRange | null | undefined, from: number, to: number): [number, number] {
  if (range === null || range === undefined) return [from, from]
  const [lo, hi] = typeof range === 'number' ? [range, Infinity] : range
  const first = Math.max(from, Math.ceil(lo))
  const last = Math.min(to, Math.ceil(hi))
  return first < last ? [first, last] : [from, from]
}

// One generator for every step: noiseAt reseeds it, as timm seeds a fresh one.
const generator = new TorchGenerator(0)

/**
 * The noise multiplier at step `t` (timm `Scheduler._calculate_noise`); the caller
 * applies it as timm's `_add_noise` does, `v + v * noise`. A PyTorch CPU generator is
 * seeded with `noise_seed + t` (see {@link torchSeed32}), then:
 * - `normal`: `torch.randn(1)` redrawn until `|noise| < noise_pct`; the second draw
 *   is the cached Box–Muller sine sample, as in PyTorch;
 * - `uniform`: `2 * (torch.rand(1) - 0.5) * noise_pct`, evaluated left to right.
 *
 * Does not check that noise applies at `t` (see {@link isNoiseApplied}).
 *
 * @throws {ScheduleError} (`RuntimeError`) when normal noise needs more than
 *   {@link MAX_NOISE_DRAWS} draws, where timm would spin (practically) forever.
 */
export function noiseAt (config: NoiseConfig, t: number): number {
  const pct = config.noise_pct
  generator.reseed(torchSeed32(config.noise_seed, t))
  if (config.noise_type === 'uniform') {
    return 2 * (generator.rand() - 0.5) * pct
  }
  const noise = generator.randnWithin(pct, MAX_NOISE_DRAWS)
  if (Number.isNaN(noise)) {
    throw new ScheduleError(
      `Normal noise with noise_pct=${pct} found no sample inside (-${pct}, ${pct}) ` +
        `in ${MAX_NOISE_DRAWS} draws at step ${t}; timm would keep drawing forever.`,
      'RuntimeError',
      ['noise_pct']
    )
  }
  return noise
}

/**
 * How many Box–Muller pairs of a fresh generator to compute ahead for normal noise:
 * enough that all of their samples are rejected at fewer than one step in a
 * thousand (a pair's two samples are each rejected with probability
 * `1 - P(|N(0,1)| < noise_pct)`), at most what {@link FirstOutputs} gives; 0 where
 * nothing can be accepted (`noise_pct <= 0` or NaN), so every step draws serially.
 */
function pairsAhead (pct: number): number {
  if (!(pct > 0)) return 0
  const rejected = 1 - roughErf(pct / Math.SQRT2)
  const most = Math.floor(MAX_FIRST_OUTPUTS / 4)
  if (!(rejected > 0)) return 1
  return Math.max(1, Math.min(most, Math.ceil(Math.log(1e-3) / (2 * Math.log(rejected)))))
}

let sharedEngines: FirstOutputs | undefined

/** The engines {@link NoiseSteps} seeds: WebAssembly SIMD where the runtime has it. */
export function firstOutputsEngines (): FirstOutputs {
  sharedEngines ??= simdFirstOutputs() ?? scalarFirstOutputs()
  return sharedEngines
}

/**
 * timm's noise at consecutive steps, as {@link noiseAt} gives it, a block of steps
 * at a time (32 with SIMD): the generators of the block's steps are seeded together
 * ({@link FirstOutputs}), and each step's noise is drawn from its generator's first
 * outputs. A step whose draws go past them (every sample of the pairs computed
 * ahead rejected) is drawn again with {@link noiseAt}, from its own generator, so
 * every value (and every error, at the step where it happens) is {@link noiseAt}'s.
 */
export class NoiseSteps {
  private readonly uniform: boolean
  private readonly pct: number
  private readonly seed: number
  /** Box–Muller pairs computed ahead per step (normal noise). */
  private readonly pairs: number
  /** Outputs computed ahead per step; 0: none, every step draws with noiseAt. */
  private readonly count: number
  private readonly lanes: number
  /** The noise at steps `blockStart .. blockStart + blockLength - 1`; NaN where {@link noiseAt} must draw it. */
  private readonly block: Float64Array
  private blockStart = Number.NaN
  private blockLength = 0

  /** @param engines the seeding to use; the fastest the runtime has by default. */
  constructor (private readonly config: NoiseConfig, private readonly engines: FirstOutputs = firstOutputsEngines()) {
    this.uniform = config.noise_type === 'uniform'
    this.pct = config.noise_pct
    this.seed = config.noise_seed
    this.pairs = this.uniform ? 0 : pairsAhead(this.pct)
    this.count = this.uniform ? 1 : 4 * this.pairs
    this.lanes = engines.lanes
    this.block = new Float64Array(this.lanes)
  }

  /** The noise at step `t` (a safe integer), as {@link noiseAt}. */
  at (t: number): number {
    let lane = t - this.blockStart
    if (!(lane >= 0 && lane < this.blockLength)) {
      this.compute(t, this.lanes)
      lane = 0
    }
    const noise = this.block[lane]
    return Number.isNaN(noise) ? noiseAt(this.config, t) : noise
  }

  /**
   * Applies the noise of steps `from .. to - 1` to rows of `groups` values,
   * `out[offset + (t - from) * groups + g]`, as timm's `_add_noise`: `v + v * noise`.
   */
  apply (from: number, to: number, out: Float64Array, offset: number, groups: number): void {
    const block = this.block
    for (let t = from, i = offset; t < to; t += this.lanes) {
      const end = Math.min(this.lanes, to - t)
      this.compute(t, end)
      for (let lane = 0; lane < end; lane++, i += groups) {
        let noise = block[lane]
        if (Number.isNaN(noise)) noise = noiseAt(this.config, t + lane)
        for (let g = i; g < i + groups; g++) out[g] = out[g] + out[g] * noise
      }
    }
  }

  /** The noise at steps `t .. t + length - 1` (`length <= lanes`) into the block. */
  private compute (t: number, length: number): void {
    const block = this.block
    this.blockStart = t
    this.blockLength = length
    if (this.count === 0) {
      block.fill(Number.NaN)
      return
    }
    const { outputs, lanes } = this.engines
    this.engines.compute(torchSeed32(this.seed, t), this.count)
    const pct = this.pct
    if (this.uniform) {
      for (let lane = 0; lane < length; lane++) block[lane] = 2 * (randFromOutput(outputs[lane]) - 0.5) * pct
    } else {
      for (let lane = 0; lane < length; lane++) block[lane] = randnWithinFromOutputs(outputs, lane, lanes, this.pairs, pct)
    }
  }
}

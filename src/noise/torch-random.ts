import { cos, log1p, sin, sqrt } from '../math/index.js'
import { Mt19937 } from './mt19937.js'

const TWO_POW_32 = 4294967296
const TWO_POW_MINUS_24 = 2 ** -24
const TWO_POW_MINUS_53 = 2 ** -53
// c10::pi<double> * 2.0, as PyTorch evaluates `2.0 * pi * u1`: (2 * pi) * u1.
const TWO_PI = 2 * Math.PI

/** `x mod 2^32`, non-negative, exact for any safe integer. */
function mod32 (x: number): number {
  const r = x % TWO_POW_32
  return r < 0 ? r + TWO_POW_32 : r
}

/**
 * The 32-bit seed PyTorch's mt19937 receives from `Generator.manual_seed(seed + offset)`:
 * `(seed + offset) mod 2^32`.
 *
 * `manual_seed` takes a Python int in [-2^63, 2^64) as a uint64 (a negative one as its
 * 64-bit two's complement), and `at::mt19937` keeps its low 32 bits; since 2^32
 * divides 2^64, both steps amount to a non-negative mod 2^32. The sum is never
 * formed, because two safe integers can add up to an inexact double.
 */
export function torchSeed32 (seed: number, offset: number): number {
  return mod32(mod32(seed) + mod32(offset))
}

/**
 * PyTorch's CPU generator (`torch.Generator().manual_seed(seed)`, `CPUGeneratorImpl`)
 * as `torch.randn(1, generator=g)` and `torch.rand(1, generator=g)` draw from it:
 * tensors of one element, where PyTorch takes its scalar (serial) kernels.
 *
 * - `random64()` = two mt19937 outputs, the first one the high half.
 * - a uniform double (`uniform_real_distribution<double>(0, 1)`) is
 *   `(random64() & (2^53 - 1)) * 2^-53`.
 */
export class TorchGenerator {
  private readonly engine: Mt19937
  // The cached second Box–Muller sample (`next_double_normal_sample_`), kept as its
  // factors: `r * sin(theta)` is evaluated only if it is ever asked for, which the
  // noise, reseeding at every step, mostly never does.
  private hasCachedNormal = false
  private cachedR = 0
  private cachedTheta = 0

  /** @param seed32 the mt19937 seed, see {@link torchSeed32}. */
  constructor (seed32: number) {
    this.engine = new Mt19937(seed32)
  }

  /**
   * What `manual_seed` does to an existing generator: a freshly seeded engine and
   * no cached normal sample.
   */
  reseed (seed32: number): void {
    this.engine.reseed(seed32)
    this.hasCachedNormal = false
  }

  /** `CPUGeneratorImpl::random()`: one mt19937 output. */
  random32 (): number {
    return this.engine.nextUint32()
  }

  /** `uniform_real_distribution<double>(0, 1)`: `(random64() & (2^53 - 1)) * 2^-53`, exact. */
  uniformDouble (): number {
    const hi = this.engine.nextUint32()
    const lo = this.engine.nextUint32()
    return ((hi & 0x1fffff) * TWO_POW_32 + lo) * TWO_POW_MINUS_53
  }

  /**
   * `torch.randn(1, generator=g).item()`: PyTorch's `normal_distribution<double>`
   * (Box–Muller) cast to float32. With `u1`, then `u2`, uniform doubles:
   * `r = sqrt(-2 * log1p(-u2))`, `theta = 2π·u1`; returns `float32(r·cos θ)` and
   * caches `r·sin θ`, which the next call returns (as `float32`) without drawing.
   */
  randn (): number {
    if (this.hasCachedNormal) {
      this.hasCachedNormal = false
      return Math.fround(this.cachedR * sin(this.cachedTheta))
    }
    const u1 = this.uniformDouble()
    const u2 = this.uniformDouble()
    const r = sqrt(-2 * log1p(-u2))
    const theta = TWO_PI * u1
    this.cacheNormal(r, theta)
    return Math.fround(r * cos(theta))
  }

  /**
   * The first `randn()` whose magnitude is below `limit` (`|x| < limit`), drawing
   * as timm's `while True: noise = torch.randn(1, generator=g).item(); if abs(noise)
   * < limit: return noise` does, and leaving the generator in the same state.
   * Returns `NaN` once `maxDraws` draws have all been rejected.
   *
   * Same result as calling {@link randn} in a loop, but cheaper: a sample is rejected
   * with `Math`'s functions when it is clearly outside the limit, and evaluated with
   * the engine's exact functions only when it may be accepted.
   */
  randnWithin (limit: number, maxDraws: number): number {
    let draws = 0
    if (this.hasCachedNormal && draws < maxDraws) {
      draws++
      const x = this.randn()
      if (Math.abs(x) < limit) return x
    }
    while (draws < maxDraws) {
      const u1 = this.uniformDouble()
      const u2 = this.uniformDouble()
      const theta = TWO_PI * u1
      const fastR = Math.sqrt(-2 * Math.log1p(-u2))
      draws++
      if (!clearlyOutside(fastR * Math.cos(theta), limit)) {
        const r = sqrt(-2 * log1p(-u2))
        const x = Math.fround(r * cos(theta))
        if (Math.abs(x) < limit) {
          this.cacheNormal(r, theta)
          return x
        }
      }
      if (draws >= maxDraws) {
        // torch would have cached the sine sample; keep the state faithful.
        this.cacheNormal(sqrt(-2 * log1p(-u2)), theta)
        break
      }
      draws++
      if (!clearlyOutside(fastR * Math.sin(theta), limit)) {
        const x = Math.fround(sqrt(-2 * log1p(-u2)) * sin(theta))
        if (Math.abs(x) < limit) return x
      }
    }
    return Number.NaN
  }

  /**
   * `torch.rand(1, generator=g).item()`: `uniform_real_distribution<float>(0, 1)`,
   * `(random32() & (2^24 - 1)) * 2^-24`, exact in float32.
   */
  rand (): number {
    return Math.fround((this.engine.nextUint32() & 0xffffff) * TWO_POW_MINUS_24)
  }

  private cacheNormal (r: number, theta: number): void {
    this.hasCachedNormal = true
    this.cachedR = r
    this.cachedTheta = theta
  }
}

/**
 * What {@link TorchGenerator.randnWithin} returns on a freshly seeded generator,
 * from the generator's first outputs given ahead (`outputs[k * stride + lane]` is
 * output `k`; `pairs` Box–Muller pairs, `4 * pairs` outputs): the same draws, the
 * same rejections, the same bits. Returns `NaN` when every sample of those pairs is
 * rejected: the caller then draws on from a generator of its own.
 *
 * For timm's noise, whose generator is new at every step (see `mt19937-lanes.ts`,
 * which computes the first outputs of eight of them at once).
 */
export function randnWithinFromOutputs (outputs: Uint32Array, lane: number, stride: number, pairs: number, limit: number): number {
  for (let p = 0, i = lane; p < pairs; p++, i += 4 * stride) {
    const u1 = ((outputs[i] & 0x1fffff) * TWO_POW_32 + outputs[i + stride]) * TWO_POW_MINUS_53
    const u2 = ((outputs[i + 2 * stride] & 0x1fffff) * TWO_POW_32 + outputs[i + 3 * stride]) * TWO_POW_MINUS_53
    const theta = TWO_PI * u1
    // The engine's r, exactly as randn computes it, serves the quick rejection as
    // well: only the cosine and sine are V8's there.
    const r = sqrt(-2 * log1p(-u2))
    if (!clearlyOutside(r * Math.cos(theta), limit)) {
      const x = Math.fround(r * cos(theta))
      if (Math.abs(x) < limit) return x
    }
    if (!clearlyOutside(r * Math.sin(theta), limit)) {
      const x = Math.fround(r * sin(theta))
      if (Math.abs(x) < limit) return x
    }
  }
  return Number.NaN
}

/**
 * `torch.rand(1, generator=g).item()` from the generator's first output (see
 * {@link TorchGenerator.rand}).
 */
export function randFromOutput (output: number): number {
  return Math.fround((output & 0xffffff) * TWO_POW_MINUS_24)
}

/**
 * Whether `float32(d)` is certainly `>= limit` in magnitude, where `d` comes from
 * `Math`'s functions and the exact value differs from it by a few ulps at most.
 * A margin of 1e-9 (relative) covers any such difference many times over, and
 * `Math.fround` is monotonic, so the exact sample's `float32` is `>= limit` too.
 */
function clearlyOutside (d: number, limit: number): boolean {
  return Math.fround(Math.abs(d) * (1 - 1e-9)) >= limit
}

/**
 * The engine's noise as it was before the generators were seeded in blocks: one
 * generator, reseeded with `noise_seed + t` and drawn from at every noisy step,
 * its mt19937 seeded lazily one word at a time. A faithful copy (src/noise/mt19937.ts,
 * the parts of src/noise/torch-random.ts that noise draws on, `noiseAt` and the noise
 * loop of `timmSchedule`'s fill), kept here as the engine bench's baseline: the bench
 * checks that it gives the engine's bits.
 */
import { cos, log1p, sin, sqrt } from '../src/math/index.js'
import { isNoiseApplied, MAX_NOISE_DRAWS, type NoiseConfig } from '../src/schedules/timm/noise.js'
import { torchSeed32 } from '../src/noise/torch-random.js'
import { ScheduleError } from '../src/schedules/core/errors.js'

const N = 624
const M = 397
const MATRIX_A = 0x9908b0df
const UPPER_MASK = 0x80000000
const LOWER_MASK = 0x7fffffff

class SerialMt19937 {
  private readonly state = new Uint32Array(N)
  private index = 0
  private seeded = 0

  reseed (seed: number): void {
    this.state[0] = seed >>> 0
    this.seeded = 1
    this.index = 0
  }

  nextUint32 (): number {
    const s = this.state
    const i = this.index
    const next = i + 1 === N ? 0 : i + 1
    const far = i < N - M ? i + M : i + M - N
    if (far >= this.seeded) this.seedThrough(far)
    const y = (s[i] & UPPER_MASK) | (s[next] & LOWER_MASK)
    let x = s[far] ^ (y >>> 1)
    if ((y & 1) !== 0) x ^= MATRIX_A
    s[i] = x
    this.index = next

    x ^= x >>> 11
    x ^= (x << 7) & 0x9d2c5680
    x ^= (x << 15) & 0xefc60000
    x ^= x >>> 18
    return x >>> 0
  }

  private seedThrough (last: number): void {
    const s = this.state
    let prev = s[this.seeded - 1]
    for (let i = this.seeded; i <= last; i++) {
      prev = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0
      s[i] = prev
    }
    this.seeded = last + 1
  }
}

const TWO_POW_32 = 4294967296
const TWO_POW_MINUS_24 = 2 ** -24
const TWO_POW_MINUS_53 = 2 ** -53
const TWO_PI = 2 * Math.PI

function clearlyOutside (d: number, limit: number): boolean {
  return Math.fround(Math.abs(d) * (1 - 1e-9)) >= limit
}

class SerialGenerator {
  private readonly engine = new SerialMt19937()
  private hasCachedNormal = false
  private cachedR = 0
  private cachedTheta = 0

  reseed (seed32: number): void {
    this.engine.reseed(seed32)
    this.hasCachedNormal = false
  }

  uniformDouble (): number {
    const hi = this.engine.nextUint32()
    const lo = this.engine.nextUint32()
    return ((hi & 0x1fffff) * TWO_POW_32 + lo) * TWO_POW_MINUS_53
  }

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

  rand (): number {
    return Math.fround((this.engine.nextUint32() & 0xffffff) * TWO_POW_MINUS_24)
  }

  private cacheNormal (r: number, theta: number): void {
    this.hasCachedNormal = true
    this.cachedR = r
    this.cachedTheta = theta
  }
}

const generator = new SerialGenerator()

/** `noiseAt` as it was: the generator reseeded for step `t`, then drawn from. */
export function serialNoiseAt (config: NoiseConfig, t: number): number {
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

/** The noise loop of `timmSchedule`'s fill as it was: rows of `groups` raw values, steps `from .. to - 1`. */
export function applySerialNoise (config: NoiseConfig, from: number, to: number, out: Float64Array, groups: number): void {
  for (let t = from, i = 0; t < to; t++, i += groups) {
    if (!isNoiseApplied(config.noise_range_t, t)) continue
    const noise = serialNoiseAt(config, t)
    for (let g = i; g < i + groups; g++) out[g] = out[g] + out[g] * noise
  }
}

/**
 * The first outputs of several freshly seeded `std::mt19937` engines at once, for
 * timm's noise, which seeds a new generator at every step (`noise_seed + t`) and
 * reads a few outputs of it.
 *
 * Which state words the first outputs need: output `k` (for `k < 227`) is the
 * tempered twist of words `k`, `k + 1` and `k + 397` of the seeded state, none of
 * them twisted yet (the twist of word `k` reads word `k + 1` before its own twist
 * and word `k + 397` long before its own). So outputs `0 .. count - 1` need words
 * `0 .. count` and `397 .. 396 + count`, and nothing else: the words between are
 * computed (seeding is a recurrence, each word from the one before) but never kept.
 *
 * Why several at a time: seeding is a chain of about 400 dependent steps (a
 * multiply, a shift, an xor and an add each), so one engine leaves the CPU waiting
 * on the multiply's latency at every step. Independent chains (consecutive seeds)
 * in one loop fill that wait. Here eight, each chain in a local variable so that
 * the steps never go through memory; mt19937-simd.ts does 32 in WebAssembly SIMD.
 */

/**
 * The most outputs per engine that {@link FirstOutputs} gives: output 227 on reads a
 * word that the twist has already rewritten (`k + 397 - 624`).
 */
export const MAX_FIRST_OUTPUTS = 227

/**
 * The first outputs of `lanes` engines seeded with consecutive seeds: after
 * `compute(seed, count)`, `outputs[k * lanes + j]` is output `k` (`k < count`) of
 * `std::mt19937(seed + j mod 2^32)`. `outputs` is overwritten by the next call.
 */
export interface FirstOutputs {
  readonly lanes: number
  readonly outputs: Uint32Array
  /** `seed`: any integer, taken mod 2^32 as {@link Mt19937} takes it; `1 <= count <= 227`. */
  compute (seed: number, count: number): void
}

/** The scalar version: eight engines, for runtimes without WebAssembly SIMD. */
export function scalarFirstOutputs (): FirstOutputs {
  const outputs = new Uint32Array(MAX_FIRST_OUTPUTS * 8)
  const words = new Int32Array((MAX_FIRST_OUTPUTS + 1) * 8)
  return {
    lanes: 8,
    outputs,
    compute (seed, count) {
      if (!(count >= 1 && count <= MAX_FIRST_OUTPUTS)) throw new RangeError(`count must be in 1 .. ${MAX_FIRST_OUTPUTS}, not ${count}`)
      firstOutputs8(seed, count, outputs, words)
    }
  }
}

const MULTIPLIER = 1812433253
const MATRIX_A = 0x9908b0df
const UPPER_MASK = 0x80000000
const LOWER_MASK = 0x7fffffff

/** Output `k < 227` from seeded words `k`, `k + 1` and `k + 397`: the twist, then the tempering. */
function output (word: number, next: number, far: number): number {
  const y = (word & UPPER_MASK) | (next & LOWER_MASK)
  let x = far ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A)
  x ^= x >>> 11
  x ^= (x << 7) & 0x9d2c5680
  x ^= (x << 15) & 0xefc60000
  x ^= x >>> 18
  return x >>> 0
}

/**
 * Outputs `0 .. count - 1` of `std::mt19937(seed + j mod 2^32)` for `j` in `0 .. 7`,
 * into `out[k * 8 + j]`, with `words` as scratch for the kept words.
 */
function firstOutputs8 (seed: number, count: number, out: Uint32Array, words: Int32Array): void {
  let a = seed | 0
  let b = (seed + 1) | 0
  let c = (seed + 2) | 0
  let d = (seed + 3) | 0
  let e = (seed + 4) | 0
  let f = (seed + 5) | 0
  let g = (seed + 6) | 0
  let h = (seed + 7) | 0
  words[0] = a; words[1] = b; words[2] = c; words[3] = d
  words[4] = e; words[5] = f; words[6] = g; words[7] = h
  // Words 1 .. count, kept.
  for (let i = 1; i <= count; i++) {
    a = (Math.imul(MULTIPLIER, a ^ (a >>> 30)) + i) | 0
    b = (Math.imul(MULTIPLIER, b ^ (b >>> 30)) + i) | 0
    c = (Math.imul(MULTIPLIER, c ^ (c >>> 30)) + i) | 0
    d = (Math.imul(MULTIPLIER, d ^ (d >>> 30)) + i) | 0
    e = (Math.imul(MULTIPLIER, e ^ (e >>> 30)) + i) | 0
    f = (Math.imul(MULTIPLIER, f ^ (f >>> 30)) + i) | 0
    g = (Math.imul(MULTIPLIER, g ^ (g >>> 30)) + i) | 0
    h = (Math.imul(MULTIPLIER, h ^ (h >>> 30)) + i) | 0
    const w = i << 3
    words[w] = a; words[w + 1] = b; words[w + 2] = c; words[w + 3] = d
    words[w + 4] = e; words[w + 5] = f; words[w + 6] = g; words[w + 7] = h
  }
  // Words count + 1 .. 396: computed, not kept.
  for (let i = count + 1; i < 397; i++) {
    a = (Math.imul(MULTIPLIER, a ^ (a >>> 30)) + i) | 0
    b = (Math.imul(MULTIPLIER, b ^ (b >>> 30)) + i) | 0
    c = (Math.imul(MULTIPLIER, c ^ (c >>> 30)) + i) | 0
    d = (Math.imul(MULTIPLIER, d ^ (d >>> 30)) + i) | 0
    e = (Math.imul(MULTIPLIER, e ^ (e >>> 30)) + i) | 0
    f = (Math.imul(MULTIPLIER, f ^ (f >>> 30)) + i) | 0
    g = (Math.imul(MULTIPLIER, g ^ (g >>> 30)) + i) | 0
    h = (Math.imul(MULTIPLIER, h ^ (h >>> 30)) + i) | 0
  }
  // Words 397 .. 396 + count: each gives output k = i - 397 with words k and k + 1.
  for (let i = 397; i < 397 + count; i++) {
    a = (Math.imul(MULTIPLIER, a ^ (a >>> 30)) + i) | 0
    b = (Math.imul(MULTIPLIER, b ^ (b >>> 30)) + i) | 0
    c = (Math.imul(MULTIPLIER, c ^ (c >>> 30)) + i) | 0
    d = (Math.imul(MULTIPLIER, d ^ (d >>> 30)) + i) | 0
    e = (Math.imul(MULTIPLIER, e ^ (e >>> 30)) + i) | 0
    f = (Math.imul(MULTIPLIER, f ^ (f >>> 30)) + i) | 0
    g = (Math.imul(MULTIPLIER, g ^ (g >>> 30)) + i) | 0
    h = (Math.imul(MULTIPLIER, h ^ (h >>> 30)) + i) | 0
    const k = (i - 397) << 3
    const n = k + 8
    out[k] = output(words[k], words[n], a)
    out[k + 1] = output(words[k + 1], words[n + 1], b)
    out[k + 2] = output(words[k + 2], words[n + 2], c)
    out[k + 3] = output(words[k + 3], words[n + 3], d)
    out[k + 4] = output(words[k + 4], words[n + 4], e)
    out[k + 5] = output(words[k + 5], words[n + 5], f)
    out[k + 6] = output(words[k + 6], words[n + 6], g)
    out[k + 7] = output(words[k + 7], words[n + 7], h)
  }
}

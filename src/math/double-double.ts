/**
 * Double-double arithmetic: a real carried as an unevaluated sum hi + lo of two doubles.
 *
 * JavaScript has no fused multiply-add, so products are made exact with Dekker's
 * algorithm on Veltkamp-split operands. All transformations here are error-free in
 * round-to-nearest as long as nothing overflows:
 *
 * - {@link twoSum} (Knuth/Møller): a + b = s + e exactly, any a, b (6 flops).
 * - {@link fastTwoSum} (Dekker): the same, 3 flops, when a = 0 or |a| ≥ |b|
 *   (more precisely exponent(a) ≥ exponent(b)).
 * - {@link split} (Veltkamp, C = 2^27 + 1): a = h + l with h of at most 26 significant
 *   bits and l of at most 26 (its sign absorbs the 53rd bit), for |a| < 2^996.
 * - {@link twoProd} (Dekker): a·b = p + e exactly, products of the split halves being
 *   exact (26 + 26 ≤ 53 bits).
 *
 * The hot kernels (exp.ts, log.ts, trig.ts) write these out inline with the same names
 * in comments, since a call per step would cost more than the arithmetic; these
 * functions document the steps once and serve the less frequent code.
 */

/** Veltkamp's splitting constant 2^27 + 1. */
export const SPLITTER = 134217729

/** A double-double value hi + lo. */
export interface DD {
  hi: number
  lo: number
}

/** s + e = a + b exactly, s = fl(a + b). */
export function twoSum(a: number, b: number): DD {
  const s = a + b
  const bb = s - a
  return { hi: s, lo: a - (s - bb) + (b - bb) }
}

/** s + e = a + b exactly, s = fl(a + b), provided a = 0 or |a| ≥ |b|. */
export function fastTwoSum(a: number, b: number): DD {
  const s = a + b
  return { hi: s, lo: b - (s - a) }
}

/** a = hi + lo with both halves of at most 26 significant bits. */
/**
 * A table of `count` double-double values for the fast paths: entry i holds, at
 * 4i…4i+3, hi, lo and the Veltkamp halves of hi, so a product with hi is exact
 * without splitting hi again on every call.
 */
export function splitTable (count: number, valueAt: (i: number) => readonly [number, number]): Float64Array {
  const table = new Float64Array(4 * count)
  for (let i = 0; i < count; i++) {
    const [hi, lo] = valueAt(i)
    const c = SPLITTER * hi
    table[4 * i] = hi
    table[4 * i + 1] = lo
    table[4 * i + 2] = c - (c - hi)
    table[4 * i + 3] = hi - table[4 * i + 2]
  }
  return table
}

export function split(a: number): DD {
  const c = SPLITTER * a
  const hi = c - (c - a)
  return { hi, lo: a - hi }
}

/** p + e = a·b exactly, p = fl(a·b). */
export function twoProd(a: number, b: number): DD {
  const p = a * b
  let c = SPLITTER * a
  const ah = c - (c - a)
  const al = a - ah
  c = SPLITTER * b
  const bh = c - (c - b)
  const bl = b - bh
  return { hi: p, lo: ah * bh - p + ah * bl + al * bh + al * bl }
}

const TINY = 2 ** -100
const INFLATE = 1 + 2 ** -20

/**
 * Ziv's rounding test: the correctly rounded value of y, or NaN if `hi + lo` is too
 * close to a rounding boundary to tell.
 *
 * Preconditions: |hi + lo − y| ≤ eps·|hi| + abs with eps ≤ 2^-30, |lo| ≤ 2^-51·|hi|, and
 * 2^-900 ≤ |hi| < 2^1000 (or hi = lo = 0 with y = 0).
 *
 * Proof. Let δ = eps·|hi| + abs. d = fl(fl(E·|hi|) + fl(abs·(1 + 2^-20))) with
 * E = fl(eps·(1 + 2^-20)) + 2^-100 (five roundings, each a factor ≥ 1 − 2^-53) satisfies
 * d ≥ (1 + 2^-21)·δ + 2^-101·|hi|. fl(lo + d) errs by at most 2^-53·(|lo| + d)
 * ≤ 2^-104·|hi| + 2^-53·d, so fl(lo + d) ≥ lo + δ, and symmetrically fl(lo − d) ≤ lo − δ:
 * y ∈ [hi + fl(lo − d), hi + fl(lo + d)]. A single addition is correctly rounded and
 * rounding is monotonic, so RN(hi + fl(lo − d)) ≤ RN(y) ≤ RN(hi + fl(lo + d)): when the
 * two ends agree, they are RN(y).
 */
export function roundTest(hi: number, lo: number, eps: number, abs = 0): number {
  const d = (eps * INFLATE + TINY) * Math.abs(hi) + abs * INFLATE
  const up = hi + (lo + d)
  return up === hi + (lo - d) ? up : NaN
}

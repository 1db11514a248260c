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

import { pow2Normal } from './bits.js'

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

const TWO_M51 = 2 ** -51
const LEAST_SUBNORMAL = 5e-324 // 2^-1074

/**
 * Ziv's rounding test on the subnormal grid: the correctly rounded value of y·2^scale
 * where that lies below 2^-1021, or NaN if `hi + lo` is too close to a rounding
 * boundary to tell. Below 2^-1021 the doubles are exactly the multiples of 2^-1074
 * (the subnormals, and the binade [2^-1022, 2^-1021) which has the same spacing), so
 * rounding is to the nearest integer of V = y·2^(scale+1074), ties to even.
 *
 * Preconditions: |hi + lo − y| ≤ eps·hi with eps ≤ 2^-30, 1/2 ≤ hi, hi + lo + eps·hi < 2,
 * |lo| ≤ ulp(hi)/2, and scale ≤ −1022 (so V < 2^53).
 *
 * Proof. With s = scale + 1074 ≤ 52: if s < −2, V < 2^(s+1) ≤ 1/4 and the result is 0.
 * Otherwise S = hi·2^s and L = lo·2^s are exact (S ≥ 1/8 is normal; L loses at most
 * 2^-1075 if it underflows), and |V − (S + L)| ≤ eps·S + 2^-1075. n = Math.round(S) is
 * an integer with |S − n| ≤ 1/2, and S − n is exact: n = S when S ≥ 2^52; n = 0
 * trivially; for 1 ≤ S < 2^52 it is a multiple of ulp(S) ≤ 1/2 of magnitude ≤ 1/2 ≤ S;
 * for 1/2 ≤ S < 1 and n = 1 by Sterbenz. |L| ≤ ulp(S)/2, which is ≤ 1/4 when S < 2^52
 * and L ≤ 1/2 with S − n = 0 otherwise, so |S − n + L| ≤ 3/4 and d = fl(S − n + L) errs
 * by at most 2^-53·3/4. Hence |V − n − d| ≤ δ = eps·S + 2^-53·3/4 + 2^-1075. The
 * computed B = fl(fl(fl(eps·(1 + 2^-20))·S) + 2^-51) exceeds δ + 2^-54, and each
 * comparison bound fl(±1/2 ± B) is within 2^-54 of the exact one, so:
 * fl(B − 1/2) < d < fl(1/2 − B) puts V strictly inside (n − 1/2, n + 1/2): the result
 * is n·2^-1074; d > fl(1/2 + B) puts V in (n + 1/2, n + 3/2): n + 1; symmetrically n − 1.
 * n·2^-1074 with n ≤ 2^53 is a double, so the final product is exact. A tie (V exactly
 * a half-integer) never passes: it is left to the caller's exact path.
 */
export function roundTestSubnormal(hi: number, lo: number, scale: number, eps: number): number {
  const s = scale + 1074
  if (s < -2) return 0
  const f = pow2Normal(s)
  const S = hi * f
  const n = Math.round(S)
  const d = S - n + lo * f
  const B = eps * INFLATE * S + TWO_M51
  if (d < 0.5 - B && d > B - 0.5) return n * LEAST_SUBNORMAL
  if (d > 0.5 + B) return (n + 1) * LEAST_SUBNORMAL
  if (d < -0.5 - B) return (n - 1) * LEAST_SUBNORMAL
  return NaN
}

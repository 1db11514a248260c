/**
 * Correctly rounded e^x, and the double-double exponential kernel that tanh and pow
 * build on.
 *
 * Algorithm (Tang's table-driven method, in double-double):
 *
 * 1. Reduction. k = round(z·128/ln2) (by adding and subtracting 1.5·2^52, cheaper than
 *    Math.round), z = k·ln2/128 + r with |r| ≤ ln2/256·(1 + 2^-40)
 *    < 2^-8.5. ln2/128 = C1 + C2 + C3 with C1, C2 of 35 bits (k·C1, k·C2 exact for
 *    |k| < 2^18) and C3 rounded; its truncation is below 2^-130. a = zh − k·C1 is exact
 *    (zh and k·C1 are multiples of ulp(zh) for |zh| < 2^10, and |a| < 2^-8 ≤ 2·|zh|
 *    when k ≠ 0); TwoSum(a, −k·C2) is exact; the low parts −k·C3 + zl go into rl, and a
 *    last TwoSum normalises (rh, rl). |rh + rl − r| < 2^-112 + 2^-53·|zl|.
 * 2. expm1(r) ≈ p = r + r²/2 + r³·Q(r), Q = 1/3! + r/4! + … + r⁵/8! (Taylor; the tail
 *    is below 2^-95·|r|). r² is exact (Dekker's product of the split rh), r³·Q is in
 *    plain double: 5.3 roundings on a term below |r|·r²/6 give < 2^-70.2·|r|; the
 *    neglected rh²·rl/2 is < 2^-71·|r|. So |p − expm1(r)| < 2^-69.5·|r| (< 2^-78 for
 *    |r| < 2^-8.5), p kept as ph + pl by two Fast2Sums.
 * 3. e^z = 2^(k>>7)·T·(1 + p) with T = 2^((k&127)/128) from a 128-entry double-double
 *    table (error < 2^-106, computed at load by the exact kernel): T·p exact in its
 *    leading product (Dekker, T's split tabulated), the rest of the sum below 2^-102.
 *
 * Error bound: |hi + lo − e^z| < 2^-78·e^z (reduction 2^-95 even for |zl| ≈ 2^-42 as
 * pow passes, polynomial 2^-78.1·1.42/0.99, table and sums below 2^-100). The rounding
 * test uses {@link EXP_EPS} = 2^-77, with a factor 2 to spare.
 *
 * expm1 (for tanh): when k>>7 = 0, e^z − 1 = (T − 1) + T·p with T − 1 exact; relative
 * to |e^z − 1| ≥ 0.7·|z| ≥ 0.7·|r| the polynomial error above gives < 2^-68.5
 * (< 2^-69.4 when T = 1). Otherwise e^z ≥ √2 or ≤ 1/√2 and subtracting 1 after
 * scaling multiplies the relative error by at most 3.5.
 */
import { pow2Normal } from './bits.js'
import { type DD, SPLITTER, roundTest, roundTestSubnormal, splitTable } from './double-double.js'
import { constantParts, exp2Fraction, expSlow, ln2Fixed } from './multiprecision.js'

/** Relative error bound of {@link expKernel} for e^z, as the rounding test uses it. */
export const EXP_EPS = 2 ** -77

// T[4j…4j+3] = hi, lo, and the Veltkamp halves of hi, for 2^(j/128)
const T = splitTable(128, (j) => exp2Fraction(j, 128))

const [C1, C2, C3] = constantParts(ln2Fixed(300), 307, [35, 35]) // ln2/128
const INV_STEP = 128 / Math.LN2 // only picks k: any nearby value works
const SHIFTER = 6755399441055744 // 1.5·2^52: adding and subtracting it rounds to an integer

// 1/n! for the Taylor polynomial of expm1 (n = 3…8)
const F3 = 1 / 6
const F4 = 1 / 24
const F5 = 1 / 120
const F6 = 1 / 720
const F7 = 1 / 5040
const F8 = 1 / 40320

/** Result of {@link expKernel}: e^z (or e^z − 1) = (hi + lo)·2^scale. */
export interface ExpResult extends DD {
  scale: number
}

/**
 * e^(zh + zl), or e^(zh + zl) − 1 with `minusOne`, as (hi + lo)·2^scale with hi + lo
 * in [2^(-1/256), 2^(255/256)] ⊂ [0.997, 1.995] for e^z (scale = 0 for e^z − 1), and
 * |lo| ≤ ulp(hi)/2. Needs −745.2 ≤ zh ≤ 709.8 (so |zh| < 2^10 and |k| < 2^18, as the
 * reduction's exactness asks; scale is then in [−1076, 1024]), |zl| ≤ 2^-40 and, for
 * e^z − 1, |zh| < 40.
 */
export function expKernel(zh: number, zl: number, minusOne: boolean, out: ExpResult): void {
  const k = zh * INV_STEP + SHIFTER - SHIFTER // nearest integer (|k| < 2^51)
  const a = zh - k * C1
  const b = -k * C2
  let rh = a + b // TwoSum(a, b)
  let t = rh - a
  let rl = a - (rh - t) + (b - t) - k * C3 + zl
  const r0 = rh
  rh = r0 + rl // TwoSum(r0, rl)
  t = rh - r0
  rl = r0 - (rh - t) + (rl - t)

  let c = SPLITTER * rh // Veltkamp split of rh
  const rhh = c - (c - rh)
  const rhl = rh - rhh
  const s = rh * rh // Dekker: s + se = rh² exactly
  const se = rhh * rhh - s + 2 * rhh * rhl + rhl * rhl
  const cube = rh * s * (F3 + rh * (F4 + rh * (F5 + rh * (F6 + rh * (F7 + rh * F8)))))
  const half = 0.5 * s
  const u = half + cube // Fast2Sum(half, cube)
  const ue = cube - (u - half)
  const ph = rh + u // Fast2Sum(rh, u)
  const pl = u - (ph - rh) + ue + 0.5 * se + rl * (1 + rh)

  const ki = k | 0
  const j = ki & 127
  const q = ki >> 7
  const th = T[4 * j]
  const tl = T[4 * j + 1]
  const thh = T[4 * j + 2]
  const tht = T[4 * j + 3]
  c = SPLITTER * ph // Dekker: m + me = th·ph exactly
  const phh = c - (c - ph)
  const phl = ph - phh
  const m = th * ph
  const me = thh * phh - m + thh * phl + tht * phh + tht * phl
  const rest = me + th * pl + tl + tl * ph

  if (minusOne && q === 0) {
    const d = th - 1 // exact (Sterbenz)
    const h = d + m // TwoSum(d, m)
    t = h - d
    const lo = d - (h - t) + (m - t) + rest
    out.hi = h + lo // Fast2Sum
    out.lo = lo - (out.hi - h)
    out.scale = 0
    return
  }
  const h = th + m // Fast2Sum(th, m)
  const lo = m - (h - th) + rest
  const hi = h + lo // Fast2Sum
  out.lo = lo - (hi - h)
  out.hi = hi
  out.scale = q
  if (minusOne) {
    const f = pow2Normal(q)
    const sh = hi * f // exact scaling, then TwoSum(sh, −1)
    const e = sh - 1
    t = e - sh
    const l = sh - (e - t) + (-1 - t) + out.lo * f
    out.hi = e + l
    out.lo = l - (out.hi - e)
    out.scale = 0
  }
}

/**
 * The correctly rounded value of e^z from the kernel's (hi + lo)·2^scale, its relative
 * error below `eps` (≤ 2^-30), for any scale the kernel returns: NaN when the rounding
 * is undecided.
 *
 * - scale in [−1021, 1023]: the result is at least 0.997·2^-1021, a normal double or an
 *   overflow, so rounding hi + lo to 53 bits ({@link roundTest}) commutes with the exact
 *   scaling, and IEEE multiplication turns a product of 2^1024 or more into Infinity, as
 *   rounding the exact result would (that is how IEEE 754 defines overflow).
 * - scale = 1024 (zh ≥ 709.78): the same, scaling in two exact steps since
 *   2^1024 is not a double.
 * - scale ≤ −1022: the result is below 1.995·2^-1022 < 2^-1021, where the doubles are the
 *   multiples of 2^-1074: {@link roundTestSubnormal} rounds on that grid.
 */
export function roundExpResult(out: ExpResult, eps: number): number {
  const q = out.scale
  if (q > -1022) {
    const r = roundTest(out.hi, out.lo, eps)
    return q < 1024 ? r * pow2Normal(q) : r * pow2Normal(q - 1) * 2
  }
  return roundTestSubnormal(out.hi, out.lo, q, eps)
}

const scratch: ExpResult = { hi: 0, lo: 0, scale: 0 }

/**
 * Correctly rounded e^x (round to nearest even), as glibc's exp.
 *
 * Fast path for every finite x: results in the normal range as below; results near
 * the overflow threshold (x ≥ 709.7) and below 2^-1021 (x ≤ −708, subnormals and
 * underflow to 0) through {@link roundExpResult}. Past the thresholds no rounding is
 * needed: x > 709.79 gives e^x > 2^1024 (ln 2^1024 = 709.7827…), so Infinity, and
 * x < −745.2 gives e^x < 2^-1075 (ln 2^-1075 = −745.1332…), below half the least
 * subnormal, so +0. Only undecided roundings go to the exact slow path.
 */
export function exp(x: number): number {
  if (x > -708 && x < 709.7) {
    if (Math.abs(x) < 2 ** -54) return 1 // e^x lies within 2^-54 of 1
    expKernel(x, 0, false, scratch)
    const r = roundTest(scratch.hi, scratch.lo, EXP_EPS)
    if (r === r) return r * pow2Normal(scratch.scale) // scaling commutes with rounding
    return expSlow(x)
  }
  if (x !== x) return NaN
  if (x > 709.79) return Infinity
  if (x < -745.2) return 0
  expKernel(x, 0, false, scratch)
  const r = roundExpResult(scratch, EXP_EPS)
  return r === r ? r : expSlow(x)
}

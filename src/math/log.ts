/**
 * Correctly rounded log and log1p, and the double-double logarithm kernel pow uses.
 *
 * Algorithm (table-driven, in the style of Tang and of de Dinechin–Lauter–Muller's
 * CRlibm log):
 *
 * 1. x = 2^e·m0, m0 ∈ [1, 2). The cell index i = round((m0 − 1)·2^9) ∈ [0, 512] picks a
 *    tabulated c_i ≈ 1/(1 + i/512) of 24 bits. Cells whose centre exceeds √2 are
 *    "halved": log x = (e + 1)·ln2 + log(m0/2), so that log m stays in [−0.35, 0.35];
 *    the tables store −log(c_i) or −log(2c_i) accordingly. The two cells around 1
 *    (i = 0, and i = 512 which is the halved cell just below 1) use c = 1 and c = 1/2
 *    exactly, so that near x = 1 nothing cancels.
 * 2. r = m0·c_i − 1, |r| ≤ 2^-10 + 2^-24, exactly as a double-double: with m0 split in
 *    26-bit halves (Veltkamp), both products with the 24-bit c_i are exact, m_hi·c_i − 1 is
 *    exact (Sterbenz), and TwoSum adds the low product.
 * 3. log x = e·ln2 − log c_i + log1p(r), with ln 2 = L1 + L2 (L1 of 42 bits, so e·L1 is
 *    exact) and log1p(r) = rh − rh²/2 + rh³·Q(rh) + rl − rh·rl, Q = 1/3 − r/4 + … − r⁵/8
 *    (Taylor; the tail is below 2^-83·|r|). rh² is exact (Dekker), rh³·Q is in double:
 *    5.3 roundings on a term below |r|·r²/3 give < 2^-72.2·|r|, and adding it into the
 *    low part one more rounding < 2^-74.6·|r|.
 *
 * Error bound: |hi + lo − log x| < 2^-51·|rh|³ + 2^-92·|hi| (the first term is the
 * cubic's 5.3 roundings plus its addition and the neglected rh²·rl, all below 3.2u·|rh|³;
 * the second covers the ln 2 parts, |e|·2^-95 with |log x| ≥ 0.35·|e|, the table, 2^-106,
 * and the low-part sums). Relative to log x this is below 2^-71.9: near 1 (e = 0 and
 * c = 1 or 1/2) log x = log1p(r) ≈ r; in the other cells around 1 |log x| ≥ |r| (their
 * |r| is at most half the cell width below 1), and elsewhere |log x| ≥ 0.35 ≫ |r|³.
 * log and log1p test with {@link LOG_EPS} = 2^-70, a factor 3.7 to spare; pow uses the
 * absolute form, exposed as `r`, since its error is |y| times this one.
 *
 * log1p(x): |x| < 2^-54 returns x (log1p x lies within half an ulp of x there);
 * |x| ≤ 2^-10 evaluates the same polynomial at r = x exactly; otherwise 1 + x = sh + sl
 * exactly (TwoSum) and log1p x = log(sh) + sl/sh, the dropped (sl/sh)²/2 < 2^-107
 * being below 2^-96 of a result ≥ 2^-11.
 */
import { highWord, significand } from './bits.js'
import { type DD, SPLITTER, roundTest } from './double-double.js'
import { constantParts, ln2Fixed, log1pSlow, logDouble, logSlow } from './multiprecision.js'

/** Relative error bound of {@link logKernel} (and of the log1p paths). */
export const LOG_EPS = 2 ** -70

const BITS = 9
const CELLS = 1 << BITS
// L[4i…4i+3] = c_i, −log c_i (or −log 2c_i in halved cells) as hi and lo, halved (0 or 1)
const L = new Float64Array(4 * (CELLS + 1))
for (let i = 0; i <= CELLS; i++) {
  const centre = 1 + i / CELLS
  const halved = centre > Math.SQRT2
  const c = i === 0 ? 1 : i === CELLS ? 0.5 : Math.fround(1 / centre) // 24 significant bits
  const [hi, lo] = logDouble(halved ? 2 * c : c)
  L[4 * i] = c
  L[4 * i + 1] = -hi
  L[4 * i + 2] = -lo
  L[4 * i + 3] = halved ? 1 : 0
}

const [L1, L2] = constantParts(ln2Fixed(300), 300, [42]) // ln 2

/** Result of {@link logKernel}: log x ≈ hi + lo, and the reduced argument r ≈ rh. */
export interface LogResult extends DD {
  r: number
}

/**
 * log(x) as hi + lo for finite x > 0, written into `out` with the reduced argument rh:
 * |hi + lo − log x| < 2^-51·|rh|³ + 2^-92·|hi|.
 */
export function logKernel(x: number, out: LogResult): void {
  let e = 0
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984 // 2^54: subnormal to normal
    e = -54
  }
  const hw = highWord(x)
  const frac = hw & 0xfffff
  const i = (frac + (1 << (19 - BITS))) >> (20 - BITS)
  const k = 4 * i
  e += (hw >> 20) - 1023 + L[k + 3]
  const m0 = significand(x)
  const ci = L[k]
  const logcHi = L[k + 1]

  let t = SPLITTER * m0 // r = m0·c − 1 = (mh·c − 1) + ml·c, both exact
  const mh = t - (t - m0)
  const a = mh * ci - 1
  const b = (m0 - mh) * ci
  const rh = a + b // TwoSum(a, b)
  t = rh - a
  const rl = a - (rh - t) + (b - t)

  t = SPLITTER * rh // Dekker: s + se = rh² exactly
  const rhh = t - (t - rh)
  const rhl = rh - rhh
  const s = rh * rh
  const se = rhh * rhh - s + 2 * rhh * rhl + rhl * rhl
  const cube = rh * s * (1 / 3 - rh * (0.25 - rh * (0.2 - rh * (1 / 6 - rh * (1 / 7 - rh * 0.125)))))
  const hs = -0.5 * s
  const u = rh + hs // Fast2Sum(rh, −s/2)
  const ue = hs - (u - rh)

  const eh = e * L1 // exact
  const A = eh + logcHi // TwoSum(e·L1, −log c)
  t = A - eh
  const Ae = eh - (A - t) + (logcHi - t)
  const B = A + u // TwoSum(A, u)
  t = B - A
  const Be = A - (B - t) + (u - t)
  const lo = Ae + Be + ue + e * L2 + L[k + 2] + rl - 0.5 * se - rh * rl + cube
  const hi = B + lo // Fast2Sum
  out.lo = lo - (hi - B)
  out.hi = hi
  out.r = rh
}

const scratch: LogResult = { hi: 0, lo: 0, r: 0 }

/** Correctly rounded natural logarithm (C99/glibc special values). */
export function log(x: number): number {
  if (x > 0 && x < Infinity) {
    logKernel(x, scratch)
    const r = roundTest(scratch.hi, scratch.lo, LOG_EPS)
    return r === r ? r : logSlow(x)
  }
  if (x === 0) return -Infinity
  return x === Infinity ? Infinity : NaN
}

/** log1p(r) for a double |r| ≤ 2^-10, as hi + lo in `out`: the polynomial of step 3 alone. */
function log1pSmall(rh: number, out: DD): void {
  let t = SPLITTER * rh
  const rhh = t - (t - rh)
  const rhl = rh - rhh
  const s = rh * rh
  const se = rhh * rhh - s + 2 * rhh * rhl + rhl * rhl
  const cube = rh * s * (1 / 3 - rh * (0.25 - rh * (0.2 - rh * (1 / 6 - rh * (1 / 7 - rh * 0.125)))))
  const hs = -0.5 * s
  const u = rh + hs // Fast2Sum(rh, −s/2)
  const lo = hs - (u - rh) - 0.5 * se + cube
  t = u + lo
  out.lo = lo - (t - u)
  out.hi = t
}

/** Correctly rounded log(1 + x) (C99/glibc special values). */
export function log1p(x: number): number {
  const ax = Math.abs(x)
  if (ax < 2 ** -54) return x // includes ±0
  if (ax <= 2 ** -10) {
    log1pSmall(x, scratch)
  } else if (x > -1 && x < Infinity) {
    const sh = 1 + x // TwoSum(1, x)
    const t = sh - 1
    const sl = 1 - (sh - t) + (x - t)
    logKernel(sh, scratch)
    const lo = scratch.lo + sl / sh
    const hi = scratch.hi + lo
    scratch.lo = lo - (hi - scratch.hi)
    scratch.hi = hi
  } else {
    if (x === -1) return -Infinity
    return x === Infinity ? Infinity : NaN
  }
  const r = roundTest(scratch.hi, scratch.lo, LOG_EPS)
  return r === r ? r : log1pSlow(x)
}

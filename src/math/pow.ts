/**
 * Correctly rounded x^y with C99 (Annex F) / glibc special cases.
 *
 * Algorithm: x^y = e^z with z = y·log|x|.
 *
 * 1. log|x| = lh + ll from the double-double log kernel (log.ts), with
 *    |lh + ll − log x| < 2^-51·|r|³ + 2^-92·|lh| where r (|r| ≤ 2^-10) is the kernel's
 *    reduced argument: relative error below 2^-71.9, and much less away from x = 1.
 * 2. z = y·lh + y·ll as zh + zl: Dekker's product makes y·lh exact, y·ll is rounded
 *    (its error is below 2^-105·|z|). So |zh + zl − z| < |y|·2^-51·|r|³ + 2^-91.9·|z|.
 * 3. e^(zh + zl) from the double-double exponential kernel (exp.ts, relative error
 *    < 2^-78, with |zl| < 2^-42 accounted for). An absolute error Δz in z is a relative
 *    error e^Δz − 1 < 1.001·|Δz| in the result.
 *
 * Error bound, computed per call for the rounding test:
 * {@link EXP_EPS} + |y|·2^-50.9·|r|³ + |zh|·2^-91 (EXP_EPS = 2^-77, the other
 * constants rounded up). Even at |z| = 700 with x near 1 this is below 2^-61.
 *
 * Shortcuts that are exact IEEE operations, hence correctly rounded: y = 1 (x),
 * y = 2 (x·x), y = −1 (1/x), y = 1/2 (√x, for x > 0).
 *
 * Range: the kernel runs for −745.2 < zh < 709.8 and {@link roundExpResult} rounds its
 * result whatever its magnitude: normal, near overflow, or below 2^-1021 on the
 * subnormal grid (multiples of 2^-1074). Past those bounds no rounding is needed, since
 * |zh − z| < 2^-40 + 2^-51·|z|: zh ≥ 709.8 means z > 709.79 > ln 2^1024 = 709.7827…, so
 * Infinity; zh ≤ −745.2 means z < −745.19 < ln 2^-1075 = −745.1332…, so the result is
 * below half the least subnormal and rounds to +0.
 *
 * Only undecided roundings go to the exact slow path, which also settles the cases where
 * x^y is exactly a double or a midpoint. One such midpoint is cheap and is settled here:
 * x = 2^b with y an integer and b·y = −1075 (0.5^1075, say), exactly half the least
 * subnormal, which rounds to +0 (ties to even); other integer powers of two pass the
 * rounding test, being exact doubles far from any rounding boundary.
 */
import { EXP_EPS, type ExpResult, expKernel, roundExpResult } from './exp.js'
import { SPLITTER } from './double-double.js'
import { type LogResult, logKernel } from './log.js'
import { highWord, significand } from './bits.js'
import { powSlow } from './multiprecision.js'

const logOut: LogResult = { hi: 0, lo: 0, r: 0 }
const expOut: ExpResult = { hi: 0, lo: 0, scale: 0 }

/**
 * x^y for finite x > 0, y finite and nonzero, as (hi + lo)·2^scale in `out` (scale in
 * [−1076, 1024], so 2^scale may be outside the normal range); returns the relative error
 * bound of hi + lo (see above). Returns NaN when zh ≈ y·log x is outside (−745.2, 709.8),
 * where the result is +0 or Infinity; `out.hi` then holds zh.
 */
export function powKernel(x: number, y: number, out: ExpResult): number {
  logKernel(x, logOut)
  const lh = logOut.hi
  const zh = y * lh
  if (!(zh > -745.2 && zh < 709.8)) {
    out.hi = zh
    return NaN
  }
  let t = SPLITTER * y // Dekker: zh + ze = y·lh exactly
  const yh = t - (t - y)
  const yl = y - yh
  t = SPLITTER * lh
  const lhh = t - (t - lh)
  const lhl = lh - lhh
  const ze = yh * lhh - zh + yh * lhl + yl * lhh + yl * lhl
  expKernel(zh, ze + y * logOut.lo, false, out)
  const r3 = logOut.r * logOut.r * logOut.r
  return EXP_EPS + Math.abs(y * r3) * 2 ** -50.9 + Math.abs(zh) * 2 ** -91
}

/** x^y for finite x > 0 and finite y ≠ 0. */
function positivePow(x: number, y: number): number {
  if (y === 1) return x
  if (y === 2) return x * x
  if (y === -1) return 1 / x
  if (y === 0.5) return Math.sqrt(x)
  if (x === 1) return 1
  const eps = powKernel(x, y, expOut)
  if (!(eps === eps)) return expOut.hi > 0 ? Infinity : 0 // see the header for the bounds
  const r = roundExpResult(expOut, eps)
  if (r === r) return r
  // x = 2^b, y an integer (so b·y is exact) and b·y = −1075: exactly half the least
  // subnormal, a tie that rounds to +0
  if (Math.floor(y) === y && x >= 2.2250738585072014e-308 && significand(x) === 1 && ((highWord(x) >> 20) - 1023) * y === -1075) return 0
  return powSlow(x, y)
}

/** Correctly rounded x^y (C99 Annex F special values, as glibc's pow). */
export function pow(x: number, y: number): number {
  if (x > 0 && x < Infinity && y !== 0 && Math.abs(y) < Infinity) return positivePow(x, y)
  if (y === 0 || x === 1) return 1 // even for NaN
  if (x !== x || y !== y) return NaN
  const ax = Math.abs(x)
  if (Math.abs(y) === Infinity) {
    if (ax === 1) return 1 // pow(−1, ±∞)
    return (ax < 1) === (y > 0) ? 0 : Infinity
  }
  const integer = Math.floor(y) === y
  const odd = integer && Math.abs(y) < 2 ** 53 && y % 2 !== 0
  if (x === 0) {
    if (y < 0) return odd ? 1 / x : Infinity // 1/±0 = ±∞
    return odd ? x : 0
  }
  if (ax === Infinity) {
    const r = y < 0 ? 0 : Infinity
    return odd && x < 0 ? -r : r
  }
  if (!integer) return NaN // negative base, non-integer exponent
  const r = positivePow(ax, y)
  return odd ? -r : r
}

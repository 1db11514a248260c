/**
 * Correctly rounded hyperbolic tangent.
 *
 * Algorithm: tanh|x| = E/(E + 2) with E = e^(2|x|) − 1 from the double-double
 * exponential kernel (exp.ts, relative error < 2^-68.5 for e^z − 1), then a
 * double-double division: qh = fl(E/D), and the remainder E − qh·D computed exactly in
 * its leading part (Dekker's product, Sterbenz subtraction) gives ql; the division adds
 * less than 2^-100. A relative error δ in E moves E/(E + 2) by δ·2/(E + 2) ≤ δ, so the
 * result's relative error stays below 2^-68.4; the rounding test uses
 * {@link TANH_EPS} = 2^-67.
 *
 * |x| < 2^-27: tanh x = x after rounding (x²/3 < 2^-54). |x| > 19.1: 1 − tanh|x| <
 * 2·e^(-2|x|) < 2^-54, so the result is ±1. Undecided roundings go to the exact slow path.
 */
import { type DD, SPLITTER, roundTest } from './double-double.js'
import { type ExpResult, expKernel } from './exp.js'
import { tanhSlow } from './multiprecision.js'

/** Relative error bound of the fast path. */
export const TANH_EPS = 2 ** -67

const expOut: ExpResult = { hi: 0, lo: 0, scale: 0 }

/**
 * tanh(ax) for 2^-27 ≤ ax ≤ 19.1 as hi + lo in `out`, with relative error < 2^-68.4.
 */
export function tanhKernel(ax: number, out: DD): void {
  expKernel(2 * ax, 0, true, expOut)
  const eh = expOut.hi
  const el = expOut.lo
  const dh = eh + 2 // TwoSum(eh, 2)
  let t = dh - eh
  const dl = eh - (dh - t) + (2 - t) + el
  const qh = eh / dh
  t = SPLITTER * qh // Dekker: p + pe = qh·dh exactly
  const qhh = t - (t - qh)
  const qhl = qh - qhh
  t = SPLITTER * dh
  const dhh = t - (t - dh)
  const dhl = dh - dhh
  const p = qh * dh
  const pe = qhh * dhh - p + qhh * dhl + qhl * dhh + qhl * dhl
  out.hi = qh
  out.lo = (eh - p - pe + el - qh * dl) / dh
}

const scratch: DD = { hi: 0, lo: 0 }

/** Correctly rounded tanh (C99/glibc special values). */
export function tanh(x: number): number {
  const ax = Math.abs(x)
  if (!(ax >= 2 ** -27)) return x // tiny, ±0 or NaN
  if (ax > 19.1) return x > 0 ? 1 : -1
  tanhKernel(ax, scratch)
  const r = roundTest(scratch.hi, scratch.lo, TANH_EPS)
  if (r === r) return x < 0 ? -r : r
  return tanhSlow(x)
}

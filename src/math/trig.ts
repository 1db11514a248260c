/**
 * Correctly rounded sin and cos.
 *
 * Algorithm (table-driven, after Gal's accurate tables and Tang):
 *
 * 1. Reduction (|x| < 2^16). n = round(|x|·1024/π), |x| = n·π/1024 + r with
 *    |r| ≤ π/2048·(1 + 2^-40) < 2^-9.35. π/1024 = C1 + C2 + C3 + C4 (Cody–Waite):
 *    C1…C3 of 28 bits, so that n·Ci is exact for n < 2^25, C4 rounded; the truncation
 *    is below 2^-145·n. |x| − n·C1 is exact (both are multiples of ulp(x), the
 *    difference is below 2^-9 ≤ 2·|x| when n ≠ 0); two TwoSums take n·C2 and n·C3 away
 *    exactly, and −n·C4 plus their errors form the low part. |rh + rl − r| < 2^-118
 *    absolute (and 2^-105·|r|).
 * 2. With q = n >> 9 (the quadrant) and i = n mod 512, |x| = q·π/2 + θ, θ = i·π/1024 + r,
 *    and sin x or cos x is ±sin θ or ±cos θ. Both are F = A·cos r + B·sin r with
 *    (A, B) = (S_i, C_i) for sin θ and (C_i, −S_i) for cos θ, where S_i = sin(iπ/1024)
 *    and C_i = S_(512−i) come from one 513-entry double-double table (error < 2^-106,
 *    computed at load by the exact kernel):
 *    F = A + B·r + [A·(cos r − 1) + B·(sin r − r)]. B·r is exact in its leading product
 *    (Dekker; B's split is tabulated), the bracket is in double with Taylor polynomials
 *    to r⁸ and r⁹ (tails below 2^-93 and 2^-84·|r|).
 * 3. Error bound, relative to |F|: with ρ = |r| < 2^-9.35, the bracket's roundings give
 *    at most 6u·|A|·ρ²/2 + 6u·|B|·ρ³/6 (u = 2^-53), and the two additions that carry it
 *    u·(|A|ρ²/2 + |B|ρ³/6) more. Since |F| ≥ |A|/2 and |F| ≥ |B|·ρ·0.99 (at worst at
 *    i = 1 or i = 511), this is below 9.4u·ρ² < 2^-68.4·|F|; table, reduction and
 *    Dekker products add less than 2^-100·|F| + 2^-118. The rounding test uses
 *    {@link TRIG_EPS} = 2^-67 and the absolute 2^-117 (that absolute term only matters
 *    within 2^-50 of a zero of F, i.e. of a multiple of π/2, which takes the slow path).
 *
 * |x| < 2^-26: sin x = x and cos x = 1 after rounding (x²/6 and x²/2 are below half
 * an ulp). |x| ≥ 2^16 and undecided roundings go to the exact slow path.
 */
import { type DD, SPLITTER, roundTest, splitTable } from './double-double.js'
import { constantParts, cosSlow, piFixed, sinPiFraction, sinSlow } from './multiprecision.js'

/** Relative error bound of the fast path (plus an absolute 2^-117). */
export const TRIG_EPS = 2 ** -67
const ABS_ERR = 2 ** -117

// S[4i…4i+3] = hi, lo, and the Veltkamp halves of hi, for sin(iπ/1024)
const S = splitTable(513, (i) => sinPiFraction(i, 1024))

const [C1, C2, C3, C4] = constantParts(piFixed(300), 310, [28, 28, 28]) // π/1024
const INV_STEP = 1024 / Math.PI // only picks n: any nearby value works
const SHIFTER = 6755399441055744 // 1.5·2^52: adding and subtracting it rounds to an integer

/**
 * sin|x| (cosine false) or cos|x| (cosine true) for 2^-27 ≤ |x| < 2^16, as hi + lo in
 * `out`, with |hi + lo − f(|x|)| < 2^-68.4·|hi| + 2^-118.
 */
export function trigKernel(ax: number, cosine: boolean, out: DD): void {
  const n = ax * INV_STEP + SHIFTER - SHIFTER // nearest integer (< 2^25)
  const a = ax - n * C1
  let b = -n * C2
  const c = a + b // TwoSum(a, −n·C2)
  let t = c - a
  const ce = a - (c - t) + (b - t)
  b = -n * C3
  const d = c + b // TwoSum(c, −n·C3)
  t = d - c
  const de = c - (d - t) + (b - t)
  const l = ce + de - n * C4
  const rh = d + l // TwoSum(d, l)
  t = rh - d
  const rl = d - (rh - t) + (l - t)

  const ni = n | 0
  const q = ni >> 9
  const i = ni & 511
  // sin(q·π/2 + θ) is sin θ, cos θ, −sin θ, −cos θ for q mod 4 = 0…3; cos is one quadrant
  // ahead. Branch-free, as the quadrant of a random angle is unpredictable.
  const k = cosine ? 1 : 0
  const useCos = (q & 1) ^ k
  const sa = 1 - 2 * (((q + k) >> 1) & 1)
  const sb = sa * (1 - 2 * useCos)
  // F = A·cos r + B·sin r, (A, B) = (S_i, C_i) for sin θ, (C_i, −S_i) for cos θ, signed
  const ia = 4 * (i + useCos * (512 - 2 * i))
  const ib = 2048 - ia
  const ah = sa * S[ia]
  const al = sa * S[ia + 1]
  const bh = sb * S[ib]
  const bl = sb * S[ib + 1]
  const bhh = sb * S[ib + 2]
  const bht = sb * S[ib + 3]

  const split = SPLITTER * rh
  const rhh = split - (split - rh)
  const rhl = rh - rhh
  const m = bh * rh // Dekker: m + me = bh·rh exactly
  const me = bhh * rhh - m + bhh * rhl + bht * rhh + bht * rhl
  const s = rh * rh
  const cm = s * (-0.5 + s * (1 / 24 + s * (-1 / 720 + s * (1 / 40320)))) - rh * rl // cos r − 1
  const sm = rh * s * (-1 / 6 + s * (1 / 120 + s * (-1 / 5040 + s * (1 / 362880)))) // sin r − r
  const h = ah + m // Fast2Sum(ah, m): |ah| ≥ |m| or ah = 0
  const lo = m - (h - ah) + me + al + bh * rl + bl * rh + al * cm + (ah * cm + bh * sm)
  const hi = h + lo // Fast2Sum
  out.lo = lo - (hi - h)
  out.hi = hi
}

const scratch: DD = { hi: 0, lo: 0 }

function fast(ax: number, cosine: boolean): number {
  trigKernel(ax, cosine, scratch)
  return roundTest(scratch.hi, scratch.lo, TRIG_EPS, ABS_ERR)
}

/** Correctly rounded sine (C99/glibc special values). */
export function sin(x: number): number {
  const ax = Math.abs(x)
  if (ax < 2 ** -26) return x // includes ±0
  if (ax < 65536) {
    const r = fast(ax, false)
    if (r === r) return x < 0 ? -r : r
  } else if (ax === Infinity || x !== x) {
    return NaN
  }
  return sinSlow(x)
}

/** Correctly rounded cosine (C99/glibc special values). */
export function cos(x: number): number {
  const ax = Math.abs(x)
  if (ax < 2 ** -27) return 1
  if (ax < 65536) {
    const r = fast(ax, true)
    if (r === r) return r
  } else if (ax === Infinity || x !== x) {
    return NaN
  }
  return cosSlow(x)
}

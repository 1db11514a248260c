/**
 * The exact reference the math tests compare against: decimal.js at 70 significant
 * digits (≈ 232 bits), fed the exact value of each double and rounded back to the
 * nearest double exactly.
 *
 * - `new Decimal(x)` would use the shortest decimal string of x, not its value, so
 *   {@link exact} builds the value from the bits: x = m·2^e is m·5^-e·10^e when e < 0.
 * - `.toNumber()` would round twice, so {@link nearest} walks to the double whose two
 *   rounding boundaries (midpoints with its neighbours, built exactly from bits) enclose
 *   the reference, with ties to even; it throws when the reference lies within 10^-60 of
 *   a boundary, where 70 digits cannot vouch for the side.
 *
 * Nothing here imports src/math: the reference shares no code with what it checks.
 */
import { Decimal } from 'decimal.js'

export const Dec = Decimal.clone({ precision: 70, rounding: Decimal.ROUND_HALF_EVEN })
/** Wide enough to hold 1 + x exactly for any double x used by the tests. */
const Wide = Decimal.clone({ precision: 1200, rounding: Decimal.ROUND_HALF_EVEN })

const view = new DataView(new ArrayBuffer(8))

/** |x| = m·2^e exactly (x finite). */
export function bits(x: number): { m: bigint, e: number } {
  view.setFloat64(0, x)
  const raw = view.getBigUint64(0)
  const biased = Number((raw >> 52n) & 0x7ffn)
  const frac = raw & ((1n << 52n) - 1n)
  return biased === 0 ? { m: frac, e: -1074 } : { m: frac | (1n << 52n), e: biased - 1075 }
}

/** The Decimal m·2^e, exactly. */
function dyadic(m: bigint, e: number, negative = false): Decimal {
  const sign = negative ? '-' : ''
  if (e >= 0) return new Dec(sign + (m << BigInt(e)).toString())
  return new Dec(`${sign}${m * 5n ** BigInt(-e)}e-${-e}`)
}

/** The exact value of the double x as a Decimal. */
export function exact(x: number): Decimal {
  if (x === 0) return new Dec(0)
  const { m, e } = bits(x)
  return dyadic(m, e, x < 0)
}

function step(x: number, up: boolean): number {
  if (x === 0) return up ? 5e-324 : -5e-324
  view.setFloat64(0, x)
  view.setBigUint64(0, view.getBigUint64(0) + ((x > 0) === up ? 1n : -1n))
  return view.getFloat64(0)
}

/** The double after x (toward +∞); the largest double goes to Infinity. */
export const next = (x: number): number => step(x, true)
/** The double before x (toward −∞). */
export const prev = (x: number): number => step(x, false)

const MAX = Number.MAX_VALUE
const CLOSE = new Dec('1e-60')

/** Exact midpoint of two adjacent finite doubles (a < b), as a Decimal. */
function midpoint(a: number, b: number): Decimal {
  if (b === Infinity) return dyadic((1n << 54n) - 1n, 970) // 2^1024 − 2^970
  if (a === -Infinity) return dyadic((1n << 54n) - 1n, 970, true)
  const A = bits(a)
  const B = bits(b)
  const e = Math.min(A.e, B.e)
  const va = (A.m << BigInt(A.e - e)) * (a < 0 ? -1n : 1n)
  const vb = (B.m << BigInt(B.e - e)) * (b < 0 ? -1n : 1n)
  const sum = va + vb // a + b = sum·2^e
  return dyadic(sum < 0n ? -sum : sum, e - 1, sum < 0n)
}

function isEven(x: number): boolean {
  return (bits(x).m & 1n) === 0n
}

/**
 * The double nearest to v (ties to even, IEEE overflow to ±Infinity), decided exactly.
 * Throws if v is within 10^-60·|v| of a rounding boundary.
 */
export function nearest(v: Decimal): number {
  if (v.isZero()) return v.isNeg() ? -0 : 0
  let c = Math.max(-MAX, Math.min(MAX, v.toNumber()))
  for (;;) {
    const below = midpoint(c === -MAX ? -Infinity : prev(c), c)
    const above = midpoint(c, c === MAX ? Infinity : next(c))
    for (const m of [below, above]) {
      if (v.minus(m).abs().lte(v.abs().times(CLOSE))) {
        throw new Error(`reference too close to a rounding boundary: ${v.toString()}`)
      }
    }
    if (v.gt(above)) {
      if (c === MAX) return Infinity
      c = next(c)
    } else if (v.lt(below)) {
      if (c === -MAX) return -Infinity
      c = prev(c)
    } else {
      return c === 0 && v.isNeg() ? -0 : c
    }
  }
}

/** Round an exact dyadic m·2^e (m ≥ 0) to the nearest double, ties to even. */
export function nearestDyadic(m: bigint, e: number): number {
  const v = dyadic(m, e)
  let c = Math.min(MAX, v.toNumber())
  for (;;) {
    const below = midpoint(prev(c), c)
    const above = midpoint(c, c === MAX ? Infinity : next(c))
    if (v.gt(above) || (v.eq(above) && !isEven(c))) {
      if (c === MAX) return Infinity
      c = next(c)
    } else if (v.lt(below) || (v.eq(below) && !isEven(c))) {
      c = prev(c)
    } else {
      return c
    }
  }
}

// --- the functions, correctly rounded through decimal.js ---------------------------

export const ref = {
  exp: (x: number): number => nearest(exact(x).exp()),
  log: (x: number): number => nearest(exact(x).ln()),
  log1p: (x: number): number => nearest(new Dec(new Wide(1).plus(exact(x).toString()).toString()).ln()),
  sin: (x: number): number => nearest(exact(x).sin()),
  cos: (x: number): number => nearest(exact(x).cos()),
  tanh: (x: number): number => nearest(exact(x).tanh()),
  pow: (x: number, y: number): number => nearest(exact(x).pow(exact(y))),
}

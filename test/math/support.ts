/**
 * Shared pieces of the math tests: input generators over the schedules' ranges and a
 * property runner comparing a function with the decimal.js reference bit for bit.
 */
import fc from 'fast-check'
import type { Decimal } from 'decimal.js'
import { Dec, exact } from './reference.js'

/** Uniform real in [a, b] (rounded to a double), from a 53-bit integer. */
export function uniform(a: number, b: number): fc.Arbitrary<number> {
  return fc.maxSafeNat().map((k) => a + (b - a) * (k / 2 ** 53))
}

/** Log-uniform magnitude in [2^lo, 2^hi], with a random sign if `signed`. */
export function logUniform(lo: number, hi: number, signed = false): fc.Arbitrary<number> {
  return fc.tuple(uniform(lo, hi), fc.boolean()).map(([e, s]) => (signed && s ? -1 : 1) * 2 ** e)
}

/** Every double in [min, max] equally likely by bit pattern (mostly small magnitudes). */
export function anyDouble(min: number, max: number): fc.Arbitrary<number> {
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true })
}

/** Same double, including the sign of zero. */
export const same = (a: number, b: number): boolean => Object.is(a, b)

/**
 * fc.assert that f(x) equals the reference on `runs` inputs; a failure names the input,
 * the expected and the actual double.
 */
export function agrees<T extends unknown[]>(
  arb: fc.Arbitrary<T>,
  f: (...x: T) => number,
  reference: (...x: T) => number,
  runs: number,
): void {
  fc.assert(
    fc.property(arb, (x) => {
      const want = reference(...x)
      const got = f(...x)
      if (!same(got, want)) throw new Error(`f(${x.join(', ')}) = ${got}, correctly rounded: ${want}`)
    }),
    { numRuns: runs },
  )
}

/** A double from the two 32-bit halves of its encoding, as test-vector files list them. */
export function fromWords(hi: number, lo: number): number {
  const view = new DataView(new ArrayBuffer(8))
  view.setUint32(0, hi)
  view.setUint32(4, lo)
  return view.getFloat64(0)
}

/** |approx − v| / |v| as a Number, approx = (hi + lo)·2^scale taken exactly. */
export function relativeError(hi: number, lo: number, v: Decimal, scale = 0): number {
  const approx = exact(hi).plus(exact(lo)).times(new Dec(2).pow(scale))
  return approx.minus(v).div(v).abs().toNumber()
}

/** |approx − v| as a Number, approx = hi + lo taken exactly. */
export function absoluteError(hi: number, lo: number, v: Decimal): number {
  return exact(hi).plus(exact(lo)).minus(v).abs().toNumber()
}

import t from 'tap'
import fc from 'fast-check'
import type { ExpResult } from '../../src/math/exp.js'
import { pow, powKernel } from '../../src/math/pow.js'
import { powSlow } from '../../src/math/multiprecision.js'
import { exact, nearestDyadic, ref } from './reference.js'
import { agrees, anyDouble, relativeError, same, uniform } from './support.js'

const integer = (lo: number, hi: number): fc.Arbitrary<number> => uniform(lo, hi + 1).map(Math.floor)
const positive = (a: number, b: number): fc.Arbitrary<number> => uniform(a, b).filter((x) => x > 0)

const inputs: fc.Arbitrary<[number, number]> = fc.oneof(
  { arbitrary: fc.tuple(positive(0.05, 1), integer(0, 1000)), weight: 3 }, // decay_rate ** n
  { arbitrary: fc.tuple(positive(0, 1e7), uniform(0.1, 10)), weight: 3 }, // t ** k
  { arbitrary: fc.tuple(positive(0, 100), uniform(-1000, 1000)), weight: 2 }, // base in (0, 100]
  { arbitrary: fc.tuple(uniform(0, 1).map((u) => 1 - u), uniform(0.5, 5)), weight: 1 }, // (1 − x) ** power
  { arbitrary: fc.tuple(uniform(-20, 20), integer(-30, 30)), weight: 1 }, // integer exponents
  { arbitrary: fc.tuple(anyDouble(1e-300, 1e300), uniform(-3, 3)), weight: 1 },
)

t.test('pow is correctly rounded on 10,000 random inputs (decimal.js reference)', async (t) => {
  agrees(inputs, pow, ref.pow, 10_000)
  t.pass('10,000 inputs')
})

t.test('the exact slow path alone is correctly rounded', async (t) => {
  const positiveInputs = inputs.filter(([x, y]) => x > 0 && x !== 1 && y !== 0)
  agrees(positiveInputs, powSlow, ref.pow, 300)
  t.pass('300 inputs')
})

t.test('special values (C99 F.9.4.4, as glibc)', async (t) => {
  const cases: Array<[number, number, number]> = [
    [NaN, 0, 1], [NaN, -0, 1], [Infinity, 0, 1], [-3, -0, 1],
    [1, NaN, 1], [1, Infinity, 1], [1, -Infinity, 1], [1, 1e300, 1],
    [NaN, 1, NaN], [2, NaN, NaN], [-1, NaN, NaN],
    [-1, Infinity, 1], [-1, -Infinity, 1],
    [0.5, -Infinity, Infinity], [-0.5, -Infinity, Infinity], [2, -Infinity, 0], [-2, -Infinity, 0],
    [0.5, Infinity, 0], [-0.5, Infinity, 0], [2, Infinity, Infinity], [-2, Infinity, Infinity],
    [0, -3, Infinity], [-0, -3, -Infinity], [0, -2, Infinity], [-0, -2, Infinity],
    [-0, -0.5, Infinity], [-0, -Infinity, Infinity],
    [0, 3, 0], [-0, 3, -0], [-0, 2, 0], [-0, 0.5, 0], [-0, Infinity, 0],
    [-Infinity, -3, -0], [-Infinity, -2, 0], [-Infinity, -0.5, 0],
    [-Infinity, 3, -Infinity], [-Infinity, 2, Infinity], [-Infinity, 0.5, Infinity],
    [Infinity, -1, 0], [Infinity, 0.5, Infinity],
    [-8, 1 / 3, NaN], [-2, 0.5, NaN], [-Infinity, NaN, NaN],
    [-2, 3, -8], [-2, 2, 4], [-2, -1, -0.5], [-0.5, 1075, -0], [-0.5, 1076, 0],
    [-2, 1025, -Infinity], [-2, 1024, Infinity],
    [-1, 2 ** 53, 1], [-1, 2 ** 53 - 1, -1], [-1, 1e300, 1],
    [2, 1024, Infinity], [2, -1074, 5e-324], [2, -1075, 0], [0.5, 1075, 0], [0.5, 1074, 5e-324],
    [1e200, 2, Infinity], [1e-200, 2, 0], [-1e-200, 3, -0],
    [10, 308, 1e308], [10, -5, 0.00001], [9, 0.5, 3], [8, 1 / 3, 2],
  ]
  for (const [x, y, want] of cases) t.ok(same(pow(x, y), want), `pow(${x}, ${y}) = ${want}`)
})

t.test('exact results and exact midpoints are rounded exactly (ties to even)', async (t) => {
  const r = 262143n // r³ has 54 bits, odd: an exact midpoint between two doubles
  t.equal((r ** 3n).toString(2).length, 54)
  const tie = nearestDyadic(r ** 3n, 0)
  t.equal(pow(Number(r), 3), tie, '262143^3')
  t.equal(pow(Number(r * r), 1.5), tie, '(262143²)^1.5')
  t.equal(pow(Number(r * r) * 2 ** -100, 1.5), nearestDyadic(r ** 3n, -150), '(262143²·2^-100)^1.5')
  t.equal(pow(6561, 0.125), 3, '3^8 to the 1/8')
  t.equal(pow(16, 0.75), 8)
  t.equal(pow(5 * 2 ** -360, 3), nearestDyadic(125n, -1080), 'subnormal result')
  t.equal(pow(3, 33), 5559060566555523)
  t.equal(pow(3, 34), nearestDyadic(3n ** 34n, 0), '3^34 has 54 bits')
  t.equal(pow(0.1, 2), 0.010000000000000002)
  t.equal(pow(2, 0.5), Math.SQRT2)
})

t.test('the per-call error bound holds', async (t) => {
  const out: ExpResult = { hi: 0, lo: 0, scale: 0 }
  let worst = 0
  fc.assert(
    fc.property(inputs.filter(([x, y]) => x > 0 && y !== 0), ([x, y]) => {
      const eps = powKernel(x, y, out)
      if (!(eps === eps)) return true // outside the fast path
      const v = exact(x).pow(exact(y))
      const e = relativeError(out.hi, out.lo, v, out.scale)
      worst = Math.max(worst, e / eps)
      return e < eps
    }),
    { numRuns: 2000 },
  )
  t.comment(`largest error seen, as a fraction of its bound: ${worst.toFixed(3)}`)
})

t.test('where Math.pow is not correctly rounded, pow is', async (t) => {
  const xs = fc.sample(inputs, { numRuns: 20_000, seed: 6 })
  const differ = xs.filter(([x, y]) => Math.pow(x, y) !== pow(x, y))
  t.ok(differ.length > 100, `Math.pow differs on ${differ.length} of 20,000 inputs`)
  for (const [x, y] of differ.slice(0, 25)) {
    t.equal(pow(x, y), ref.pow(x, y), `pow(${x}, ${y})`)
    t.not(Math.pow(x, y), ref.pow(x, y), `Math.pow(${x}, ${y}) is off`)
  }
})

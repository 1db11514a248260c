import t from 'tap'
import fc from 'fast-check'
import { fastTwoSum, roundTest, split, twoProd, twoSum } from '../../src/math/double-double.js'
import { bits, exact, nearest, next } from './reference.js'

/** x as an exact rational m·2^e with m signed, e = -1074 for all (a common scale). */
function scaled(x: number): bigint {
  const { m, e } = bits(x)
  const v = m << BigInt(e + 1074)
  return x < 0 ? -v : v
}

const moderate = fc.double({ min: -(2 ** 400), max: 2 ** 400, noNaN: true }).filter((x) => x === 0 || Math.abs(x) > 2 ** -400)

t.test('twoSum and fastTwoSum are error-free', async (t) => {
  fc.assert(
    fc.property(moderate, moderate, (a, b) => {
      const { hi, lo } = twoSum(a, b)
      return hi === a + b && scaled(hi) + scaled(lo) === scaled(a) + scaled(b)
    }),
    { numRuns: 5000 },
  )
  fc.assert(
    fc.property(moderate, moderate, (x, y) => {
      const [a, b] = Math.abs(x) >= Math.abs(y) ? [x, y] : [y, x]
      const { hi, lo } = fastTwoSum(a, b)
      return scaled(hi) + scaled(lo) === scaled(a) + scaled(b)
    }),
    { numRuns: 5000 },
  )
  t.pass('10,000 pairs')
})

const product = fc.double({ min: -(2 ** 300), max: 2 ** 300, noNaN: true }).filter((x) => x === 0 || Math.abs(x) > 2 ** -300)

t.test('split gives two halves of at most 26 bits; twoProd is error-free', async (t) => {
  const bitCount = (x: number): number => {
    if (x === 0) return 0
    let { m } = bits(x)
    while ((m & 1n) === 0n) m >>= 1n
    return m.toString(2).length
  }
  fc.assert(
    fc.property(product, (a) => {
      const { hi, lo } = split(a)
      return hi + lo === a && bitCount(hi) <= 26 && bitCount(lo) <= 26
    }),
    { numRuns: 3000 },
  )
  fc.assert(
    fc.property(product, product, (a, b) => {
      const { hi, lo } = twoProd(a, b)
      return hi === a * b && scaled(hi) * 2n ** 1074n + scaled(lo) * 2n ** 1074n === scaled(a) * scaled(b)
    }),
    { numRuns: 5000 },
  )
  t.pass('8,000 cases')
})

t.test('roundTest never returns a wrong rounding (adversarial lo near half an ulp)', async (t) => {
  let decided = 0
  let undecided = 0
  fc.assert(
    fc.property(
      fc.double({ min: 2 ** -800, max: 2 ** 800, noNaN: true }),
      fc.oneof(fc.double({ min: -1, max: 1, noNaN: true }), fc.integer({ min: 1, max: 40 }).map((k) => 1 - 2 ** -k), fc.integer({ min: 1, max: 40 }).map((k) => -1 + 2 ** -k)),
      fc.integer({ min: 60, max: 110 }),
      fc.double({ min: -1, max: 1, noNaN: true }),
      (hi, u, k, delta) => {
        const half = (next(hi) - hi) / 2
        const lo = u * half * 0.999
        const eps = 2 ** -k
        // the exact value lies within eps·|hi| of hi + lo
        const y = exact(hi).plus(exact(lo)).plus(exact(hi).times(eps).times(delta))
        const r = roundTest(hi, lo, eps)
        if (r !== r) {
          undecided++
          return true
        }
        decided++
        try {
          return r === nearest(y)
        } catch {
          return true // y within 10^-60 of a boundary: the reference cannot tell
        }
      },
    ),
    { numRuns: 5000 },
  )
  t.comment(`${decided} decided, ${undecided} sent to the slow path`)
  t.ok(decided > 0 && undecided > 0, 'both outcomes exercised')
})

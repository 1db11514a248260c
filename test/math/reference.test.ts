import t from 'tap'
import fc from 'fast-check'
import { Dec, exact, nearest, nearestDyadic, next, prev, ref } from './reference.js'

t.test('exact() is the exact binary value, not the shortest decimal', async (t) => {
  t.equal(exact(0.1).toString(), '0.1000000000000000055511151231257827021181583404541015625')
  t.equal(exact(-2.5).toString(), '-2.5')
  t.equal(exact(2 ** 60).toString(), '1152921504606846976')
  t.equal(exact(5e-324).toFixed(1074).replace(/0+$/, '').length, 2 + 1074) // 2^-1074 has 1074 decimals
})

t.test('nearest() returns every double from its exact value', async (t) => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => Object.is(nearest(exact(x)), x === 0 ? 0 : x)),
    { numRuns: 3000 },
  )
  t.pass('3000 doubles round-trip')
})

t.test('nearest() agrees with V8 parsing 70-digit decimals (correctly rounded there)', async (t) => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: 1e-300, max: 1e300 }), fc.integer({ min: 1, max: 9 }), (x, k) => {
      const v = exact(x).times(new Dec(`1.${'0'.repeat(30)}${k}`)) // x nudged by ~1e-31 relative
      return nearest(v) === Number(v.toString())
    }),
    { numRuns: 2000 },
  )
  t.pass('2000 nudged values')
})

t.test('rounding boundaries: ties to even, overflow, underflow', async (t) => {
  t.equal(nearestDyadic(2n ** 53n + 1n, 0), 2 ** 53, 'tie goes to the even neighbour below')
  t.equal(nearestDyadic(2n ** 53n + 3n, 0), 2 ** 53 + 4, 'tie goes to the even neighbour above')
  t.equal(nearestDyadic(1n, -1075), 0, '2^-1075 is half the least subnormal: ties to 0')
  t.equal(nearestDyadic(3n, -1076), 5e-324, '0.75·2^-1074 rounds up')
  t.equal(nearestDyadic(2n ** 54n - 1n, 970), Infinity, '2^1024 − 2^970 rounds to Infinity')
  t.equal(nearestDyadic(2n ** 55n - 3n, 969), Number.MAX_VALUE, 'just below it, the largest double')
  t.throws(() => nearest(exact(1).plus(exact(2 ** -53))), /too close/, 'an exact midpoint is refused')
  t.equal(nearest(exact(1).plus(new Dec('1e-40')).plus(exact(2 ** -53))), next(1), 'past the midpoint')
  t.equal(nearest(exact(1).minus(new Dec('1e-40')).plus(exact(2 ** -53))), 1, 'before the midpoint')
  t.equal(prev(1), 1 - 2 ** -53)
})

t.test('reference functions on values known by heart', async (t) => {
  t.equal(ref.exp(1), Math.E)
  t.equal(ref.log(2), Math.LN2)
  t.equal(ref.log(10), Math.LN10)
  t.equal(ref.sin(Math.PI), 1.2246467991473532e-16)
  t.equal(ref.cos(Math.PI / 2), 6.123233995736766e-17)
  t.equal(ref.pow(2, 0.5), Math.SQRT2)
  t.equal(ref.log1p(-0.5), -Math.LN2)
  t.equal(ref.tanh(0.5), 0.46211715726000974)
})

import t from 'tap'
import fc from 'fast-check'
import { decompose, decomposeOdd, exponentOf, highWord, ldexp, nextDown, nextUp, pow2, withHighWord } from '../../src/math/bits.js'
import { next, prev } from './reference.js'

t.test('decompose gives |x| = m·2^e exactly', async (t) => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
      const { m, e } = decompose(x)
      const odd = decomposeOdd(x)
      const back = Number(m) * 2 ** e // m < 2^53: exact, and so is the scaling here
      return back === Math.abs(x) && (x === 0 || (odd.m & 1n) === 1n) && Number(odd.m) * 2 ** odd.e === Math.abs(x)
    }),
    { numRuns: 3000 },
  )
  t.same(decompose(5e-324), { m: 1n, e: -1074 })
  t.same(decompose(1), { m: 2n ** 52n, e: -52 })
})

t.test('powers of two, ldexp, exponents, neighbours', async (t) => {
  for (const k of [-1074, -1073, -1023, -1022, -1, 0, 1, 1023]) t.equal(pow2(k), 2 ** k, `2^${k}`)
  t.equal(ldexp(1, -1074), 5e-324)
  t.equal(ldexp(3, -1075), 2 ** -1073, 'representable subnormal, exact')
  t.equal(ldexp(1, 1024), Infinity)
  t.equal(ldexp(2 ** 53 - 1, 971), Number.MAX_VALUE)
  t.equal(exponentOf(1), 0)
  t.equal(exponentOf(0.75), -1)
  t.equal(exponentOf(5e-324), -1074)
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }), (x) => {
      return nextUp(x) === next(x) && nextDown(x) === prev(x)
    }),
    { numRuns: 2000 },
  )
  t.equal(highWord(1), 0x3ff00000)
  t.equal(withHighWord(1, 0x40000000), 2)
})

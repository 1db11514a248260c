import t from 'tap'
import fc from 'fast-check'
import {
  constantParts,
  decide,
  exactPow,
  expSlow,
  expSmall,
  ln2Fixed,
  logFixed,
  piFixed,
  powSlow,
  roundScaled,
  slowMemo,
  tanhSlow,
  toFixed,
} from '../../src/math/multiprecision.js'
import { Dec, exact, nearestDyadic, next, ref } from './reference.js'
import { same } from './support.js'

const big = (n: bigint): InstanceType<typeof Dec> => new Dec(n.toString())
const scale = (w: number): InstanceType<typeof Dec> => new Dec(2).pow(w)

t.test('roundScaled rounds n·2^s to nearest even, with overflow and gradual underflow', async (t) => {
  fc.assert(
    fc.property(fc.bigInt({ min: 1n, max: 2n ** 130n }), fc.integer({ min: -1250, max: 1000 }), (n, s) => {
      return roundScaled(n, s) === nearestDyadic(n, s)
    }),
    { numRuns: 3000 },
  )
  t.equal(roundScaled(0n, 5), 0)
  t.equal(roundScaled((1n << 54n) + 1n, -1), 2 ** 53, 'tie to even')
  t.equal(roundScaled(3n, -1076), 5e-324)
  t.equal(roundScaled(1n, -1075), 0)
  t.equal(roundScaled(1n, 1024), Infinity)
})

t.test('decide returns a double only when both ends of the enclosure round to it', async (t) => {
  t.equal(decide({ n: 1n << 60n, err: 3n, s: -60 }), 1)
  t.equal(decide({ n: (1n << 60n) + (1n << 7n), err: 3n, s: -60 }), undefined, "straddles the midpoint 1 + 2^-53")
  t.equal(decide({ n: -(1n << 60n), err: 3n, s: -60 }), -1)
  t.equal(decide({ n: 2n, err: 3n, s: -60 }), undefined, 'straddles zero')
})

t.test('ln 2 and π to 400 bits are within 2 units of decimal.js', async (t) => {
  const D = Dec.clone({ precision: 150 })
  const w = 400
  const ln2 = new D(ln2Fixed(w).toString()).div(new D(2).pow(w))
  const pi = new D(piFixed(w).toString()).div(new D(2).pow(w))
  t.ok(ln2.minus(new D(2).ln()).abs().lt(new D(2).pow(1 - w)))
  t.ok(pi.minus(D.acos(-1)).abs().lt(new D(2).pow(1 - w)))
})

t.test('expSmall and logFixed are within 2 units at 200 bits', async (t) => {
  const w = 200
  fc.assert(
    fc.property(fc.double({ min: -1, max: 1, noNaN: true }), (x) => {
      const e = expSmall(toFixed(x, w), w)
      return big(e).div(scale(w)).minus(exact(x).exp()).abs().lt(scale(1 - w))
    }),
    { numRuns: 300 },
  )
  fc.assert(
    fc.property(fc.double({ min: 1e-300, max: 1e300, noNaN: true }), (x) => {
      const { m, e } = { m: BigInt(Math.round(x / 2 ** Math.floor(Math.log2(x) - 52))), e: Math.floor(Math.log2(x) - 52) }
      if (Number(m) * 2 ** e !== x) return true // x not recovered exactly by this shortcut
      const l = logFixed(m, e, Math.log(x), w)
      return big(l).div(scale(w)).minus(exact(x).ln()).abs().lt(scale(1 - w))
    }),
    { numRuns: 300 },
  )
  t.pass('600 cases')
})

t.test('Cody–Waite constants: leading parts short, sum exact to 2^-130', async (t) => {
  const [c1, c2, c3] = constantParts(ln2Fixed(300), 307, [35, 35]) // ln2/128, as exp.ts
  const bitsOf = (x: number): number => {
    let m = toFixed(x, 1100)
    while ((m & 1n) === 0n) m >>= 1n
    return m.toString(2).length
  }
  t.ok(bitsOf(c1) <= 35 && bitsOf(c2) <= 35)
  const sum = exact(c1).plus(exact(c2)).plus(exact(c3))
  t.ok(sum.minus(new Dec(2).ln().div(128)).abs().lt(new Dec(2).pow(-130)))
  const [p1, p2, p3, p4] = constantParts(piFixed(300), 310, [28, 28, 28]) // π/1024, as trig.ts
  t.ok([p1, p2, p3].every((p) => bitsOf(p) <= 28))
  const pis = exact(p1).plus(exact(p2)).plus(exact(p3)).plus(exact(p4))
  t.ok(pis.minus(Dec.acos(-1).div(1024)).abs().lt(new Dec(2).pow(-145)))
})

t.test('exactPow finds exact results and midpoints, and nothing else', async (t) => {
  t.equal(exactPow(2, 10), 1024)
  t.equal(exactPow(2, -1075), 0)
  t.equal(exactPow(4, -0.5), 0.5)
  t.equal(exactPow(9, 1.5), 27)
  t.equal(exactPow(6561, 0.125), 3)
  t.equal(exactPow(3, 34), nearestDyadic(3n ** 34n, 0))
  t.equal(exactPow(3, 35), undefined, '3^35 needs 56 bits')
  t.equal(exactPow(3, -1), undefined, '1/3 is not dyadic')
  t.equal(exactPow(2, 0.5), undefined)
  t.equal(exactPow(8, 1 / 3), undefined, '1/3 as a double is not 1/3')
  t.equal(exactPow(1.5, 2), 2.25)
  t.equal(exactPow(2, 1e300), Infinity)
  t.equal(exactPow(0.5, 1e300), 0)
})

t.test('the slow functions remember their answers, by exact argument', async (t) => {
  const x = 1.0878451 // pow(x, 5) is a rounding the fast path cannot decide
  const misses = slowMemo.misses
  const first = powSlow(x, 5)
  for (let i = 0; i < 1000; i++) if (!same(powSlow(x, 5), first)) t.fail('a remembered answer changed')
  t.ok(slowMemo.misses - misses <= 1, 'one exact evaluation for 1001 calls')
  t.ok(same(first, ref.pow(x, 5)), 'and it is the correctly rounded one')
  t.ok(same(powSlow(next(x), 5), ref.pow(next(x), 5)), 'the next double is another input')
  t.ok(same(powSlow(x, next(5)), ref.pow(x, next(5))), 'so is the next exponent')
  t.ok(same(tanhSlow(0.5), -tanhSlow(-0.5)), 'signs are part of the key')
  t.ok(same(tanhSlow(-0.5), ref.tanh(-0.5)))
  t.ok(same(expSlow(-0), 1) && same(expSlow(0), 1))
  for (let i = 0; i < 5000; i++) { // past the store's limit: it empties and goes on
    const v = -700 - i / 7
    if (!same(expSlow(v), expSlow(v))) t.fail(`exp(${v})`)
  }
  t.ok(same(expSlow(-700.5), ref.exp(-700.5)))
})

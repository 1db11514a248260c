import t from 'tap'
import fc from 'fast-check'
import { EXP_EPS, type ExpResult, exp, expKernel } from '../../src/math/exp.js'
import { expSlow } from '../../src/math/multiprecision.js'
import { exact, ref } from './reference.js'
import { agrees, anyDouble, logUniform, relativeError, same, uniform } from './support.js'

const inputs = fc.oneof(
  { arbitrary: uniform(-20, 20), weight: 5 },
  { arbitrary: uniform(-745.2, 709.8), weight: 3 },
  { arbitrary: logUniform(-60, 3, true), weight: 1 },
  { arbitrary: anyDouble(-750, 750), weight: 1 },
)

t.test('exp is correctly rounded on 10,000 random inputs (decimal.js reference)', async (t) => {
  agrees(inputs.map((x): [number] => [x]), exp, ref.exp, 10_000)
  t.pass('10,000 inputs')
})

t.test('the exact slow path alone is correctly rounded', async (t) => {
  agrees(inputs.map((x): [number] => [x]), expSlow, ref.exp, 300)
  t.pass('300 inputs')
})

t.test('special values (C99 F.9.3.1)', async (t) => {
  t.ok(same(exp(0), 1))
  t.ok(same(exp(-0), 1))
  t.ok(same(exp(Infinity), Infinity))
  t.ok(same(exp(-Infinity), 0))
  t.ok(Number.isNaN(exp(NaN)))
  t.equal(exp(710), Infinity)
  t.equal(exp(-746), 0)
  t.equal(exp(5e-324), 1)
  t.equal(exp(-5e-324), 1)
  t.equal(exp(-745.1332191019411), 5e-324, 'just above 2^-1075 rounds to the least subnormal')
})

t.test('the fast path stays within its error bound', async (t) => {
  const out: ExpResult = { hi: 0, lo: 0, scale: 0 }
  let worst = 0
  fc.assert(
    fc.property(fc.oneof(uniform(-20, 20), uniform(-708, 709.7)), (x) => {
      expKernel(x, 0, false, out)
      const e = relativeError(out.hi, out.lo, exact(x).exp(), out.scale)
      worst = Math.max(worst, e)
      return e < 2 ** -78 && 2 ** -78 < EXP_EPS
    }),
    { numRuns: 2000 },
  )
  t.comment(`largest relative error seen: 2^${Math.log2(worst).toFixed(1)} (bound 2^-78, tested with 2^-77)`)
  let worstM1 = 0
  fc.assert(
    fc.property(logUniform(-27, 5.3, true), (x) => {
      expKernel(x, 0, true, out)
      const e = relativeError(out.hi, out.lo, exact(x).exp().minus(1))
      worstM1 = Math.max(worstM1, e)
      return e < 2 ** -68.5
    }),
    { numRuns: 2000 },
  )
  t.comment(`e^x − 1: largest relative error seen: 2^${Math.log2(worstM1).toFixed(1)} (bound 2^-68.5)`)
})

t.test('where Math.exp is not correctly rounded, exp is', async (t) => {
  const u = uniform(-20, 20)
  const xs = fc.sample(u, { numRuns: 20_000, seed: 1 })
  const differ = xs.filter((x) => Math.exp(x) !== exp(x))
  t.ok(differ.length > 100, `Math.exp differs on ${differ.length} of 20,000 inputs`)
  for (const x of differ.slice(0, 50)) {
    t.equal(exp(x), ref.exp(x), `exp(${x})`)
    t.not(Math.exp(x), ref.exp(x), `Math.exp(${x}) is off`)
  }
})

import t from 'tap'
import fc from 'fast-check'
import { LOG_EPS, type LogResult, log, log1p, logKernel } from '../../src/math/log.js'
import { log1pSlow, logSlow } from '../../src/math/multiprecision.js'
import { exact, ref } from './reference.js'
import { absoluteError, agrees, anyDouble, logUniform, same, uniform } from './support.js'

const nearOne = fc.tuple(uniform(-0.5, 0.5), uniform(0, 50)).map(([a, k]) => 1 + a * 2 ** -k)
const logInputs = fc.oneof(
  { arbitrary: nearOne, weight: 4 },
  { arbitrary: uniform(0, 10), weight: 3 },
  { arbitrary: logUniform(-1074, 1023), weight: 2 },
  { arbitrary: uniform(0, 1e7), weight: 1 },
).filter((x) => x > 0) // log(0) = −∞ is among the special values
const log1pInputs = fc.oneof(
  { arbitrary: uniform(-1, 0), weight: 6 },
  { arbitrary: logUniform(-60, 0).map((x) => -x), weight: 2 },
  { arbitrary: logUniform(-60, 60), weight: 1 },
  { arbitrary: anyDouble(-0.999, 1e6), weight: 1 },
).filter((x) => x > -1 && x !== 0) // log1p(±0) = ±0 is among the special values
const one = (x: number): [number] => [x]

t.test('log is correctly rounded on 10,000 random inputs (decimal.js reference)', async (t) => {
  agrees(logInputs.map(one), log, ref.log, 10_000)
  t.pass('10,000 inputs')
})

t.test('log1p is correctly rounded on 10,000 random inputs (decimal.js reference)', async (t) => {
  agrees(log1pInputs.map(one), log1p, ref.log1p, 10_000)
  t.pass('10,000 inputs')
})

t.test('the exact slow paths alone are correctly rounded', async (t) => {
  agrees(logInputs.map(one), logSlow, ref.log, 300)
  agrees(log1pInputs.map(one), log1pSlow, ref.log1p, 300)
  t.pass('300 inputs each')
})

t.test('special values (C99 F.9.3.7, F.9.3.9)', async (t) => {
  t.ok(same(log(1), 0))
  t.ok(same(log(0), -Infinity))
  t.ok(same(log(-0), -Infinity))
  t.ok(same(log(Infinity), Infinity))
  t.ok(Number.isNaN(log(-1)))
  t.ok(Number.isNaN(log(-Infinity)))
  t.ok(Number.isNaN(log(NaN)))
  t.equal(log(5e-324), -744.4400719213812)
  t.ok(same(log1p(0), 0))
  t.ok(same(log1p(-0), -0))
  t.ok(same(log1p(-1), -Infinity))
  t.ok(same(log1p(Infinity), Infinity))
  t.ok(Number.isNaN(log1p(-1.5)))
  t.ok(Number.isNaN(log1p(-Infinity)))
  t.ok(Number.isNaN(log1p(NaN)))
  t.ok(same(log1p(5e-324), 5e-324))
  t.ok(same(log1p(-(2 ** -60)), -(2 ** -60)))
})

t.test('the kernel stays within |hi + lo − log x| < 2^-51·|r|³ + 2^-92·|hi|', async (t) => {
  const out: LogResult = { hi: 0, lo: 0, r: 0 }
  let worst = 0
  fc.assert(
    fc.property(logInputs, (x) => {
      logKernel(x, out)
      const bound = 2 ** -51 * Math.abs(out.r) ** 3 + 2 ** -92 * Math.abs(out.hi)
      const err = absoluteError(out.hi, out.lo, exact(x).ln())
      if (out.hi !== 0) worst = Math.max(worst, err / Math.abs(out.hi))
      return err <= bound && bound <= LOG_EPS * Math.abs(out.hi) + 2 ** -1000
    }),
    { numRuns: 3000 },
  )
  t.comment(`largest relative error seen: 2^${Math.log2(worst).toFixed(1)} (bound 2^-71.9, tested with 2^-70)`)
})

t.test('where Math.log and Math.log1p are not correctly rounded, log and log1p are', async (t) => {
  const xs = fc.sample(nearOne, { numRuns: 20_000, seed: 2 })
  const differ = xs.filter((x) => Math.log(x) !== log(x))
  t.ok(differ.length > 50, `Math.log differs on ${differ.length} of 20,000 inputs near 1`)
  for (const x of differ.slice(0, 25)) {
    t.equal(log(x), ref.log(x), `log(${x})`)
    t.not(Math.log(x), ref.log(x), `Math.log(${x}) is off`)
  }
  const us = fc.sample(uniform(-1, 0), { numRuns: 20_000, seed: 3 })
  const differ1p = us.filter((x) => Math.log1p(x) !== log1p(x))
  t.ok(differ1p.length > 50, `Math.log1p differs on ${differ1p.length} of 20,000 inputs in (−1, 0]`)
  for (const x of differ1p.slice(0, 25)) {
    t.equal(log1p(x), ref.log1p(x), `log1p(${x})`)
    t.not(Math.log1p(x), ref.log1p(x), `Math.log1p(${x}) is off`)
  }
})

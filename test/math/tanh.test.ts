import t from 'tap'
import fc from 'fast-check'
import type { DD } from '../../src/math/double-double.js'
import { TANH_EPS, tanh, tanhKernel } from '../../src/math/tanh.js'
import { tanhSlow } from '../../src/math/multiprecision.js'
import { exact, ref } from './reference.js'
import { agrees, anyDouble, logUniform, relativeError, same, uniform } from './support.js'

const inputs = fc.oneof(
  { arbitrary: uniform(-20, 20), weight: 6 },
  { arbitrary: logUniform(-40, 4.3, true), weight: 3 },
  { arbitrary: anyDouble(-25, 25), weight: 1 },
).filter((x) => Math.abs(x) > 2 ** -60) // decimal.js's tanh takes milliseconds below; see the tiny-argument test
const one = (x: number): [number] => [x]

t.test('tanh is correctly rounded on 10,000 random inputs (decimal.js reference)', async (t) => {
  agrees(inputs.map(one), tanh, ref.tanh, 10_000)
  t.pass('10,000 inputs')
})

t.test('the exact slow path alone is correctly rounded', async (t) => {
  agrees(inputs.map(one), tanhSlow, ref.tanh, 300)
  t.pass('300 inputs')
})

t.test('special values and the ends of the fast path', async (t) => {
  t.ok(same(tanh(0), 0))
  t.ok(same(tanh(-0), -0))
  t.ok(same(tanh(Infinity), 1))
  t.ok(same(tanh(-Infinity), -1))
  t.ok(Number.isNaN(tanh(NaN)))
  t.ok(same(tanh(5e-324), 5e-324))
  for (const x of [2 ** -1000, 3e-300, 1e-100, 2 ** -60, 1e-9]) t.ok(same(tanh(x), ref.tanh(x)), `tanh(${x}) = ${x}`)
  for (const x of [2 ** -27, 2 ** -26, 19.06, 19.07, 19.1, 19.2, 22, 23]) {
    t.equal(tanh(x), ref.tanh(x), `tanh(${x})`)
    t.equal(tanh(-x), -ref.tanh(x), `tanh(${-x})`)
  }
})

t.test('the kernel stays within its relative error bound 2^-68.4', async (t) => {
  const out: DD = { hi: 0, lo: 0 }
  let worst = 0
  fc.assert(
    fc.property(inputs.map(Math.abs).filter((x) => x >= 2 ** -27 && x <= 19.1), (x) => {
      tanhKernel(x, out)
      const e = relativeError(out.hi, out.lo, exact(x).tanh())
      worst = Math.max(worst, e)
      return e < 2 ** -68.4 && 2 ** -68.4 < TANH_EPS
    }),
    { numRuns: 2000 },
  )
  t.comment(`largest relative error seen: 2^${Math.log2(worst).toFixed(1)} (bound 2^-68.4, tested with 2^-67)`)
})

t.test('where Math.tanh is not correctly rounded, tanh is', async (t) => {
  const xs = fc.sample(uniform(-20, 20), { numRuns: 20_000, seed: 5 })
  const differ = xs.filter((x) => Math.tanh(x) !== tanh(x))
  t.ok(differ.length > 10, `Math.tanh differs on ${differ.length} of 20,000 inputs in [−20, 20]`)
  for (const x of differ.slice(0, 25)) {
    t.equal(tanh(x), ref.tanh(x), `tanh(${x})`)
    t.not(Math.tanh(x), ref.tanh(x), `Math.tanh(${x}) is off`)
  }
})

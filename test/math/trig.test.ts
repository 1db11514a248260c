import t from 'tap'
import fc from 'fast-check'
import type { DD } from '../../src/math/double-double.js'
import { TRIG_EPS, cos, sin, trigKernel } from '../../src/math/trig.js'
import { cosSlow, sinSlow } from '../../src/math/multiprecision.js'
import { exact, ref } from './reference.js'
import { absoluteError, agrees, anyDouble, logUniform, same, uniform } from './support.js'

const TWO_PI = 2 * Math.PI
const main = fc.oneof(
  { arbitrary: uniform(0, 1).map((u) => TWO_PI * u), weight: 4 }, // Box–Muller angle
  { arbitrary: uniform(0, 1).map((u) => Math.PI * u), weight: 3 }, // cosine schedule
  { arbitrary: uniform(TWO_PI, TWO_PI * 1.001), weight: 1 },
  { arbitrary: uniform(-1e5, 1e5), weight: 1 },
  { arbitrary: logUniform(-30, 16, true), weight: 1 },
).filter((x) => x !== 0)
const huge = logUniform(16, 1000, true)
const one = (x: number): [number] => [x]

for (const [name, f, slow, r] of [
  ['sin', sin, sinSlow, ref.sin],
  ['cos', cos, cosSlow, ref.cos],
] as const) {
  t.test(`${name} is correctly rounded on 10,000 random inputs (decimal.js reference)`, async (t) => {
    agrees(main.map(one), f, r, 9_900)
    agrees(huge.map(one), f, r, 100) // beyond the fast path: exact reduction mod π/2
    t.pass('10,000 inputs')
  })

  t.test(`${name}: the exact slow path alone is correctly rounded`, async (t) => {
    agrees(main.map(one), slow, r, 300)
    t.pass('300 inputs')
  })
}

t.test('special values and tiny arguments (C99 F.9.1.6, F.9.1.7)', async (t) => {
  t.ok(same(sin(0), 0))
  t.ok(same(sin(-0), -0))
  t.ok(same(cos(0), 1))
  t.ok(same(cos(-0), 1))
  for (const x of [Infinity, -Infinity, NaN]) {
    t.ok(Number.isNaN(sin(x)))
    t.ok(Number.isNaN(cos(x)))
  }
  t.ok(same(sin(5e-324), 5e-324))
  t.ok(same(sin(-(2 ** -30)), -(2 ** -30)))
  t.ok(same(cos(2 ** -28), 1))
  t.ok(same(cos(-(2 ** -27)), 1), 'cos(2^-27) ≈ 1 − 2^-55 rounds to 1')
  t.ok(same(cos(2 ** -26), 1 - 2 ** -53), 'cos(2^-26) ≈ 1 − 2^-53')
})

t.test('arguments at multiples of π/2 (the schedule hits π/2 exactly)', async (t) => {
  t.equal(cos(Math.PI / 2), 6.123233995736766e-17)
  t.equal(sin(Math.PI), 1.2246467991473532e-16)
  t.equal(cos(Math.PI), -1)
  t.equal(sin(Math.PI / 2), 1)
  t.equal(cos(1.5 * Math.PI), -1.8369701987210297e-16)
  t.equal(sin(TWO_PI), -2.4492935982947064e-16)
  for (const k of [3, 5, 7, 100, 1001, 40000]) {
    const x = (k * Math.PI) / 2
    t.equal(sin(x), ref.sin(x), `sin(${k}π/2)`)
    t.equal(cos(x), ref.cos(x), `cos(${k}π/2)`)
  }
})

t.test('the kernel stays within |hi + lo − f| < 2^-68.4·|hi| + 2^-118', async (t) => {
  const out: DD = { hi: 0, lo: 0 }
  let worst = 0
  for (const cosine of [false, true]) {
    fc.assert(
      fc.property(main.map(Math.abs).filter((x) => x >= 2 ** -27 && x < 65536), (x) => {
        trigKernel(x, cosine, out)
        const v = cosine ? exact(x).cos() : exact(x).sin()
        const err = absoluteError(out.hi, out.lo, v)
        worst = Math.max(worst, err / Math.abs(out.hi))
        return err < 2 ** -68.4 * Math.abs(out.hi) + 2 ** -118 && 2 ** -68.4 < TRIG_EPS
      }),
      { numRuns: 1500 },
    )
  }
  t.comment(`largest relative error seen: 2^${Math.log2(worst).toFixed(1)} (bound 2^-68.4, tested with 2^-67)`)
})

t.test('where Math.sin and Math.cos are not correctly rounded, sin and cos are', async (t) => {
  const xs = fc.sample(uniform(0, TWO_PI), { numRuns: 20_000, seed: 4 })
  for (const [name, f, m, r] of [
    ['sin', sin, Math.sin, ref.sin],
    ['cos', cos, Math.cos, ref.cos],
  ] as const) {
    const differ = xs.filter((x) => m(x) !== f(x))
    t.ok(differ.length > 100, `Math.${name} differs on ${differ.length} of 20,000 inputs in [0, 2π]`)
    for (const x of differ.slice(0, 25)) {
      t.equal(f(x), r(x), `${name}(${x})`)
      t.not(m(x), r(x), `Math.${name}(${x}) is off`)
    }
  }
})

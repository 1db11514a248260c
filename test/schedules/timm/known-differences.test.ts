/**
 * Proof, in exact arithmetic, that each known difference is glibc's rounding and
 * not the engine's: glibc's result is not the correctly rounded power, the engine's
 * is, the two are neighbours, and timm's formula with glibc's power gives the golden
 * value itself.
 */
import t from 'tap'
import { pow } from '../../../src/math/index.js'
import { exact, next, prev } from '../../math/reference.js'
import { fixtures } from '../../fixtures.js'
import { knownDifferences } from './known-differences.js'

for (const difference of knownDifferences) {
  t.test(difference.call, async (t) => {
    const truth = exact(difference.x).pow(exact(difference.y))
    const ours = pow(difference.x, difference.y)
    t.ok(ours === next(difference.glibc) || ours === prev(difference.glibc), 'the engine and glibc are neighbouring doubles: 1 ulp apart')
    const ourError = exact(ours).minus(truth).abs()
    const glibcError = exact(difference.glibc).minus(truth).abs()
    if (ourError.eq(glibcError)) {
      // A tie: the correctly rounded result is the neighbour with an even significand.
      const evenSignificand = (x: number) => (new BigUint64Array(new Float64Array([x]).buffer)[0] & 1n) === 0n
      t.ok(evenSignificand(ours), `an exact tie, and the engine's ${ours} is the even neighbour`)
      t.notOk(evenSignificand(difference.glibc), `glibc's ${difference.glibc} is the odd one`)
    } else {
      t.ok(ourError.lt(glibcError), `the engine's ${ours} is nearer the exact ${truth.toSignificantDigits(25).toString()} than glibc's ${difference.glibc}`)
    }
    t.comment(difference.why)
  })
}

t.test('the golden values come from glibc\'s power', async (t) => {
  // step: lr * decay_rate ** (t // decay_t); with glibc's 1.5 ** 34 the golden value follows.
  const stepCase = fixtures.cases.find((c) => c.id === 'step-1-10-step')!
  t.equal((stepCase as any).expected.raw[85][0], 0.0003 * knownDifferences[0].glibc)
  // poly: lr_min + (lr - lr_min) * (1 - 48 / 177) ** 0.9 at t = 48.
  const polyCase = fixtures.cases.find((c) => c.id === 'poly-1-25-step_update')!
  t.equal((polyCase as any).expected.raw[48][0], 5.004925e-6 + (0.1 - 5.004925e-6) * knownDifferences[1].glibc)
})

t.test('the list stays small', async (t) => {
  const listed = knownDifferences.reduce((n, difference) => n + difference.values.length, 0)
  t.equal(knownDifferences.length, 2, 'two libm calls')
  t.ok(listed <= 51, `${listed} golden values`)
})

/**
 * Proof that each known difference of the transformers golden vectors is glibc's
 * rounding and not the engine's: at each listed argument, glibc's result is not the
 * correctly rounded cos or pow (decimal.js at 70 digits decides), the engine's is,
 * the two are neighbouring doubles; and the engine, given glibc's results at exactly
 * these arguments, reproduces every value of the cases concerned, the listed ones
 * included, bit for bit.
 */
import t from 'tap'
import { z } from 'zod'
import * as math from '../../../src/math/index.js'
import { scheduleValues } from '../../../src/schedules/core/evaluate.js'
import type { AnySchedulerDefinition } from '../../../src/schedules/core/define.js'
import { exact, next, prev, ref } from '../../math/reference.js'
import { fixtures } from './fixtures.js'
import { knownDifferences } from './known-differences.js'

const argsKey = (args: readonly number[]) => args.join(',')

for (const difference of knownDifferences) {
  const call = difference.fn === 'cos' ? `math.cos(${difference.args[0]})` : `${difference.args[0]} ** ${difference.args[1]}`
  t.test(call, async (t) => {
    const [x, y] = difference.args
    const ours = difference.fn === 'cos' ? math.cos(x) : math.pow(x, y)
    const correctlyRounded = difference.fn === 'cos' ? ref.cos(x) : ref.pow(x, y)
    const truth = difference.fn === 'cos' ? exact(x).cos() : exact(x).pow(exact(y))
    t.equal(ours, correctlyRounded, `the engine's ${ours} is the correctly rounded result`)
    t.not(difference.glibc, correctlyRounded, `glibc's ${difference.glibc} is not`)
    t.ok(difference.glibc === next(ours) || difference.glibc === prev(ours), 'they are neighbouring doubles: 1 ulp apart')
    const ulp = exact(next(ours)).minus(exact(ours)).abs()
    const glibcError = exact(difference.glibc).minus(truth).abs().div(ulp)
    t.ok(glibcError.gt(0.5) && glibcError.lt(1), `glibc is ${glibcError.toFixed(4)} ulp from the exact ${truth.toSignificantDigits(25).toString()}: within 1 ulp, not within half`)
  })
}

t.test('with glibc\'s results at the listed arguments, the engine gives every golden value', async (t) => {
  const glibcCos = new Map(knownDifferences.filter((d) => d.fn === 'cos').map((d) => [argsKey(d.args), d.glibc]))
  const glibcPow = new Map(knownDifferences.filter((d) => d.fn === 'pow').map((d) => [argsKey(d.args), d.glibc]))
  const used = new Set<string>()
  const glibcMath = {
    ...math,
    cos: (x: number) => {
      const value = glibcCos.get(argsKey([x]))
      if (value === undefined) return math.cos(x)
      used.add(`cos ${x}`)
      return value
    },
    pow: (x: number, y: number) => {
      const value = glibcPow.get(argsKey([x, y]))
      if (value === undefined) return math.pow(x, y)
      used.add(`pow ${x} ${y}`)
      return value
    }
  }
  // tap resolves a mocked module's own imports with resolve-import, which cannot map a
  // `.js` specifier to its `.ts` source: each module on the way to the math is mocked in turn.
  const src = '../../../src/'
  const mathMock = { [`${src}math/index.js`]: glibcMath }
  const base = await t.mockImport(`${src}schedules/transformers/base.js`, mathMock)
  const python = await t.mockImport(`${src}schedules/core/python.js`, mathMock)
  const withBase = { ...mathMock, [`${src}schedules/transformers/base.js`]: base, [`${src}schedules/core/python.js`]: python }
  const cosineWithMinLr = await t.mockImport(`${src}schedules/transformers/cosine-with-min-lr.js`, withBase)
  const withCosine = { ...withBase, [`${src}schedules/transformers/cosine-with-min-lr.js`]: cosineWithMinLr }
  const definitions = new Map<string, AnySchedulerDefinition>()
  for (const file of ['cosine', 'cosine-with-restarts', 'polynomial', 'cosine-with-min-lr', 'cosine-warmup-with-min-lr', 'warmup-stable-decay']) {
    const module = await t.mockImport<Record<string, AnySchedulerDefinition>>(`${src}schedules/transformers/${file}.js`, withCosine)
    for (const exported of Object.values(module)) {
      if (typeof exported === 'object' && exported !== null && 'name' in exported) definitions.set(exported.name.replace('transformers.', ''), exported)
    }
  }
  const caseIds = new Set(knownDifferences.flatMap((d) => d.values.map(([id]) => id)))
  let compared = 0
  for (const id of caseIds) {
    const c = fixtures.cases.find((candidate) => candidate.id === id)!
    if ('error' in c.expected) throw new Error(`${id} is an error case`)
    const definition = definitions.get(c.scheduler)!
    const params = z.strictObject(definition.shape).parse(c.kwargs)
    const groups = c.param_groups.length
    const values = scheduleValues(definition.create(params, c.param_groups), groups, 0, c.steps)
    const unequal = c.expected.lr.flatMap((row, step) => row.flatMap((expected, g) => Object.is(values[step * groups + g], expected) ? [] : [`t=${step} group ${g}`]))
    t.same(unequal, [], `${id}: all ${c.expected.lr.length * groups} values equal`)
    compared += c.expected.lr.length * groups
  }
  t.equal(used.size, knownDifferences.length, 'every listed call was made')
  t.comment(`${caseIds.size} cases, ${compared} values`)
})

t.test('the list stays small', async (t) => {
  const listed = knownDifferences.reduce((n, difference) => n + difference.values.length, 0)
  t.equal(knownDifferences.length, 43, '41 cos and 2 pow arguments')
  t.equal(listed, 57, 'of 400,531 golden values')
  t.ok(knownDifferences.every((difference) => difference.values.every(([, , , ulps]) => ulps >= 1 && ulps <= 5)), 'each 1 to 5 ulp from the golden value')
})

/**
 * Every golden vector of ../shared/fixtures/torch.json through the engine, bit for
 * bit: each value compared with Object.is, errors by the Python exception's name and
 * the step at which torch raised.
 *
 * torch raises TypeError for an argument it does not take (`verbose`, gone from
 * torch's schedulers) or a required one missing; the service refuses both in the
 * request's validation (a 400 naming the field), which is what a TypeError case
 * checks here.
 *
 * The engine's libm is correctly rounded and glibc's is not always: the values that
 * differ because of it are listed in known-differences.ts, and a second run with
 * glibc's results at exactly the listed calls matches every golden value.
 */
import t from 'tap'
import type { Test } from 'tap'
import type { AnySchedulerDefinition, FoldSchedule } from '../../../src/schedules/core/define.js'

import { ulpDistance } from '../../fixtures.js'
import { schedulesWithMath } from '../../support/math-substitute.js'
import { definitionOf, fixtures, parametersSchema, requestFields, torchCases, torchSchedulers } from './fixtures.js'
import { carriedDifferences, glibcResults } from './known-differences.js'

interface Tally { values: number, equal: number, cases: number, errors: number }

interface Run {
  tallies: Map<string, Tally>
  /** Per case with a differing value: how many, from which step, the largest distance in ulps. */
  differing: Record<string, { values: number, from: number, maxUlps: number }>
}

/**
 * What `run` throws, as the Python exception's name; 'none' if it does not throw.
 * (By name, not class: a run with mocked modules has its own copy of the class.)
 */
function raised (run: () => unknown): string | null {
  try {
    run()
    return 'none'
  } catch (error) {
    if (error instanceof Error && error.name === 'ScheduleError') return (error as Error & { pythonError: string | null }).pythonError
    throw error
  }
}

function runCases (definitions: readonly AnySchedulerDefinition[], t: Test): Run {
  const tallies = new Map<string, Tally>()
  const differing: Run['differing'] = {}
  for (const c of torchCases) {
    const definition = definitionOf(c.scheduler, definitions)
    let counts = tallies.get(c.scheduler)
    if (counts === undefined) tallies.set(c.scheduler, counts = { values: 0, equal: 0, cases: 0, errors: 0 })
    counts.cases++
    const groups = c.param_groups
    const parsed = parametersSchema(definition, groups.length).safeParse(requestFields(c))
    const expectedError = c.expected.error
    if (expectedError !== undefined) counts.errors++
    if (!parsed.success) {
      t.equal(expectedError, 'TypeError', `${c.id}: the request is refused (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}), where torch raises TypeError`)
      t.equal(c.expected.at_step ?? null, null, `${c.id}: torch raises in the constructor`)
      continue
    }
    t.not(expectedError, 'TypeError', `${c.id}: the request is valid, as torch takes these arguments`)
    const params = parsed.data
    if (expectedError !== undefined && (c.expected.at_step ?? null) === null) {
      t.equal(raised(() => definition.create(params, groups)), expectedError, `${c.id}: the constructor raises ${expectedError}`)
      continue
    }
    const schedule = definition.create(params, groups) as FoldSchedule
    t.equal(schedule.kind, 'fold', `${c.id}: a fold`)
    const state = schedule.initial()
    const row = new Float64Array(groups.length)
    const rows = c.expected.lr.length
    for (let step = 0; step < rows; step++) {
      if (step > 0) schedule.advance(state, step - 1)
      schedule.read(state, row, 0)
      c.expected.lr[step].forEach((expected, g) => {
        counts.values++
        if (Object.is(row[g], expected)) {
          counts.equal++
          return
        }
        const entry = differing[c.id] ??= { values: 0, from: step, maxUlps: 0 }
        entry.values++
        entry.maxUlps = Math.max(entry.maxUlps, ulpDistance(row[g], expected))
      })
    }
    if (expectedError !== undefined) {
      t.equal(c.expected.at_step, rows, `${c.id}: the values stop where torch raised`)
      t.equal(raised(() => schedule.advance(state, rows - 1)), expectedError, `${c.id}: step ${rows} raises ${expectedError}`)
    } else {
      t.equal(rows, c.steps, `${c.id}: ${c.steps} values`)
    }
  }
  return { tallies, differing }
}

t.test('torch.json with the engine', async (t) => {
  t.ok(torchCases.length >= 300, `${torchCases.length} cases`)
  t.match(fixtures.meta, { source: { repo: 'pytorch/pytorch', path: 'torch/optim/lr_scheduler.py', commit: '008f727ece1520e12c25089a7969d5b8fca75f8e' } },
    'the lr_scheduler.py the engine follows')
  const { tallies, differing } = runCases(torchSchedulers, t)
  let values = 0
  let equal = 0
  for (const [scheduler, counts] of [...tallies].sort(([a], [b]) => a.localeCompare(b))) {
    t.comment(`${scheduler}: ${counts.equal}/${counts.values} values bit-for-bit equal, ${counts.cases} cases (${counts.errors} raising)`)
    values += counts.values
    equal += counts.equal
  }
  const listed = Object.values(carriedDifferences).reduce((n, entry) => n + entry.values, 0)
  t.comment(`all: ${equal}/${values} values bit-for-bit equal; the other ${values - equal} carry one of ${glibcResults.length} libm results where glibc is not correctly rounded (known-differences.ts)`)
  t.ok(values > 490000, 'compared the golden values')
  t.same(differing, carriedDifferences, 'the values that differ are exactly the listed ones, by case, first step and ulps')
  t.equal(values - equal, listed)
})

t.test("torch.json with glibc's results at the listed libm calls", async (t) => {
  const glibc = await schedulesWithMath(new URL('./glibc-libm.ts', import.meta.url), 'glibc-libm')
  const { used } = await import('./glibc-libm.js')
  const glibcSchedulers = glibc.registeredSchedulers().filter((definition) => definition.reference.library === 'torch')
  t.not(glibcSchedulers[0], torchSchedulers[0], 'a second copy of the schedulers')
  const { tallies, differing } = runCases(glibcSchedulers, t)
  const values = [...tallies.values()].reduce((n, counts) => n + counts.values, 0)
  t.comment(`all ${values} values bit-for-bit equal`)
  t.same(differing, {}, 'every golden value, bit for bit')
  t.equal(used.size, glibcResults.length, 'every listed libm call is made by some case')
})

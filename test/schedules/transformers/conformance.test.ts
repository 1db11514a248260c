/**
 * Every golden vector of ../shared/fixtures/transformers.json through the engine, bit
 * for bit: the values, and where transformers raises, the exception's class, the step
 * at which it raises and the values before it.
 */
import t from 'tap'
import { z } from 'zod'
import type { AnySchedulerDefinition, ParamGroup } from '../../../src/schedules/core/define.js'
import { ScheduleError } from '../../../src/schedules/core/errors.js'
import { scheduleValues } from '../../../src/schedules/core/evaluate.js'
import { schedulerTypes } from '../../../src/schedules/transformers/base.js'
import { transformersScheduler } from './fixtures.js'
import { ulpDistance } from '../../fixtures.js'
import { fixtures, type TransformersCase } from './fixtures.js'
import { knownDifferenceUlps } from './known-differences.js'

/** The request's fields for a case: the flat kwargs, and the metrics of a plateau. */
function requestFields (c: TransformersCase): Record<string, unknown> {
  return c.metrics === undefined ? { ...c.kwargs } : { ...c.kwargs, metrics: c.metrics }
}

function parameterSchema (definition: AnySchedulerDefinition, groups: number) {
  return z.strictObject(definition.shape).superRefine((params, ctx) => definition.check?.(params, ctx, groups))
}

/**
 * The Python exception a schema refusal stands for: an unknown field is an unexpected
 * keyword argument (TypeError), a value outside a field's choices is the ValueError
 * transformers or torch raises for it (`Unknown warmup type`, `threshold mode ... is unknown!`).
 */
function pythonErrorOfRefusal (error: z.ZodError): string {
  const codes = new Set(error.issues.map((issue) => issue.code))
  if (codes.size === 1 && codes.has('unrecognized_keys')) return 'TypeError'
  if (codes.size === 1 && codes.has('invalid_value')) return 'ValueError'
  return `refused: ${error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`
}

/** Runs `work`, and names the Python exception it stands for, or null when it does not throw. */
function raised (work: () => unknown): { error: string | null, message?: string } {
  try {
    work()
    return { error: null }
  } catch (error) {
    if (error instanceof ScheduleError) return { error: error.pythonError ?? 'ScheduleError', message: error.message }
    throw error
  }
}

interface Tally { values: number, equal: number, listed: number, cases: number, errors: number }
const tallies = new Map<string, Tally>()
/** Values that differ and are not listed, or differ by other ulps than listed. */
const differences: string[] = []
/** Listed values that turned out equal: the list has gone stale there. */
const stale: string[] = []
let listedCompared = 0

function tally (scheduler: string): Tally {
  let entry = tallies.get(scheduler)
  if (entry === undefined) {
    entry = { values: 0, equal: 0, listed: 0, cases: 0, errors: 0 }
    tallies.set(scheduler, entry)
  }
  return entry
}

function compareRows (c: TransformersCase, values: Float64Array, groups: number, rows: readonly number[][]): void {
  const entry = tally(c.scheduler)
  rows.forEach((row, step) => {
    row.forEach((expected, g) => {
      entry.values++
      const actual = values[step * groups + g]
      const key = `${c.id}/${step}/${g}`
      const listedUlps = knownDifferenceUlps.get(key)
      if (listedUlps !== undefined) listedCompared++
      if (Object.is(actual, expected)) {
        entry.equal++
        if (listedUlps !== undefined) stale.push(key)
      } else if (listedUlps !== undefined && ulpDistance(actual, expected) === listedUlps) {
        entry.listed++
      } else {
        differences.push(`${key}: ${actual} vs transformers' ${expected} (${ulpDistance(actual, expected)} ulp${listedUlps === undefined ? '' : `, listed as ${listedUlps}`})`)
      }
    })
  })
}

t.test('the fixtures are the reference commit\'s types', async (t) => {
  t.equal(fixtures.meta.source.commit, '005edacb6b5dabbf0843e92c6623de9e07ca6241')
  t.same(fixtures.meta.scheduler_types, schedulerTypes, 'one definition per SchedulerType of that commit')
  t.equal(fixtures.cases.length, 253)
})

t.test('every case', async (t) => {
  for (const c of fixtures.cases) {
    const entry = tally(c.scheduler)
    entry.cases++
    const groups: ParamGroup[] = c.param_groups
    const expected = c.expected
    let definition: AnySchedulerDefinition | undefined
    let params: unknown
    let constructionError: string | null = null
    let constructionMessage = ''
    const lookup = raised(() => { definition = transformersScheduler(c.scheduler) })
    if (lookup.error !== null) {
      constructionError = lookup.error
      constructionMessage = lookup.message ?? ''
    } else {
      const parsed = parameterSchema(definition!, groups.length).safeParse(requestFields(c))
      if (!parsed.success) {
        constructionError = pythonErrorOfRefusal(parsed.error)
        constructionMessage = parsed.error.message
      } else {
        params = parsed.data
      }
    }
    let schedule: ReturnType<AnySchedulerDefinition['create']> | undefined
    if (constructionError === null) {
      const built = raised(() => {
        schedule = definition!.create(params, groups)
        // LambdaLR computes step 0 in its constructor: an error there is an error at construction.
        scheduleValues(schedule, groups.length, 0, 1)
      })
      constructionError = built.error
      constructionMessage = built.message ?? ''
    }

    if ('error' in expected) {
      entry.errors++
      if (expected.at_step === null) {
        t.equal(constructionError, expected.error, `${c.id}: transformers raises ${expected.error} at construction${constructionMessage ? ` (${constructionMessage.split('\n')[0]})` : ''}`)
        continue
      }
      t.equal(constructionError, null, `${c.id}: constructed`)
      if (schedule === undefined) continue
      const atStep = expected.at_step
      compareRows(c, scheduleValues(schedule, groups.length, 0, atStep), groups.length, expected.lr ?? [])
      t.equal(expected.lr?.length ?? 0, atStep, `${c.id}: the fixture holds the ${atStep} values before the error`)
      const failure = raised(() => scheduleValues(schedule!, groups.length, atStep, 1))
      t.equal(failure.error, expected.error, `${c.id}: transformers raises ${expected.error} at step ${atStep}`)
      continue
    }
    if (constructionError !== null) {
      t.fail(`${c.id}: the engine raises ${constructionError} (${constructionMessage}), transformers does not`)
      continue
    }
    t.equal(expected.lr.length, c.steps, `${c.id}: ${c.steps} steps`)
    compareRows(c, scheduleValues(schedule!, groups.length, 0, c.steps), groups.length, expected.lr)
  }
})

t.test('agreement with transformers', async (t) => {
  let values = 0
  let equal = 0
  let listed = 0
  for (const [scheduler, entry] of [...tallies].sort(([a], [b]) => a.localeCompare(b))) {
    t.comment(`${scheduler}: ${entry.equal}/${entry.values} values bit-for-bit equal${entry.listed ? `, ${entry.listed} known differences` : ''}; ${entry.cases} cases (${entry.errors} raising)`)
    values += entry.values
    equal += entry.equal
    listed += entry.listed
  }
  t.comment(`all: ${equal}/${values} values bit-for-bit equal; ${listed} known differences, where glibc's cos or pow is not correctly rounded (test/schedules/transformers/known-differences.ts)`)
  t.ok(values > 200000, 'compared the golden values')
  t.same(differences.slice(0, 20), [], `every value bit for bit but the listed ones (${differences.length} other differences)`)
  t.same(stale, [], 'every listed value still differs')
  t.equal(listedCompared, knownDifferenceUlps.size, 'every listed value was compared')
})

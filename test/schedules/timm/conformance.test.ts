/**
 * Every golden vector of ../shared/fixtures/timm.json through the engine: each view,
 * the constructor's values, plateau and the refusals.
 */
import t from 'tap'
import { schedulerNamed, ScheduleError } from '../../../src/schedules/index.js'
import { plateau } from '../../../src/schedules/timm/plateau.js'
import { Agreement, plateauCases, scheduleCases } from '../../fixtures.js'
import { run as runScheduler } from '../run.js'

import { knownDifferenceKeys } from './known-differences.js'

const agreement = new Agreement(knownDifferenceKeys)

/** The Python exception the engine names, or 'none' when it does not throw. */
function raised (run: () => unknown): string | null {
  try {
    run()
    return 'none'
  } catch (error) {
    if (error instanceof ScheduleError) return error.pythonError
    throw error
  }
}

t.test('schedule cases', async (t) => {
  t.ok(scheduleCases.length >= 300, 'the fixtures hold the schedule cases')
  let nullViews = 0
  for (const c of scheduleCases) {
    const scheduler = schedulerNamed(c.scheduler)!
    const unit = c.call === 'step' ? 'epoch' : 'update'
    const run = (view: 'raw' | 'noisy' | 'lr') => runScheduler(scheduler, { ...c.kwargs, unit, view }, c.param_groups, 0, c.t_count)
    // What the constructor left in each group: the lr view in the unit the scheduler does not step in.
    const initial = () => runScheduler(scheduler, { ...c.kwargs, unit: c.kwargs.t_in_epochs === false ? 'epoch' : 'update', view: 'lr' }, c.param_groups, 0, 1)
    if ('error' in c.expected) {
      const expectedError = c.expected.error
      t.equal(raised(() => { run('raw'); run('lr') }), expectedError, `${c.id}: timm raises ${expectedError}`)
      continue
    }
    const expected = c.expected
    const constructed = initial()
    expected.initial.forEach((value, g) => agreement.compare(constructed[g][0]!, value, `${c.id}/initial/0/${g}`))
    for (const view of ['raw', 'noisy', 'lr'] as const) {
      const values = run(view)
      const rows = expected[view]
      const nulls = rows.every((row) => row === null)
      if (nulls) {
        nullViews++
        if (!values.every((row) => row.every((v) => v === null))) t.fail(`${c.id} ${view}: timm yields nothing in this unit, the engine yields values`)
        continue
      }
      rows.forEach((row, step) => {
        row!.forEach((value, g) => agreement.compare(values[g][step]!, value, `${c.id}/${view}/${step}/${g}`))
      })
    }
  }
  t.ok(nullViews > 50, `${nullViews} views where timm yields nothing gave null`)
})

t.test('plateau cases', async (t) => {
  t.ok(plateauCases.length >= 20, 'the fixtures hold the plateau cases')
  for (const c of plateauCases) {
    const run = () => runScheduler(plateau, { ...c.kwargs, metrics: c.metrics }, c.param_groups, 0, c.metrics.length + 1)
    if ('error' in c.expected) {
      const expectedError = c.expected.error
      t.equal(raised(run), expectedError, `${c.id}: timm raises ${expectedError}`)
      continue
    }
    const values = run()
    c.expected.initial.forEach((value, g) => agreement.compare(values[g][0]!, value, `${c.id}/initial/0/${g}`))
    c.expected.lr.forEach((row, e) => row.forEach((value, g) => agreement.compare(values[g][e + 1]!, value, `${c.id}/lr/${e}/${g}`)))
  }
})

t.test('agreement with timm', async (t) => {
  t.comment(agreement.summary)
  t.ok(agreement.values > 10000, 'compared the golden values')
  t.equal(agreement.unexplained, 0, `every value bit for bit, but the known differences${agreement.worst ? `; worst: ${agreement.worst}` : ''}`)
  t.same(agreement.staleListings, [], 'every listed difference still differs')
  t.same(agreement.farListings, [], 'every listed difference is within the 4 ulp a 1-ulp libm difference can carry')
  t.equal(agreement.listed, knownDifferenceKeys.size, 'every listed difference was compared')
})

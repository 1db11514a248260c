/**
 * timm's golden vectors through the HTTP API: every schedule case in its three views
 * and every plateau and train-loop case through POST, a sample through GET. The
 * answers must hold the engine's doubles exactly (the JSON text reads back to the
 * same bits) and meet the conformance bar against timm: every value the same double,
 * but the known differences of the engine's own suite.
 */
import t, { type Test } from 'tap'
import { Agreement, plateauCases, scheduleCases, trainLoopCases, type FixtureGroup } from '../fixtures.js'
import { knownDifferenceKeys } from '../schedules/timm/known-differences.js'
import { appFor, groupsOf, queryOf } from './app.js'

/** Per group, the values of a per-step list of per-group values (null steps stay null). */
function byGroup (steps: Array<number[] | null>, groups: number): Array<Array<number | null>> {
  return Array.from({ length: groups }, (_, g) => steps.map((step) => step === null ? null : step[g]))
}

/** Compares one group's values; `key(i)` names value i as the known differences do. */
function compare (agreement: Agreement, actual: Array<number | null>, expected: Array<number | null>, key: (i: number) => string): boolean {
  if (actual.length !== expected.length) return false
  for (let i = 0; i < expected.length; i++) {
    const [a, e] = [actual[i], expected[i]]
    if (e === null || a === null) {
      if (a !== e) return false
    } else agreement.compare(a, e, key(i))
  }
  return true
}

/** Every value the same double as timm's, but the listed known differences. */
function assertBar (t: Test, agreement: Agreement): void {
  t.comment(agreement.summary)
  t.equal(agreement.unexplained, 0, `bit for bit but the known differences${agreement.worst ? `; worst: ${agreement.worst}` : ''}`)
  t.same(agreement.farListings, [], 'known differences stay within what one libm ulp carries')
}

t.test('schedule cases through POST /v1/schedules, each view', async (t) => {
  const app = appFor(t)
  const agreement = new Agreement(knownDifferenceKeys)
  let refused = 0
  for (const c of scheduleCases) {
    const base = { scheduler: c.scheduler, ...c.kwargs, param_groups: c.param_groups, unit: c.call === 'step' ? 'epoch' : 'update', count: c.t_count }
    if ('error' in c.expected) {
      const response = await app.inject({ method: 'POST', url: '/v1/schedules', payload: { ...base, view: 'raw' } })
      t.equal(response.statusCode, 422, `${c.id}: timm raises ${c.expected.error}, the API refuses with a 422`)
      refused++
      continue
    }
    for (const view of ['raw', 'noisy', 'lr'] as const) {
      const response = await app.inject({ method: 'POST', url: '/v1/schedules', payload: { ...base, view } })
      if (response.statusCode !== 200) {
        t.fail(`${c.id} ${view}: ${response.statusCode} ${response.body.slice(0, 300)}`)
        continue
      }
      const answer = response.json()
      const expected = byGroup(c.expected[view], c.param_groups.length)
      groupsOf(answer, c.param_groups.length).forEach((lr, g: number) => {
        const group = { lr: lr as Array<number | null> }
        if (!compare(agreement, group.lr, expected[g], (i) => `${c.id}/${view}/${i}/${g}`)) t.fail(`${c.id} ${view} group ${g}: nulls or length differ`)
      })
    }
  }
  t.ok(refused > 0, `${refused} cases that timm refuses were refused`)
  t.ok(agreement.values > 10000, 'compared the golden values')
  t.equal(agreement.listed, knownDifferenceKeys.size, 'the known differences, and only they, differ')
  assertBar(t, agreement)
})

t.test('plateau cases through POST /v1/schedules', async (t) => {
  const app = appFor(t)
  const agreement = new Agreement()
  for (const c of plateauCases) {
    const response = await app.inject({ method: 'POST', url: '/v1/schedules', payload: { scheduler: 'plateau', ...c.kwargs, param_groups: c.param_groups, metrics: c.metrics } })
    if ('error' in c.expected) {
      t.equal(response.statusCode, 422, `${c.id}: refused as timm refuses it`)
      continue
    }
    t.equal(response.statusCode, 200, c.id)
    const expected = byGroup([c.expected.initial, ...c.expected.lr], c.param_groups.length)
    groupsOf(response.json(), c.param_groups.length).map((lr) => ({ lr: lr as number[] })).forEach((group, g: number) => compare(agreement, group.lr, expected[g], (i) => i === 0 ? `${c.id}/initial/0/${g}` : `${c.id}/lr/${i - 1}/${g}`))
  }
  assertBar(t, agreement)
})

/** A train_loop case's create_scheduler_v2 kwargs by train.py's names (SPEC §3). */
function trainArgs (kwargs: Record<string, any>): Record<string, unknown> {
  const { num_epochs: epochs, noise, noise_pct: noisePct, noise_std: noiseStd, noise_seed: seed, cycle_mul: cycleMul, cycle_decay: cycleDecay, cycle_limit: cycleLimit, k_decay: kDecay, step_on_epochs: onEpochs, ...same } = kwargs
  return {
    ...same,
    epochs,
    lr_noise: noise,
    lr_noise_pct: noisePct,
    lr_noise_std: noiseStd,
    seed,
    lr_cycle_mul: cycleMul,
    lr_cycle_decay: cycleDecay,
    lr_cycle_limit: cycleLimit,
    lr_k_decay: kDecay,
    sched_on_updates: !onEpochs
  }
}

t.test('train_loop cases through POST /v1/plans', async (t) => {
  const app = appFor(t)
  const agreement = new Agreement()
  for (const c of trainLoopCases) {
    const payload = { ...trainArgs(c.create_scheduler_v2), updates_per_epoch: c.updates_per_epoch, param_groups: c.param_groups, ...(c.metrics !== null && { metrics: c.metrics }) }
    const response = await app.inject({ method: 'POST', url: '/v1/plans', payload })
    if ('error' in c.expected) {
      t.equal(response.statusCode, 422, `${c.id}: timm raises ${c.expected.error}`)
      continue
    }
    if (response.statusCode !== 200) {
      t.fail(`${c.id}: ${response.statusCode} ${response.body.slice(0, 300)}`)
      continue
    }
    const answer = response.json()
    t.match(answer, { num_epochs: c.expected.num_epochs, updates_per_epoch: c.updates_per_epoch, scheduler_class: c.expected.scheduler_class }, c.id)
    const expected = byGroup(c.expected.per_update, c.param_groups.length)
    groupsOf(answer, c.param_groups.length).forEach((lr, g: number) => {
      const group = { lr: lr as number[] }
      if (!compare(agreement, group.lr, expected[g], (i) => `${c.id}/per_update/${i}/${g}`)) t.fail(`${c.id} group ${g}: ${group.lr.length} updates, timm ran ${expected[g].length}`)
    })
  }
  t.ok(agreement.values > 1000, 'compared the golden plans')
  assertBar(t, agreement)
})

/** A case GET can express: one group. */
function oneGroup (groups: FixtureGroup[]): groups is [FixtureGroup] {
  return groups.length === 1
}

t.test('a sample of schedule cases through GET gives the same bytes as POST', async (t) => {
  const app = appFor(t)
  const sample = scheduleCases.filter((c) => !('error' in c.expected) && oneGroup(c.param_groups)).filter((_, i) => i % 5 === 0)
  t.ok(sample.length >= 30, `${sample.length} cases`)
  for (const c of sample) {
    const [group] = c.param_groups
    const params = { ...c.kwargs, ...group, unit: c.call === 'step' ? 'epoch' : 'update', count: c.t_count, view: 'noisy' }
    const get = await app.inject({ method: 'GET', url: `/v1/schedules/${c.scheduler}?${queryOf(params)}` })
    const post = await app.inject({ method: 'POST', url: '/v1/schedules', payload: { scheduler: c.scheduler, ...c.kwargs, param_groups: [group], unit: params.unit, count: c.t_count, view: 'noisy' } })
    t.equal(get.body, post.body, c.id)
  }
})

/**
 * Random configurations, plausible and garbage alike, never get a 5xx: every answer
 * is a 200 with the values asked for, or a 4xx problem that names fields.
 */
import fc from 'fast-check'
import t, { type Test } from 'tap'
import { registeredSchedulers, schedulerNamed } from '../../src/schedules/index.js'
import { trainArgsShape } from '../../src/schedules/timm/plan.js'
import { appFor, queryOf } from './app.js'

const schedulerNames = registeredSchedulers().map((definition) => definition.name)

/** Small limits keep each run fast; the limit's own path is part of what is tested. */
const MAX_VALUES = 5000

const requestFields = ['lr', 'param_groups', 'unit', 'start', 'count', 'view']
const parameterNames = [...new Set([...schedulerNames.flatMap((name) => Object.keys(schedulerNamed(name)!.shape)), ...requestFields, 'metrics'])]

/** A valid request of each scheduler, for the random fields to change: timm's small ones, else the scheduler's own example. */
const bases: Record<string, Record<string, unknown>> = {
  step: { decay_t: 5, lr: 0.1, count: 20 },
  multistep: { decay_t: [5, 10], lr: 0.1, count: 20 },
  cosine: { t_initial: 10, lr: 0.1 },
  tanh: { t_initial: 10, lr: 0.1 },
  poly: { t_initial: 10, lr: 0.1 },
  plateau: { lr: 0.1, metrics: [1, 2, 3] }
}

/** Numbers where the edges are: 0, negatives, fractions, huge, tiny, unsafe integers. */
const number = fc.oneof(
  fc.integer({ min: -3, max: 60 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 0.5, 1, 2, 1e-5, 0.01, 0.009, 1e300, -1e300, 5e-324, 2 ** 53, 2 ** 53 + 2, 1e7)
)

const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: number },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom('epoch', 'update', 'lr', 'noisy', 'raw', 'normal', 'uniform', 'min', 'max') },
  { weight: 2, arbitrary: fc.array(number, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.array(fc.record({ lr: number, lr_scale: number }, { requiredKeys: ['lr'] }), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 4 }), number, { maxKeys: 2 }) }
)

/**
 * A scheduler's valid request with a few fields changed: mostly its own parameters,
 * sometimes another's or a made-up name; now and then the scheduler itself is garbage.
 */
const config = fc.constantFrom(...schedulerNames).chain((name) => {
  const own = [...Object.keys(schedulerNamed(name)!.shape), ...requestFields, ...(name === 'plateau' ? ['metrics'] : [])]
  const field = fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...own) }, { weight: 2, arbitrary: fc.constantFrom(...parameterNames) }, { weight: 1, arbitrary: fc.string({ maxLength: 5 }) })
  return fc.record({
    scheduler: fc.oneof({ weight: 20, arbitrary: fc.constant<unknown>(name) }, { weight: 1, arbitrary: value }),
    fields: fc.dictionary(field, value, { maxKeys: 4 })
  }).map(({ scheduler, fields }) => ({ ...(bases[name] ?? schedulerNamed(name)!.example.value), ...fields, scheduler }))
})

/** Counts the statuses seen, so a test can show that its inputs reach the engine. */
class Statuses {
  counts: Record<number, number> = {}
  add (status: number): void { this.counts[status] = (this.counts[status] ?? 0) + 1 }
  share (status: number): number {
    const total = Object.values(this.counts).reduce((a, b) => a + b, 0)
    return (this.counts[status] ?? 0) / total
  }
}

function checkAnswer (t: Test, statuses: Statuses, status: number, contentType: string | undefined, body: string, what: string): boolean {
  statuses.add(status)
  if (status >= 500) {
    t.fail(`${status} for ${what}: ${body.slice(0, 300)}`)
    return false
  }
  if (status >= 400) {
    const problem = JSON.parse(body)
    return /^application\/problem\+json/.test(contentType ?? '') && problem.status === status && Array.isArray(problem.errors)
  }
  // A 200 answer: every value a finite number (or null where the library yields none), never NaN or Infinity.
  const answer = JSON.parse(body)
  const values = (Array.isArray(answer.lr) ? answer.lr : [answer.lr]).flat()
  return status === 200 && values.every((value: unknown) => value === null || (typeof value === 'number' && Number.isFinite(value)))
}

t.test('POST /v1/schedules never answers 5xx', async (t) => {
  const app = appFor(t, { maxValues: MAX_VALUES })
  const statuses = new Statuses()
  await fc.assert(fc.asyncProperty(config, async (body) => {
    const response = await app.inject({ method: 'POST', url: '/v1/schedules', payload: body as object })
    return checkAnswer(t, statuses, response.statusCode, response.headers['content-type'] as string, response.body, JSON.stringify(body))
  }), { numRuns: 400, seed: 20240531 })
  t.comment(`statuses: ${JSON.stringify(statuses.counts)}`)
  t.ok(statuses.share(200) > 0.2, 'a good share of the inputs is computed, not only refused')
})

t.test('GET /v1/schedules/{scheduler} never answers 5xx, whatever the query', async (t) => {
  const app = appFor(t, { maxValues: MAX_VALUES })
  const statuses = new Statuses()
  const show = (v: unknown): string => Array.isArray(v) ? v.map(show).join(',') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)
  const text = fc.oneof({ weight: 4, arbitrary: value.map(show) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) })
  await fc.assert(fc.asyncProperty(config, fc.boolean(), text, async (body, point, step) => {
    const { scheduler, param_groups: groups, ...params } = body as Record<string, unknown>
    const name = typeof scheduler === 'string' ? encodeURIComponent(scheduler) : 'step'
    const query = Object.fromEntries(Object.entries({ ...params, ...(Array.isArray(groups) && { lr_scale: show(groups) }) }).map(([key, v]) => [key, show(v)]))
    if (point) {
      delete query.start
      delete query.count
      query.t = step
    }
    const url = `/v1/schedules/${name}${point ? '/lr' : ''}?${queryOf(query)}`
    const response = await app.inject({ method: 'GET', url })
    return checkAnswer(t, statuses, response.statusCode, response.headers['content-type'] as string, response.body, url)
  }), { numRuns: 300, seed: 20240601 })
  t.comment(`statuses: ${JSON.stringify(statuses.counts)}`)
  t.ok(statuses.share(200) > 0.1, 'some queries are computed')
})

t.test('POST /v1/plans never answers 5xx', async (t) => {
  const app = appFor(t, { maxValues: MAX_VALUES })
  const statuses = new Statuses()
  const names = [...Object.keys(trainArgsShape), 'lr', 'param_groups', 'updates_per_epoch', 'metrics']
  const plan = fc.dictionary(fc.constantFrom(...names), fc.oneof(value, fc.constantFrom('cosine', 'tanh', 'step', 'multistep', 'plateau', 'poly', 'loss')), { maxKeys: 4 })
    .map((fields) => ({ lr: 0.1, updates_per_epoch: 3, epochs: 20, warmup_epochs: 2, ...fields }))
  await fc.assert(fc.asyncProperty(plan, async (body) => {
    const response = await app.inject({ method: 'POST', url: '/v1/plans', payload: body })
    return checkAnswer(t, statuses, response.statusCode, response.headers['content-type'] as string, response.body, JSON.stringify(body))
  }), { numRuns: 300, seed: 20240602 })
  t.comment(`statuses: ${JSON.stringify(statuses.counts)}`)
  t.ok(statuses.share(200) > 0.2, 'a good share of the plans is computed')
})

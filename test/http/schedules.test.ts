/**
 * The schedule routes through inject: every scheduler, unit, view and parameter
 * family, the answer compared bit for bit with the engine called directly; GET
 * agreeing with POST; the point route; caching headers; the value limit.
 */
import t from 'tap'
import { schedulerNamed } from '../../src/schedules/index.js'
import { paramsOf, run } from '../schedules/run.js'
import { appFor, groupsOf, pathsOf, queryOf } from './app.js'

type Body = Record<string, any>

/** What the engine answers for a body, per group (null where it yields nothing). */
function engine (body: Body): (number | null)[][] {
  const { scheduler: name, lr, param_groups: groups = [{ lr }], start = 0, count, ...fields } = body
  const definition = schedulerNamed(name)!
  const params = paramsOf(definition, fields, groups.length)
  const n = count ?? (definition.stepCount !== undefined ? definition.stepCount(params) - start : definition.defaultCount!(params))
  return run(definition, fields, groups, start, n)
}

/** Same doubles, bit for bit (Object.is), and nulls where nulls are due. */
function sameDoubles (actual: unknown[], expected: unknown[]): boolean {
  return actual.length === expected.length && actual.every((value, i) => Object.is(value, expected[i]))
}

const families: Array<[string, Body]> = [
  ['step', { scheduler: 'step', decay_t: 3, decay_rate: 0.5, lr: 0.1, count: 12 }],
  ['step, fractional decay_t', { scheduler: 'step', decay_t: 2.4, decay_rate: 0.5, lr: 0.1, count: 12 }],
  ['step, warmup prefix', { scheduler: 'step', decay_t: 5, decay_rate: 0.8, warmup_t: 2, warmup_lr_init: 1e-5, lr: 1e-4, count: 20 }],
  ['step, warmup without prefix', { scheduler: 'step', decay_t: 5, decay_rate: 0.8, warmup_t: 2, warmup_prefix: false, lr: 1e-4, count: 20 }],
  ['multistep', { scheduler: 'multistep', decay_t: [3, 6, 9], decay_rate: 0.1, lr: 0.1, count: 12 }],
  ['cosine', { scheduler: 'cosine', t_initial: 10, lr: 0.1, lr_min: 1e-4 }],
  ['cosine, restarts', { scheduler: 'cosine', t_initial: 5, cycle_mul: 2, cycle_decay: 0.5, cycle_limit: 3, lr: 0.1 }],
  ['cosine, k-decay', { scheduler: 'cosine', t_initial: 10, k_decay: 2, lr: 0.1, count: 15 }],
  ['cosine, shrinking cycles', { scheduler: 'cosine', t_initial: 8, cycle_mul: 0.5, cycle_limit: 3, lr: 0.1 }],
  ['tanh', { scheduler: 'tanh', t_initial: 10, lb: -6, ub: 4, warmup_t: 3, warmup_lr_init: 1e-3, lr: 0.1 }],
  ['poly', { scheduler: 'poly', t_initial: 10, power: 2, k_decay: 1.5, warmup_t: 2, warmup_prefix: true, lr: 0.1 }],
  ['normal noise from a step', { scheduler: 'cosine', t_initial: 20, noise_range_t: 5, noise_seed: 7, lr: 0.1 }],
  ['uniform noise in a range', { scheduler: 'step', decay_t: 4, noise_range_t: [2, 9], noise_type: 'uniform', noise_pct: 0.2, lr: 0.1, count: 12 }],
  ['noise, view noisy', { scheduler: 'step', decay_t: 4, noise_range_t: 0, lr: 0.1, count: 8, view: 'noisy', param_groups: undefined }],
  ['noise, view raw', { scheduler: 'step', decay_t: 4, noise_range_t: 0, lr: 0.1, count: 8, view: 'raw' }],
  ['param groups, lr_scale and initial_lr', { scheduler: 'cosine', t_initial: 6, param_groups: [{ lr: 0.1 }, { lr: 0.1, lr_scale: 0.5 }, { lr: 0.05, initial_lr: 0.2 }] }],
  ['per update', { scheduler: 'cosine', t_initial: 100, t_in_epochs: false, unit: 'update', lr: 0.1, start: 40, count: 30 }],
  ['per update asked per epoch: the constructor value', { scheduler: 'cosine', t_initial: 100, t_in_epochs: false, warmup_t: 3, warmup_lr_init: 0.01, lr: 0.1, count: 5 }],
  ['per update asked per epoch, raw: null', { scheduler: 'step', decay_t: 5, t_in_epochs: false, lr: 1e-4, count: 5, view: 'raw' }],
  ['per epoch asked per update, noisy: null', { scheduler: 'step', decay_t: 5, unit: 'update', lr: 1e-4, count: 5, view: 'noisy' }],
  ['a window from start', { scheduler: 'multistep', decay_t: [30, 60], decay_rate: 0.1, lr: 0.1, start: 25, count: 40 }],
  ['plateau, max mode', { scheduler: 'plateau', patience_t: 1, metrics: [0.5, 0.6, 0.6, 0.6, 0.6, 0.7], lr: 0.1 }],
  ['plateau, min mode, cooldown, warmup, noise', { scheduler: 'plateau', mode: 'min', patience_t: 0, cooldown_t: 2, warmup_t: 2, warmup_lr_init: 0.01, noise_range_t: 4, metrics: [3, 2, 2, 2, 2, 2, 1, 1], lr: 0.1 }],
  ['plateau, a window of epochs', { scheduler: 'plateau', patience_t: 0, metrics: [1, 1, 1, 1, 1, 1], lr: 0.1, start: 2, count: 3 }],
  ['plateau, groups', { scheduler: 'plateau', patience_t: 0, lr_min: 0.02, metrics: [1, 1, 1], param_groups: [{ lr: 0.1 }, { lr: 0.1, lr_scale: 2 }] }]
]

for (const [name, raw] of families) {
  const body = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined))
  t.test(`POST /v1/schedules: ${name}`, async (t) => {
    const app = appFor(t)
    const response = await app.inject({ method: 'POST', url: '/v1/schedules', payload: body })
    t.equal(response.statusCode, 200, response.body.slice(0, 300))
    t.match(response.headers['content-type'], /^application\/json/)
    const answer = response.json()
    const expected = engine(body)
    t.equal(answer.scheduler, body.scheduler)
    t.equal(answer.unit, body.unit ?? 'epoch')
    t.equal(answer.start, body.start ?? 0)
    t.equal(answer.count, expected[0].length, 'count: as asked, or the default')
    t.notOk('param_groups' in answer, 'every value once: no second list')
    t.equal(answer.lr.length, expected[0].length, 'an entry per step')
    if (expected.length > 1) t.ok(answer.lr.every((row: unknown) => Array.isArray(row) && row.length === expected.length), 'several groups: a list per step, a value per group')
    groupsOf(answer, expected.length).forEach((values, g) => t.ok(sameDoubles(values, expected[g]), `group ${g}, bit for bit`))
  })
}

t.test('count defaults to the cycle length for cosine, tanh and poly, warmup prefix included', async (t) => {
  const app = appFor(t)
  const lengths: Array<[Body, number]> = [
    [{ scheduler: 'cosine', t_initial: 10 }, 10],
    [{ scheduler: 'cosine', t_initial: 10, cycle_limit: 3 }, 30],
    [{ scheduler: 'cosine', t_initial: 10, cycle_mul: 2, cycle_limit: 3 }, 70],
    [{ scheduler: 'tanh', t_initial: 10, warmup_t: 4, warmup_prefix: true }, 14],
    [{ scheduler: 'poly', t_initial: 7, warmup_t: 4 }, 7]
  ]
  for (const [body, length] of lengths) {
    const answer = (await app.inject({ method: 'POST', url: '/v1/schedules', payload: { ...body, lr: 0.1 } })).json()
    t.equal(answer.count, length, JSON.stringify(body))
    t.equal(answer.lr.length, length)
  }
})

t.test('step and multistep need a count; plateau counts its metrics', async (t) => {
  const app = appFor(t)
  const step = await app.inject({ method: 'POST', url: '/v1/schedules', payload: { scheduler: 'step', decay_t: 5, lr: 0.1 } })
  t.equal(step.statusCode, 400)
  t.same(pathsOf(step.body), ['/count'])
  const plateauAnswer = (await app.inject({ method: 'POST', url: '/v1/schedules', payload: { scheduler: 'plateau', lr: 0.1, metrics: [1, 2, 3] } })).json()
  t.equal(plateauAnswer.count, 4, 'metrics.length + 1 epochs: epoch 0 is the constructor value')
  const empty = (await app.inject({ method: 'POST', url: '/v1/schedules', payload: { scheduler: 'plateau', lr: 0.1, metrics: [] } })).json()
  t.same(empty.lr, [0.1], 'no metrics: the constructor value alone')
})

t.test('plateau steps per epoch and answers lr only', async (t) => {
  const app = appFor(t)
  for (const [field, value] of [['unit', 'update'], ['view', 'raw'], ['view', 'noisy']]) {
    const response = await app.inject({ method: 'POST', url: '/v1/schedules', payload: { scheduler: 'plateau', lr: 0.1, metrics: [1], [field]: value } })
    t.equal(response.statusCode, 400, `${field}=${value}`)
    t.same(pathsOf(response.body), [`/${field}`])
    t.match(response.json().errors[0].message, /plateau/)
  }
})

/** GET bodies for the agreement test: lists, pairs, booleans, lr_scale, initial_lr, each scheduler. */
const getCases: Body[] = [
  { scheduler: 'step', decay_t: 5, decay_rate: 0.5, lr: 1e-4, count: 50 },
  { scheduler: 'step', decay_t: 5, decay_rate: 0.8, warmup_t: 2, warmup_lr_init: 1e-5, lr: 1e-4, count: 50 },
  { scheduler: 'step', decay_t: 5, t_in_epochs: false, lr: 1e-4, count: 50, view: 'raw' },
  { scheduler: 'multistep', decay_t: [30, 60, 90], decay_rate: 0.1, lr: 0.1, count: 100, noise_range_t: [10, 40] },
  { scheduler: 'cosine', t_initial: 50, warmup_t: 5, warmup_prefix: true, noise_range_t: 20, noise_type: 'uniform', lr: 0.1, lr_scale: 0.5 },
  { scheduler: 'cosine', t_initial: 1000, t_in_epochs: false, unit: 'update', start: 100, count: 200, lr: 0.05, initial_lr: 0.1 },
  { scheduler: 'tanh', t_initial: 30, lb: -5, ub: 5, cycle_limit: 2, lr: 0.1 },
  { scheduler: 'poly', t_initial: 30, power: 1, lr_min: 1e-3, k_decay: 0.5, lr: 0.1 },
  { scheduler: 'plateau', mode: 'min', patience_t: 1, metrics: [1, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8], lr: 0.1, start: 1 }
]

/** The POST body of a GET case: lr with lr_scale / initial_lr is one param group. */
function postBody (body: Body): Body {
  const { lr, lr_scale: lrScale, initial_lr: initialLr, ...rest } = body
  if (lrScale === undefined && initialLr === undefined) return body
  return { ...rest, param_groups: [{ lr, ...(lrScale !== undefined && { lr_scale: lrScale }), ...(initialLr !== undefined && { initial_lr: initialLr }) }] }
}

for (const body of getCases) {
  t.test(`GET agrees with POST: ${JSON.stringify(body)}`, async (t) => {
    const app = appFor(t)
    const { scheduler, ...params } = body
    const get = await app.inject({ method: 'GET', url: `/v1/schedules/${scheduler}?${queryOf(params)}` })
    const post = await app.inject({ method: 'POST', url: '/v1/schedules', payload: postBody(body) })
    t.equal(get.statusCode, 200, get.body.slice(0, 300))
    t.equal(get.body, post.body, 'the same bytes')
  })
}

t.test('GET /v1/schedules/{scheduler}/lr: one step, as the range gives it', async (t) => {
  const app = appFor(t)
  const range = (await app.inject({ method: 'GET', url: '/v1/schedules/step?decay_t=5&decay_rate=0.8&warmup_t=2&warmup_lr_init=1e-5&lr=1e-4&count=50' })).json()
  for (const step of [0, 1, 2, 7, 49]) {
    const point = await app.inject({ method: 'GET', url: `/v1/schedules/step/lr?decay_t=5&decay_rate=0.8&warmup_t=2&warmup_lr_init=1e-5&lr=1e-4&t=${step}` })
    t.equal(point.statusCode, 200)
    t.same(point.json(), { t: step, lr: range.lr[step] }, `t=${step}`)
  }
  const none = (await app.inject({ method: 'GET', url: '/v1/schedules/step/lr?decay_t=5&t_in_epochs=false&lr=1e-4&t=3&view=raw' })).json()
  t.match(none, { t: 3, lr: null, warnings: [/t_in_epochs=False steps per update only/] }, 'null where timm yields nothing, and a warning that says why')
  const plateauPoint = (await app.inject({ method: 'GET', url: '/v1/schedules/plateau/lr?patience_t=0&metrics=1,1,1&lr=0.1&t=3' })).json()
  t.equal(plateauPoint.lr, 0.0010000000000000002, 'plateau: the LR after step(3, metrics[2])')
  const beyond = await app.inject({ method: 'GET', url: '/v1/schedules/plateau/lr?metrics=1,1,1&lr=0.1&t=4' })
  t.equal(beyond.statusCode, 400)
  t.same(pathsOf(beyond.body), ['/t'], 'a plateau epoch past the metrics is refused at t')
})

t.test('GET answers are cacheable: Cache-Control, ETag, 304', async (t) => {
  const app = appFor(t)
  const url = '/v1/schedules/cosine?t_initial=10&lr=0.1'
  const first = await app.inject({ method: 'GET', url })
  t.match(first.headers['cache-control'], /^public, max-age=\d+/)
  t.type(first.headers.etag, 'string')
  const again = await app.inject({ method: 'GET', url, headers: { 'if-none-match': first.headers.etag as string } })
  t.equal(again.statusCode, 304)
  t.equal(again.body, '')
  const other = await app.inject({ method: 'GET', url: '/v1/schedules/cosine?t_initial=11&lr=0.1' })
  t.not(other.headers.etag, first.headers.etag, 'another URL, another tag')
  const post = await app.inject({ method: 'POST', url: '/v1/schedules', payload: { scheduler: 'cosine', t_initial: 10, lr: 0.1 } })
  t.notOk(post.headers['cache-control'], 'POST answers carry no caching headers')
  const bad = await app.inject({ method: 'GET', url: '/v1/schedules/cosine?lr=0.1' })
  t.equal(bad.statusCode, 400)
  t.notOk(bad.headers['cache-control'], 'an error is not cached')
})

t.test('GET reads lists, pairs, booleans and null from the query', async (t) => {
  const app = appFor(t)
  const repeated = await app.inject({ method: 'GET', url: '/v1/schedules/multistep?decay_t=30&decay_t=60&lr=0.1&count=70' })
  const commas = await app.inject({ method: 'GET', url: '/v1/schedules/multistep?decay_t=30,60&lr=0.1&count=70' })
  t.equal(repeated.body, commas.body, 'a list by repeated names or by commas')
  const nullRange = await app.inject({ method: 'GET', url: '/v1/schedules/step?decay_t=5&noise_range_t=null&lr=0.1&count=3' })
  t.same(nullRange.json().lr, [0.1, 0.1, 0.1], 'noise_range_t=null: no noise')
  const emptyMetrics = await app.inject({ method: 'GET', url: '/v1/schedules/plateau?metrics=&lr=0.1' })
  t.same(emptyMetrics.json().lr, [0.1], 'metrics= is an empty list')
  const boolean = await app.inject({ method: 'GET', url: '/v1/schedules/step?decay_t=5&warmup_prefix=yes&lr=0.1&count=3' })
  t.equal(boolean.statusCode, 400)
  t.match(boolean.json().errors, [{ path: '/warmup_prefix', message: /not a boolean/ }])
  const plan = { sched: 'cosine', epochs: 20, lr: 0.1, updates_per_epoch: 2, count: 40 }
  for (const [text, noise] of [['0.4', 0.4], ['0.4,0.9', [0.4, 0.9]]] as const) {
    const get = await app.inject({ method: 'GET', url: `/v1/plans?sched=cosine&epochs=20&lr=0.1&updates_per_epoch=2&count=40&lr_noise=${text}` })
    const post = await app.inject({ method: 'POST', url: '/v1/plans', payload: { ...plan, lr_noise: noise } })
    t.equal(get.statusCode, 200, `lr_noise=${text}`)
    t.equal(get.body, post.body, `lr_noise=${text}: a list option chosen by its length (one fraction or a pair)`)
  }
})

t.test('an unknown scheduler in the path is a 404 problem that lists the schedulers', async (t) => {
  const app = appFor(t)
  for (const url of ['/v1/schedules/linear?lr=0.1', '/v1/schedules/linear/lr?t=1']) {
    const response = await app.inject({ method: 'GET', url })
    t.equal(response.statusCode, 404)
    t.match(response.headers['content-type'], /^application\/problem\+json/)
    t.match(response.json(), { status: 404, detail: /GET \/v1\/schedulers lists them/, errors: [{ path: '/scheduler', message: /step, multistep, cosine, tanh, poly, plateau/ }] })
  }
})

t.test('the value limit: count × groups, checked before anything is computed', async (t) => {
  const app = appFor(t, { maxValues: 100 })
  const ok = await app.inject({ method: 'POST', url: '/v1/schedules', payload: { scheduler: 'step', decay_t: 5, param_groups: [{ lr: 0.1 }, { lr: 0.2 }], count: 50 } })
  t.equal(ok.statusCode, 200, '100 values fit')
  const over = await app.inject({ method: 'POST', url: '/v1/schedules', payload: { scheduler: 'step', decay_t: 5, param_groups: [{ lr: 0.1 }, { lr: 0.2 }], count: 51 } })
  t.equal(over.statusCode, 422)
  t.match(over.json(), { type: '/problems/too-many-values', detail: /limit of 100 values/, errors: [{ path: '/count' }] })
  const cycle = await app.inject({ method: 'GET', url: '/v1/schedules/cosine?t_initial=1000000000000&lr=0.1' })
  t.equal(cycle.statusCode, 422, 'a default count of 10^12 is refused, not allocated')
  const huge = await app.inject({ method: 'GET', url: '/v1/schedules/cosine?t_initial=10&lr=0.1&count=9007199254740991' })
  t.equal(huge.statusCode, 422)
  const fold = await app.inject({ method: 'GET', url: '/v1/schedules/plateau?metrics=1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1&lr=0.1&start=96&count=5' })
  t.match(fold.json(), { status: 422, type: '/problems/too-many-values', detail: /101 steps \(every step from 0/, errors: [{ path: '/start' }] }, 'a fold costs every step from 0, not its window')
  const plan = await app.inject({ method: 'POST', url: '/v1/plans', payload: { sched: 'cosine', epochs: 11, warmup_epochs: 0, lr: 0.1, updates_per_epoch: 10 } })
  t.match(plan.json(), { status: 422, type: '/problems/too-many-values', detail: /limit of 100 values.*pages/, errors: [{ path: '/count' }] })
  const page = await app.inject({ method: 'POST', url: '/v1/plans', payload: { sched: 'cosine', epochs: 11, warmup_epochs: 0, lr: 0.1, updates_per_epoch: 10, epoch_start: 10, epoch_count: 1 } })
  t.equal(page.statusCode, 200, 'a page of the same plan fits')
})

t.test('MAX_VALUES comes from the environment; its default fits an ImageNet run', async (t) => {
  const { settingsFromEnv, DEFAULT_MAX_VALUES } = await import('../../src/settings.js')
  t.equal(settingsFromEnv({}).maxValues, DEFAULT_MAX_VALUES)
  t.ok(DEFAULT_MAX_VALUES >= 300 * 5005 * 2, '300 epochs × 5,005 updates × 2 param groups')
  t.equal(settingsFromEnv({ MAX_VALUES: '2500' }).maxValues, 2500)
  t.throws(() => settingsFromEnv({ MAX_VALUES: '1e6' }), /MAX_VALUES must be a whole number/)
  t.throws(() => settingsFromEnv({ MAX_VALUES: '0' }), /MAX_VALUES must be a whole number ≥ 1/)
})

t.test('1,000,000 values in one answer', async (t) => {
  const app = appFor(t)
  const response = await app.inject({ method: 'POST', url: '/v1/schedules', payload: { scheduler: 'cosine', t_initial: 1_000_000, lr: 0.1 } })
  t.equal(response.statusCode, 200)
  const answer = response.json()
  t.equal(answer.lr.length, 1_000_000)
  const expected = engine({ scheduler: 'cosine', t_initial: 1_000_000, lr: 0.1, start: 999_990, count: 10 })[0]
  t.ok(sameDoubles(answer.lr.slice(999_990), expected), 'the last values, bit for bit')
})

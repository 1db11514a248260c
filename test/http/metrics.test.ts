/**
 * /metrics: Prometheus' text format, one registry per app, labels from fixed sets.
 */
import type { InjectOptions } from 'fastify'
import t from 'tap'
import { ComputePool } from '../../src/compute/pool.js'
import { formatLabel } from '../../src/http/metrics.js'
import { appFor } from './app.js'

type App = ReturnType<typeof appFor>

/**
 * A test app, once under-pressure no longer sheds: a busy machine can block a test
 * process's event loop for over a second while it loads, and the first sample after
 * that says so (every request is then a 503 for up to a second). Waits without a
 * request, so that none is counted.
 */
async function metricsApp (t: Parameters<typeof appFor>[0], options: Parameters<typeof appFor>[1] = {}): Promise<App> {
  const app = appFor(t, options)
  await app.ready()
  const pressure = app as unknown as { isUnderPressure: () => boolean }
  for (let waited = 0; pressure.isUnderPressure() && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50))
  return app
}

/** The samples of a scrape: `name{labels}` → value. */
async function scrape (app: App): Promise<Map<string, number>> {
  const response = await app.inject({ method: 'GET', url: '/metrics' })
  if (response.statusCode !== 200) throw new Error(`/metrics answered ${response.statusCode}: ${response.body}`)
  const samples = new Map<string, number>()
  for (const line of response.body.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const space = line.lastIndexOf(' ')
    samples.set(line.slice(0, space), Number(line.slice(space + 1)))
  }
  return samples
}

/** A sample's value by name and labels (in any order); 0 when absent. */
function sample (samples: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`)
  for (const [key, value] of samples) {
    const match = /^([^{]+)(?:\{(.*)\})?$/.exec(key)!
    if (match[1] !== name) continue
    const have = match[2] === undefined ? [] : match[2].split(/,(?=[a-z_]+=")/)
    if (wanted.length === have.length && wanted.every((pair) => have.includes(pair))) return value
  }
  return 0
}

const cosine = '/v1/schedules/cosine?t_initial=100&lr=0.1&count=100'

t.test('the text format, with the pool and the process', async (t) => {
  const app = await metricsApp(t)
  const response = await app.inject({ method: 'GET', url: '/metrics' })
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^text\/plain; version=0\.0\.4; charset=utf-8/)
  t.equal(response.headers['cache-control'], 'no-store')
  t.match(response.body, /# TYPE lr_schedules_http_requests_total counter/)
  t.match(response.body, /# TYPE lr_schedules_http_request_duration_seconds histogram/)
  t.match(response.body, /# TYPE lr_schedules_pool_queue_depth gauge/)
  const samples = await scrape(app)
  t.equal(sample(samples, 'lr_schedules_pool_workers'), 2, "the test pool's two workers")
  t.equal(sample(samples, 'lr_schedules_pool_queue_depth'), 0)
  t.equal(sample(samples, 'lr_schedules_pool_queue_limit'), 64)
  t.ok(sample(samples, 'process_cpu_seconds_total') > 0, "the process's own metrics")
  t.ok(samples.has('nodejs_eventloop_lag_p99_seconds'))
})

t.test('requests by route pattern, method, status and format; durations; values computed', async (t) => {
  const app = await metricsApp(t)
  const before = await scrape(app)
  t.equal((await app.inject({ method: 'GET', url: cosine })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: cosine + '&format=csv' })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: cosine, headers: { accept: 'application/x-npy' } })).statusCode, 200)
  t.equal((await app.inject({ method: 'POST', url: '/v1/schedules?format=arrow', payload: { scheduler: 'cosine', t_initial: 10, lr: 0.1, count: 10 } })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200)
  const after = await scrape(app)
  const route = '/v1/schedules/cosine'
  for (const format of ['json', 'csv', 'npy']) {
    t.equal(sample(after, 'lr_schedules_http_requests_total', { route, method: 'GET', status: '200', format }), 1, `one ${format} answer`)
    t.equal(sample(after, 'lr_schedules_http_request_duration_seconds_count', { route, method: 'GET', format }), 1, `its duration (${format})`)
  }
  t.ok(sample(after, 'lr_schedules_http_request_duration_seconds_sum', { route, method: 'GET', format: 'json' }) > 0)
  t.equal(sample(after, 'lr_schedules_http_request_duration_seconds_bucket', { route, method: 'GET', format: 'json', le: '+Inf' }), 1)
  t.equal(sample(after, 'lr_schedules_http_requests_total', { route: '/v1/schedules', method: 'POST', status: '200', format: 'arrow' }), 1)
  t.equal(sample(after, 'lr_schedules_http_requests_total', { route: '/healthz', method: 'GET', status: '200', format: 'none' }), 1)
  t.equal(sample(after, 'lr_schedules_values_computed_total') - sample(before, 'lr_schedules_values_computed_total'), 310, '3 × 100 + 10 values')
  t.ok(sample(after, 'lr_schedules_pool_busy_seconds_total') > 0, 'the workers were busy')
})

t.test('labels come from fixed sets, whatever the URL', async (t) => {
  const app = await metricsApp(t)
  t.equal((await app.inject({ method: 'GET', url: '/v1/schedules/no-such-thing?x=1' })).statusCode, 404)
  t.equal((await app.inject({ method: 'GET', url: '/random/path/12345' })).statusCode, 404)
  t.equal((await app.inject({ method: 'GET', url: cosine + '&format=xml' })).statusCode, 400)
  const samples = await scrape(app)
  t.equal(sample(samples, 'lr_schedules_http_requests_total', { route: '/v1/schedules/:scheduler', method: 'GET', status: '404', format: 'json' }), 1, 'the pattern, not the name')
  t.equal(sample(samples, 'lr_schedules_http_requests_total', { route: 'unmatched', method: 'GET', status: '404', format: 'none' }), 1)
  t.equal(sample(samples, 'lr_schedules_http_requests_total', { route: '/v1/schedules/cosine', method: 'GET', status: '400', format: 'other' }), 1)
  t.notOk([...samples.keys()].some((key) => key.includes('12345') || key.includes('no-such-thing')), 'no URL in a label')

  t.equal(formatLabel('/v1/plots', '/v1/plots', undefined), 'svg')
  t.equal(formatLabel('/v1/plans', '/v1/plans?format=npy', 'text/csv'), 'npy', 'the parameter over the header')
  t.equal(formatLabel('/v1/plans', '/v1/plans', 'text/csv'), 'csv')
  t.equal(formatLabel('/v1/schedulers', '/v1/schedulers?format=csv', undefined), 'none')
  t.equal(formatLabel('/v1/snippets', '/v1/snippets', undefined), 'none')
})

t.test('refusals by reason', async (t) => {
  const lifecycle = { draining: false }
  const app = await metricsApp(t, { lifecycle })
  const refuse = async (request: InjectOptions, status: number) => t.equal((await app.inject(request)).statusCode, status)
  await refuse({ method: 'GET', url: '/v1/schedules/cosine?lr=0.1' }, 400)
  await refuse({ method: 'POST', url: '/v1/schedules', payload: '{"scheduler":', headers: { 'content-type': 'application/json' } }, 400)
  await refuse({ method: 'GET', url: '/v1/schedules/cosine?t_initial=100&lr=0.1&count=2000000' }, 422)
  await refuse({ method: 'GET', url: '/v1/schedules/cosine?t_initial=10&lr=0.1&cycle_mul=0.5&count=100' }, 422)
  await refuse({ method: 'DELETE', url: '/v1/schedules' }, 405)
  await refuse({ method: 'POST', url: '/v1/schedules', payload: 'x', headers: { 'content-type': 'text/plain' } }, 415)
  await refuse({ method: 'GET', url: '/nowhere' }, 404)
  lifecycle.draining = true
  await refuse({ method: 'GET', url: cosine }, 503)
  lifecycle.draining = false
  const samples = await scrape(app)
  const reasons = Object.fromEntries(['invalid-request', 'too-many-values', 'schedule-refused', 'method-not-allowed', 'unsupported-media-type', 'not-found', 'draining', 'queue-full']
    .map((reason) => [reason, sample(samples, 'lr_schedules_refusals_total', { reason })]))
  t.same(reasons, { 'invalid-request': 2, 'too-many-values': 1, 'schedule-refused': 1, 'method-not-allowed': 1, 'unsupported-media-type': 1, 'not-found': 1, draining: 1, 'queue-full': 0 })
})

t.test('a full queue is refused as queue-full', async (t) => {
  // No room in the queue: a request that finds the one worker busy is refused.
  const pool = new ComputePool({ workers: 1, maxQueue: 0 })
  t.teardown(() => pool.close())
  const app = await metricsApp(t, { pool })
  const heavy = (t: number) => app.inject({ method: 'GET', url: `/v1/schedules/cosine?t_initial=${t}&t_in_epochs=false&unit=update&lr=0.1&format=npy` })
  const statuses = (await Promise.all([heavy(300_000), heavy(300_001)])).map((response) => response.statusCode).sort()
  t.same(statuses, [200, 503])
  t.equal(sample(await scrape(app), 'lr_schedules_refusals_total', { reason: 'queue-full' }), 1)
})

t.test('a 304 to If-None-Match counts as a cache hit', async (t) => {
  const app = await metricsApp(t)
  const first = await app.inject({ method: 'GET', url: cosine })
  t.equal(sample(await scrape(app), 'lr_schedules_cache_hits_total', { cache: 'conditional' }), 0, 'shown before the first hit')
  const again = await app.inject({ method: 'GET', url: cosine, headers: { 'if-none-match': first.headers.etag as string } })
  t.equal(again.statusCode, 304)
  const samples = await scrape(app)
  t.equal(sample(samples, 'lr_schedules_cache_hits_total', { cache: 'conditional' }), 1)
  t.equal(sample(samples, 'lr_schedules_http_requests_total', { route: '/v1/schedules/cosine', method: 'GET', status: '304', format: 'json' }), 1)
  t.equal(sample(samples, 'lr_schedules_values_computed_total'), 100, 'the 304 computed nothing')
})

t.test('two apps in one process keep their own counts', async (t) => {
  const one = await metricsApp(t)
  const two = await metricsApp(t)
  await one.inject({ method: 'GET', url: '/healthz' })
  const labels = { route: '/healthz', method: 'GET', status: '200', format: 'none' }
  t.equal(sample(await scrape(one), 'lr_schedules_http_requests_total', labels), 1)
  t.equal(sample(await scrape(two), 'lr_schedules_http_requests_total', labels), 0)
})

/**
 * What no request may do to the service, through inject: error bodies stay small
 * whatever the input, every refusal is a problem (404, 405 with Allow), HEAD and
 * If-None-Match answer without computing, CORS lets any origin read and embed, no
 * value that is not a finite number is ever answered, and t stays an exact integer.
 */
import t from 'tap'
import { appFor, testPool } from './app.js'

const step = { scheduler: 'step', decay_t: 5, lr: 0.1, count: 10 }

t.test('2,000 unknown keys: each named once, at most 20 listed, the accepted keys once', async (t) => {
  const app = appFor(t)
  const body: Record<string, unknown> = { ...step }
  for (let i = 0; i < 2000; i++) body[`unknown_${i}`] = i
  const response = await app.inject({ method: 'POST', url: '/v1/schedules', payload: body })
  t.equal(response.statusCode, 400)
  const problem = response.json()
  t.equal(problem.errors.length, 20)
  t.match(problem.detail, /2000 invalid fields: .*and 1980 more\./)
  t.equal(problem.detail.match(/decay_rate/g)?.length, 1, 'the accepted keys appear once')
  t.ok(response.body.length < 5000, `${response.body.length} bytes`)
})

t.test('8,000 unknown keys: still a bounded problem, not an error of its own', async (t) => {
  const app = appFor(t)
  const body: Record<string, unknown> = { ...step }
  for (let i = 0; i < 8000; i++) body[`k${i}`] = i
  const response = await app.inject({ method: 'POST', url: '/v1/schedules', payload: body })
  t.equal(response.statusCode, 400)
  t.match(response.headers['content-type'], /^application\/problem\+json/)
  t.ok(response.body.length < 5000)
})

t.test('1 MiB of invalid param_groups: a bounded problem', async (t) => {
  const app = appFor(t)
  // Each group is 21 bytes of JSON: 47,000 of them make about 1 MiB.
  const groups = Array.from({ length: 47_000 }, () => ({ lr: -1, bad: 'x' }))
  const response = await app.inject({ method: 'POST', url: '/v1/schedules', payload: { ...step, lr: undefined, param_groups: groups } })
  t.equal(response.statusCode, 400)
  const problem = response.json()
  t.ok(problem.errors.length <= 20)
  t.ok(response.body.length < 10_000, `${response.body.length} bytes for ${groups.length} bad groups`)
})

t.test('__proto__ and constructor.prototype are refused wherever they are, escaped or not', async (t) => {
  const app = appFor(t)
  for (const payload of ['{"scheduler":"step","__proto__":{"x":1}}', '{"scheduler":"step","param_groups":[{"lr":1,"\\u005f_proto__":{}}]}', '{"a":{"constructor":{"prototype":{}}}}']) {
    const response = await app.inject({ method: 'POST', url: '/v1/schedules', payload, headers: { 'content-type': 'application/json' } })
    t.equal(response.statusCode, 400, payload)
    t.match(response.json().detail, /refused/)
  }
})

t.test('a long number followed by a letter in a query is refused at once', async (t) => {
  const app = appFor(t)
  const response = await app.inject({ method: 'GET', url: `/v1/schedules/step?decay_t=${'1'.repeat(16000)}x&lr=0.1&count=1` })
  t.equal(response.statusCode, 400)
  t.match(response.json().errors, [{ path: '/decay_t', message: /is not a number/ }])
})

t.test('404 and 405 are problems; 405 says what is allowed', async (t) => {
  const app = appFor(t)
  const unknown = await app.inject({ method: 'GET', url: '/problems/no-such-type' })
  t.equal(unknown.statusCode, 404)
  t.match(unknown.json(), { type: 'about:blank', status: 404, detail: /no problem type "no-such-type"/ })
  const known = await app.inject({ method: 'GET', url: '/problems/overloaded' })
  t.equal(known.statusCode, 200)
  const method = await app.inject({ method: 'DELETE', url: '/v1/schedules' })
  t.equal(method.statusCode, 405)
  t.equal(method.headers.allow, 'POST')
  t.match(method.headers['content-type'], /^application\/problem\+json/)
  const get = await app.inject({ method: 'POST', url: '/v1/schedules/cosine', payload: {} })
  t.equal(get.statusCode, 405)
  t.match(get.headers.allow, /GET/)
})

t.test('HEAD and If-None-Match answer without computing the values', async (t) => {
  const app = appFor(t)
  const url = '/v1/schedules/cosine?t_initial=100000&lr=0.1'
  const get = await app.inject({ method: 'GET', url })
  t.equal(get.statusCode, 200)
  const etag = get.headers.etag as string
  const tasks = testPool().taskCount
  const head = await app.inject({ method: 'HEAD', url })
  t.equal(head.statusCode, 200)
  t.equal(head.headers.etag, etag, 'the same ETag as the GET')
  t.match(head.headers['content-type'], /^application\/json/)
  t.equal(head.body, '')
  const again = await app.inject({ method: 'GET', url, headers: { 'if-none-match': etag } })
  t.equal(again.statusCode, 304)
  t.equal(testPool().taskCount, tasks, 'no task ran for the HEAD nor the 304')
  const csv = await app.inject({ method: 'HEAD', url: url + '&format=csv' })
  t.not(csv.headers.etag, etag, 'each format has its own ETag')
})

t.test('CORS: any origin may read, preflight answered, SVG embeddable', async (t) => {
  const app = appFor(t)
  const simple = await app.inject({ method: 'GET', url: '/v1/schedules/cosine?t_initial=5&lr=0.1', headers: { origin: 'https://dashboard.example.com' } })
  t.equal(simple.headers['access-control-allow-origin'], '*')
  t.match(simple.headers['access-control-expose-headers'], /ETag/)
  const preflight = await app.inject({ method: 'OPTIONS', url: '/v1/schedules', headers: { origin: 'https://dashboard.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } })
  t.equal(preflight.statusCode, 204)
  t.match(preflight.headers['access-control-allow-methods'], /POST/)
  t.match(preflight.headers['access-control-allow-headers'], /content-type/)
  const svg = await app.inject({ method: 'GET', url: '/v1/schedules/cosine?t_initial=5&lr=0.1&format=svg' })
  t.equal(svg.headers['cross-origin-resource-policy'], 'cross-origin', 'another site may show it in an <img>')
  const listed = appFor(t, { corsOrigins: ['https://a.example.com'] })
  const allowed = await listed.inject({ method: 'GET', url: '/healthz', headers: { origin: 'https://a.example.com' } })
  t.equal(allowed.headers['access-control-allow-origin'], 'https://a.example.com')
  const other = await listed.inject({ method: 'GET', url: '/healthz', headers: { origin: 'https://b.example.com' } })
  t.notOk(other.headers['access-control-allow-origin'], 'an origin not listed is not allowed')
})

t.test('a value that is not a finite number is a 422 that says where, on every path', async (t) => {
  const app = appFor(t)
  const cases: Array<[string, string, Record<string, unknown>]> = [
    ['a step schedule whose decay overflows', '/v1/schedules', { scheduler: 'step', decay_t: 1, decay_rate: 10, lr: 0.1, count: 400 }],
    ['lr_scale that overflows what the group holds', '/v1/schedules', { scheduler: 'step', decay_t: 5, param_groups: [{ lr: 1e300, lr_scale: 1e300 }], count: 3 }],
    ['plateau with noise that overflows', '/v1/schedules', { scheduler: 'plateau', noise_range_t: 0, noise_type: 'uniform', noise_pct: 1e308, lr: 1e300, metrics: [1, 1, 1] }],
    ['the constructor value in the unit the schedule does not step in', '/v1/schedules', { scheduler: 'step', decay_t: 5, t_in_epochs: false, param_groups: [{ lr: 1e300, lr_scale: 1e10 }], count: 3 }],
    ['a plan', '/v1/plans', { sched: 'step', epochs: 4, decay_epochs: 1, decay_rate: 1e200, warmup_epochs: 0, lr: 0.1, updates_per_epoch: 2 }],
    ['torch ExponentialLR', '/v1/schedules', { scheduler: 'torch.ExponentialLR', gamma: 1e100, lr: 0.1, count: 10 }]
  ]
  for (const [name, url, payload] of cases) {
    const response = await app.inject({ method: 'POST', url, payload })
    t.equal(response.statusCode, 422, name)
    t.match(response.json(), { type: '/problems/schedule-refused', detail: /(Infinity|NaN|overflow)/ }, name)
    t.notMatch(response.body, /null/, `${name}: never a null`)
  }
})

t.test('t stays within the exact integers, defaults included', async (t) => {
  const app = appFor(t, { maxValues: 4_000_000 })
  const start = 2 ** 53 - 5
  const defaulted = await app.inject({ method: 'GET', url: `/v1/schedules/cosine?t_initial=100&lr=0.1&start=${start}` })
  t.equal(defaulted.statusCode, 422, 'start + the default count would pass 2^53 - 1')
  t.match(defaulted.json().detail, /the last step that is an exact integer/)
  const last = await app.inject({ method: 'GET', url: `/v1/schedules/cosine?t_initial=100&lr=0.1&start=${start}&count=5` })
  t.equal(last.statusCode, 200, 'up to 2^53 - 1 exactly')
  t.equal(last.json().lr.length, 5)
})

t.test('a repeated answer comes from the cache: no task runs, the same bytes and headers, CORS included', async (t) => {
  const app = appFor(t)
  const url = '/v1/schedules/cosine?t_initial=3000&lr=0.1&format=csv'
  const first = await app.inject({ method: 'GET', url, headers: { origin: 'https://a.example.com' } })
  t.equal(first.statusCode, 200)
  const tasks = testPool().taskCount
  const again = await app.inject({ method: 'GET', url, headers: { origin: 'https://a.example.com' } })
  t.equal(testPool().taskCount, tasks, 'no task ran')
  t.equal(again.body, first.body)
  for (const header of ['content-type', 'etag', 'cache-control', 'vary', 'lr-count', 'access-control-allow-origin', 'content-security-policy']) {
    t.same(again.headers[header], first.headers[header], header)
  }
  const conditional = await app.inject({ method: 'GET', url, headers: { 'if-none-match': first.headers.etag as string } })
  t.equal(conditional.statusCode, 304)
  const json = await app.inject({ method: 'GET', url: url.replace('&format=csv', ''), headers: { accept: 'text/csv' } })
  t.equal(json.body, first.body, 'Accept: text/csv gives the CSV answer too')
  const post = await app.inject({ method: 'POST', url: '/v1/schedules?format=csv', payload: { scheduler: 'cosine', t_initial: 3000, lr: 0.1 } })
  t.equal(post.body, first.body, 'a POST of the same request finds it by its canonical form')
  t.notOk(post.headers.etag, 'without the GET\'s caching headers')
})

/**
 * Bad input of every kind gets a 4xx problem naming the field at fault: one assertion
 * per input, on the status and the paths in `errors`. Then the problem format itself.
 */
import t from 'tap'
import { appFor, pathsOf } from './app.js'

interface BadInput {
  name: string
  method?: 'GET' | 'POST' | 'PUT'
  url?: string
  body?: unknown
  /** A raw body, sent as is. */
  raw?: string
  contentType?: string
  status: number
  paths: string[]
}

const step = { scheduler: 'step', decay_t: 5, lr: 0.1, count: 10 }
const cosine = { scheduler: 'cosine', t_initial: 10, lr: 0.1 }
const plateau = { scheduler: 'plateau', lr: 0.1, metrics: [1, 2, 3] }
const plan = { sched: 'cosine', epochs: 10, lr: 0.1, updates_per_epoch: 10 }
const series = { name: 'a', ...step }

const bad: BadInput[] = [
  // The body's shape.
  { name: 'no scheduler', body: { lr: 0.1, count: 3 }, status: 400, paths: ['/scheduler'] },
  { name: 'an unknown scheduler', body: { ...step, scheduler: 'linear' }, status: 400, paths: ['/scheduler'] },
  { name: 'a required parameter missing', body: { scheduler: 'step', lr: 0.1, count: 3 }, status: 400, paths: ['/decay_t'] },
  { name: 'a number as a string', body: { ...step, decay_t: '5' }, status: 400, paths: ['/decay_t'] },
  { name: 'decay_t of 0', body: { ...step, decay_t: 0 }, status: 400, paths: ['/decay_t'] },
  { name: 'a misspelt parameter', body: { ...step, decay: 0.5 }, status: 400, paths: ['/decay'] },
  { name: "another scheduler's parameter", body: { ...step, t_initial: 10 }, status: 400, paths: ['/t_initial'] },
  { name: 'several bad fields at once', body: { ...step, decay_rate: 'x', warmup_t: -1, foo: 1 }, status: 400, paths: ['/decay_rate', '/warmup_t', '/foo'] },
  { name: 'a negative lr', body: { ...step, lr: -0.1 }, status: 400, paths: ['/lr'] },
  { name: 'no lr and no param_groups', body: { scheduler: 'step', decay_t: 5, count: 3 }, status: 400, paths: ['/lr'] },
  { name: 'both lr and param_groups', body: { ...step, param_groups: [{ lr: 0.1 }] }, status: 400, paths: ['/param_groups'] },
  { name: 'an empty param_groups', body: { scheduler: 'step', decay_t: 5, count: 3, param_groups: [] }, status: 400, paths: ['/param_groups'] },
  { name: 'a bad lr_scale in the second group', body: { scheduler: 'step', decay_t: 5, count: 3, param_groups: [{ lr: 0.1 }, { lr: 0.1, lr_scale: 'half' }] }, status: 400, paths: ['/param_groups/1/lr_scale'] },
  { name: 'an unknown key in a group', body: { scheduler: 'step', decay_t: 5, count: 3, param_groups: [{ lr: 0.1, weight_decay: 0 }] }, status: 400, paths: ['/param_groups/0/weight_decay'] },
  { name: 'count 0', body: { ...step, count: 0 }, status: 400, paths: ['/count'] },
  { name: 'a fractional count', body: { ...step, count: 2.5 }, status: 400, paths: ['/count'] },
  { name: 'a negative start', body: { ...step, start: -1 }, status: 400, paths: ['/start'] },
  { name: 'an unknown unit', body: { ...step, unit: 'batch' }, status: 400, paths: ['/unit'] },
  { name: 'an unknown view', body: { ...step, view: 'smooth' }, status: 400, paths: ['/view'] },
  { name: 'milestones out of order', body: { scheduler: 'multistep', decay_t: [30, 10], lr: 0.1, count: 3 }, status: 400, paths: ['/decay_t/1'] },
  { name: 'no milestones', body: { scheduler: 'multistep', decay_t: [], lr: 0.1, count: 3 }, status: 400, paths: ['/decay_t'] },
  { name: 'a noise range backwards', body: { ...step, noise_range_t: [40, 10] }, status: 400, paths: ['/noise_range_t'] },
  { name: 'a noise range of three', body: { ...step, noise_range_t: [1, 2, 3] }, status: 400, paths: ['/noise_range_t'] },
  { name: 'normal noise that would spin', body: { ...step, noise_range_t: 0, noise_pct: 0.001 }, status: 400, paths: ['/noise_pct'] },
  { name: 'an unknown noise type', body: { ...step, noise_type: 'gaussian' }, status: 400, paths: ['/noise_type'] },
  { name: 'a fractional noise seed', body: { ...step, noise_seed: 1.5 }, status: 400, paths: ['/noise_seed'] },
  { name: 'tanh with lb >= ub', body: { ...cosine, scheduler: 'tanh', lb: 3, ub: 3 }, status: 400, paths: ['/lb'] },
  { name: 'cosine without t_initial', body: { scheduler: 'cosine', lr: 0.1 }, status: 400, paths: ['/t_initial'] },
  { name: 'plateau without metrics', body: { scheduler: 'plateau', lr: 0.1 }, status: 400, paths: ['/metrics'] },
  { name: 'a metric that is not a number', body: { ...plateau, metrics: [1, 'high'] }, status: 400, paths: ['/metrics/1'] },
  { name: 'plateau per update', body: { ...plateau, unit: 'update' }, status: 400, paths: ['/unit'] },
  { name: 'plateau from an epoch past the metrics', body: { ...plateau, start: 4 }, status: 400, paths: ['/start'] },
  { name: 'plateau with a window past the metrics', body: { ...plateau, start: 1, count: 4 }, status: 400, paths: ['/count'] },
  // What timm refuses, and the limit.
  { name: 'cycle_mul < 1 past the end of its cycles', body: { ...cosine, cycle_mul: 0.5, count: 100 }, status: 422, paths: ['/cycle_mul'] },
  { name: 'plateau with decay_rate >= 1', body: { ...plateau, decay_rate: 1 }, status: 422, paths: ['/decay_rate'] },
  { name: 'more values than MAX_VALUES', body: { ...cosine, count: 2_000_000 }, status: 422, paths: ['/count'] },
  { name: 'a default count over MAX_VALUES', body: { ...cosine, t_initial: 5_000_000 }, status: 422, paths: ['/count'] },
  { name: 'values over MAX_VALUES by groups', body: { scheduler: 'step', decay_t: 5, count: 400_000, param_groups: [{ lr: 1 }, { lr: 1 }, { lr: 1 }] }, status: 422, paths: ['/count'] },
  // The body as HTTP.
  { name: 'malformed JSON', raw: '{"scheduler": "step",', status: 400, paths: [''] },
  { name: 'a __proto__ key', raw: '{"scheduler": "step", "decay_t": 5, "__proto__": {"polluted": true}}', status: 400, paths: [''] },
  { name: 'a nested __proto__ key', raw: '{"scheduler": "step", "param_groups": [{"lr": 1, "__proto__": {}}]}', status: 400, paths: [''] },
  { name: 'constructor.prototype', raw: '{"scheduler": "step", "constructor": {"prototype": {"polluted": true}}}', status: 400, paths: [''] },
  { name: 'an empty JSON body', raw: '', status: 400, paths: [''] },
  { name: 'no body at all', raw: undefined, contentType: '', status: 400, paths: [''] },
  { name: 'a JSON array', body: [step], status: 400, paths: [''] },
  { name: 'a JSON string', raw: '"step"', status: 400, paths: [''] },
  { name: 'text/plain', raw: JSON.stringify(step), contentType: 'text/plain', status: 415, paths: [''] },
  { name: 'a form', raw: 'scheduler=step', contentType: 'application/x-www-form-urlencoded', status: 415, paths: [''] },
  { name: 'a body over the size limit', raw: JSON.stringify({ ...plateau, metrics: new Array(300_000).fill(0.5) }), status: 413, paths: [''] },
  // Queries.
  { name: 'GET: a number that is not one', method: 'GET', url: '/v1/schedules/step?decay_t=abc&lr=0.1&count=3', status: 400, paths: ['/decay_t'] },
  { name: 'GET: a number too big for a double', method: 'GET', url: '/v1/schedules/step?decay_t=5&lr=0.1&count=1e400', status: 400, paths: ['/count'] },
  { name: 'GET: hexadecimal', method: 'GET', url: '/v1/schedules/step?decay_t=0x10&lr=0.1&count=3', status: 400, paths: ['/decay_t'] },
  { name: 'GET: a list element that is not a number', method: 'GET', url: '/v1/schedules/multistep?decay_t=30,sixty&lr=0.1&count=3', status: 400, paths: ['/decay_t/1'] },
  { name: 'GET: a bad lr_scale', method: 'GET', url: '/v1/schedules/step?decay_t=5&lr=0.1&lr_scale=x&count=3', status: 400, paths: ['/lr_scale'] },
  { name: 'GET: a negative lr with lr_scale', method: 'GET', url: '/v1/schedules/step?decay_t=5&lr=-1&lr_scale=0.5&count=3', status: 400, paths: ['/lr'] },
  { name: 'GET: param_groups', method: 'GET', url: '/v1/schedules/step?decay_t=5&param_groups=0.1&count=3', status: 400, paths: ['/param_groups', '/lr'] },
  { name: 'GET: an unknown parameter', method: 'GET', url: '/v1/schedules/step?decay_t=5&lr=0.1&count=3&gamma=0.1', status: 400, paths: ['/gamma'] },
  { name: 'GET: a scalar given twice', method: 'GET', url: '/v1/schedules/step?decay_t=5&decay_t=6&lr=0.1&count=3', status: 400, paths: ['/decay_t'] },
  { name: 'GET: the point route without t', method: 'GET', url: '/v1/schedules/cosine/lr?t_initial=10&lr=0.1', status: 400, paths: ['/t'] },
  { name: 'GET: the point route with start', method: 'GET', url: '/v1/schedules/cosine/lr?t_initial=10&lr=0.1&t=1&start=2', status: 400, paths: ['/start'] },
  { name: 'GET: the range route with t', method: 'GET', url: '/v1/schedules/cosine?t_initial=10&lr=0.1&t=1', status: 400, paths: ['/t'] },
  { name: 'GET: a negative t', method: 'GET', url: '/v1/schedules/cosine/lr?t_initial=10&lr=0.1&t=-1', status: 400, paths: ['/t'] },
  { name: 'GET: a __proto__ parameter', method: 'GET', url: '/v1/schedules/step?decay_t=5&lr=0.1&count=3&__proto__=x&__proto__=y', status: 400, paths: ['/__proto__'] },
  { name: 'GET: a constructor parameter', method: 'GET', url: '/v1/schedules/step?decay_t=5&lr=0.1&count=3&constructor=x', status: 400, paths: ['/constructor'] },
  { name: 'GET: an unknown scheduler', method: 'GET', url: '/v1/schedules/onecycle?lr=0.1', status: 404, paths: ['/scheduler'] },
  // Plans.
  { name: 'plan: an unknown sched', url: '/v1/plans', body: { ...plan, sched: 'onecycle' }, status: 400, paths: ['/sched'] },
  { name: 'plan: no updates_per_epoch', url: '/v1/plans', body: { sched: 'cosine', lr: 0.1 }, status: 400, paths: ['/updates_per_epoch'] },
  { name: 'plan: milestones out of order', url: '/v1/plans', body: { ...plan, sched: 'multistep', decay_milestones: [90, 30] }, status: 400, paths: ['/decay_milestones/1'] },
  { name: 'plan: a noise limit that would spin', url: '/v1/plans', body: { ...plan, lr_noise: 0.5, lr_noise_pct: 0 }, status: 400, paths: ['/lr_noise_pct'] },
  { name: "plan: a constructor's name for a train.py argument", url: '/v1/plans', body: { ...plan, num_epochs: 10 }, status: 400, paths: ['/num_epochs'] },
  { name: 'plan: plateau on updates', url: '/v1/plans', body: { ...plan, sched: 'plateau', sched_on_updates: true, metrics: [] }, status: 422, paths: ['/sched_on_updates'] },
  { name: 'plan: plateau without enough metrics', url: '/v1/plans', body: { ...plan, sched: 'plateau', metrics: [1, 2] }, status: 422, paths: ['/metrics'] },
  { name: 'plan: shrinking cycles with a cooldown past their end', url: '/v1/plans', body: { ...plan, warmup_epochs: 0, lr_cycle_mul: 0.5, lr_cycle_limit: 2, cooldown_epochs: 20 }, status: 422, paths: ['/lr_cycle_mul'] },
  { name: 'plan: over MAX_VALUES', url: '/v1/plans', body: { ...plan, epochs: 300, updates_per_epoch: 5000 }, status: 422, paths: ['/count'] },
  { name: 'plan: a page past the run', url: '/v1/plans', body: { ...plan, epochs: 3, updates_per_epoch: 10, start: 25, count: 10 }, status: 422, paths: ['/count'] },
  { name: 'plan: updates and epochs both', url: '/v1/plans', body: { ...plan, updates_per_epoch: 10, start: 5, epoch_start: 1 }, status: 400, paths: ['/start'] },
  // Formats: errors are problems whatever format was asked.
  { name: 'format: an unknown format', url: '/v1/schedules?format=pdf', body: step, status: 400, paths: ['/format'] },
  { name: 'format: log_scale that is not a boolean', url: '/v1/schedules?format=svg&log_scale=1', body: step, status: 400, paths: ['/log_scale'] },
  { name: 'format: a misspelt query parameter', url: '/v1/schedules?fromat=csv', body: step, status: 400, paths: ['/fromat'] },
  { name: 'format: a request field in the query', url: '/v1/schedules?count=5', body: step, status: 400, paths: ['/count'] },
  { name: 'format: given twice', url: '/v1/schedules?format=csv&format=svg', body: step, status: 400, paths: ['/format'] },
  { name: 'format: a bad body asked as SVG', url: '/v1/schedules?format=svg', body: { ...step, decay_t: 0 }, status: 400, paths: ['/decay_t'] },
  { name: 'format: a bad body asked as CSV', url: '/v1/schedules?format=csv', body: { ...step, decay: 1 }, status: 400, paths: ['/decay'] },
  { name: 'format: timm refuses, asked as SVG', url: '/v1/schedules?format=svg', body: { ...cosine, cycle_mul: 0.5, count: 100 }, status: 422, paths: ['/cycle_mul'] },
  { name: 'format: GET, an unknown format', method: 'GET', url: '/v1/schedules/step?decay_t=5&lr=0.1&count=3&format=png', status: 400, paths: ['/format'] },
  { name: 'format: GET, log_scale that is not a boolean', method: 'GET', url: '/v1/schedules/step?decay_t=5&lr=0.1&count=3&format=svg&log_scale=on', status: 400, paths: ['/log_scale'] },
  { name: 'format: GET, a bad field and a bad format', method: 'GET', url: '/v1/schedules/step?decay_t=x&lr=0.1&count=3&format=png', status: 400, paths: ['/decay_t', '/format'] },
  { name: 'format: GET, the point route with an unknown format', method: 'GET', url: '/v1/schedules/step/lr?decay_t=5&lr=0.1&t=1&format=xlsx', status: 400, paths: ['/format'] },
  { name: 'format: GET, a bad query asked as CSV', method: 'GET', url: '/v1/schedules/cosine?lr=0.1&format=csv', status: 400, paths: ['/t_initial'] },
  { name: 'format: plan, an unknown format', url: '/v1/plans?format=pdf', body: plan, status: 400, paths: ['/format'] },
  { name: 'format: plan, a bad body asked as SVG', url: '/v1/plans?format=svg', body: { ...plan, epochs: 0 }, status: 400, paths: ['/epochs'] },
  // Plots.
  { name: 'plot: no series', url: '/v1/plots', body: {}, status: 400, paths: ['/series'] },
  { name: 'plot: an empty list of series', url: '/v1/plots', body: { series: [] }, status: 400, paths: ['/series'] },
  { name: 'plot: more series than a chart takes', url: '/v1/plots', body: { series: Array.from({ length: 11 }, (_, i) => ({ ...series, name: `s${i}` })) }, status: 400, paths: ['/series'] },
  { name: 'plot: a series that is not an object', url: '/v1/plots', body: { series: [series, 5] }, status: 400, paths: ['/series/1'] },
  { name: 'plot: a series without a name', url: '/v1/plots', body: { series: [step] }, status: 400, paths: ['/series/0/name'] },
  { name: 'plot: an empty name', url: '/v1/plots', body: { series: [{ ...series, name: '' }] }, status: 400, paths: ['/series/0/name'] },
  { name: 'plot: a blank name', url: '/v1/plots', body: { series: [{ ...series, name: '   ' }] }, status: 400, paths: ['/series/0/name'] },
  { name: 'plot: a name that is not a string', url: '/v1/plots', body: { series: [{ ...series, name: 5 }] }, status: 400, paths: ['/series/0/name'] },
  { name: 'plot: two series of one name', url: '/v1/plots', body: { series: [series, { ...series, decay_rate: 0.5 }] }, status: 400, paths: ['/series/1/name'] },
  { name: 'plot: series in different units', url: '/v1/plots', body: { series: [series, { ...series, name: 'b', unit: 'update' }] }, status: 400, paths: ['/series/1/unit'] },
  { name: 'plot: a bad field in the second series', url: '/v1/plots', body: { series: [series, { ...series, name: 'b', decay_rate: 'half' }] }, status: 400, paths: ['/series/1/decay_rate'] },
  { name: 'plot: an unknown scheduler in a series', url: '/v1/plots', body: { series: [{ ...series, scheduler: 'onecycle' }] }, status: 400, paths: ['/series/0/scheduler'] },
  { name: 'plot: a plateau series without metrics', url: '/v1/plots', body: { series: [series, { name: 'p', scheduler: 'plateau', lr: 0.1 }] }, status: 400, paths: ['/series/1/metrics'] },
  { name: 'plot: an unknown field beside the series', url: '/v1/plots', body: { series: [series], title: 'mine' }, status: 400, paths: ['/title'] },
  { name: 'plot: log_scale that is not a boolean', url: '/v1/plots', body: { series: [series], log_scale: 'yes' }, status: 400, paths: ['/log_scale'] },
  { name: 'plot: timm refuses a series', url: '/v1/plots', body: { series: [series, { ...cosine, name: 'b', cycle_mul: 0.5, count: 100 }] }, status: 422, paths: ['/series/1/cycle_mul'] },
  { name: 'plot: over MAX_VALUES together', url: '/v1/plots', body: { series: [{ ...series, count: 600_000 }, { ...series, name: 'b', count: 600_000 }] }, status: 422, paths: ['/series'] },
  { name: 'plot: a series over MAX_VALUES alone', url: '/v1/plots', body: { series: [series, { ...cosine, name: 'b', t_initial: 5_000_000 }] }, status: 422, paths: ['/series/1/count'] },
  { name: 'plot: GET', method: 'GET', url: '/v1/plots', status: 405, paths: [] },
  // Routes.
  { name: 'an unknown route', method: 'GET', url: '/v2/schedules', status: 404, paths: [] },
  { name: 'a method the route does not take', method: 'PUT', url: '/v1/schedules', body: step, status: 405, paths: [] }
]

t.ok(bad.length >= 25, `${bad.length} bad inputs`)

for (const input of bad) {
  t.test(input.name, async (t) => {
    const app = appFor(t)
    const method = input.method ?? 'POST'
    const headers: Record<string, string> = {}
    let payload: string | undefined
    if ('raw' in input) {
      payload = input.raw
      if (input.contentType !== '') headers['content-type'] = input.contentType ?? 'application/json'
    } else if (input.body !== undefined) {
      payload = JSON.stringify(input.body)
      headers['content-type'] = 'application/json'
    }
    const response = await app.inject({ method, url: input.url ?? '/v1/schedules', headers, ...(payload !== undefined && { payload }) })
    const paths = response.headers['content-type']?.toString().startsWith('application/problem+json') ? pathsOf(response.body) : ['(not a problem) ' + response.body.slice(0, 200)]
    t.same({ status: response.statusCode, paths }, { status: input.status, paths: input.paths }, response.body.slice(0, 400))
  })
}

t.test('a problem is RFC 9457: type, title, status, detail, errors', async (t) => {
  const app = appFor(t)
  const response = await app.inject({ method: 'POST', url: '/v1/schedules', payload: { scheduler: 'step', lr: 0.1, count: 3, decay_t: -1, decay_rate: 'x' } })
  t.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8')
  const problem = response.json()
  t.same(Object.keys(problem), ['type', 'title', 'status', 'detail', 'errors'])
  t.match(problem, { type: '/problems/invalid-request', title: 'Invalid request', status: 400, detail: /2 invalid fields: \/decay_t, \/decay_rate/ })
  const type = await app.inject({ method: 'GET', url: problem.type })
  t.equal(type.statusCode, 200, 'the type URI explains itself')
  t.match(type.body, /Invalid request \(HTTP 400\)/)
  const refused = (await app.inject({ method: 'POST', url: '/v1/schedules', payload: { scheduler: 'cosine', t_initial: 4, cycle_mul: 0.5, lr: 0.1, count: 20 } })).json()
  t.match(refused, { type: '/problems/schedule-refused', status: 422, detail: /cycle_mul 0.5 < 1.*ValueError/ }, "a refusal carries the engine's sentence")
  const missing = (await app.inject({ method: 'POST', url: '/v1/schedules', payload: { scheduler: 'cosine', lr: 0.1 } })).json()
  t.match(missing.errors, [{ path: '/t_initial', message: 'required (number)' }], 'a missing field says so')
  const body = (await app.inject({ method: 'POST', url: '/v1/schedules', headers: { 'content-type': 'application/json' }, payload: '{"a": 1,}' })).json()
  t.match(body, { type: 'about:blank', title: 'Bad Request', detail: /^The body is not valid JSON: / }, 'malformed JSON says where')
})

t.test('a 5xx says nothing of the failure', async (t) => {
  const app = appFor(t)
  app.get('/boom', async () => { throw new Error('secret internals at /srv/app.js:12') })
  const response = await app.inject({ method: 'GET', url: '/boom' })
  t.equal(response.statusCode, 500)
  t.same(response.json(), { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'The server could not answer this request. The error is logged.', errors: [] })
})

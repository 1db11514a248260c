/**
 * The formats of every schedule and plan route: CSV with the JSON answer's doubles,
 * SVG charts with their title and axes, the choice by `format` or by Accept, Vary
 * and ETag per representation, and errors as problems whatever format was asked.
 */
import t from 'tap'
import { negotiateFormat } from '../../src/http/negotiate.js'
import { appFor, queryOf, svgTexts } from './app.js'

type Body = Record<string, any>

/** A CSV answer's rows as cells, the header first (the last line ends in \n too). */
function rows (csv: string): string[][] {
  return csv.replace(/\n$/, '').split('\n').map((line) => line.split(','))
}

/** A cell as the number it reads back as; an empty cell is null. */
function cell (text: string): number | null {
  return text === '' ? null : Number(text)
}

/** A small request of each scheduler, with two param groups where the route can take them. */
const cases: Record<string, Body> = {
  step: { scheduler: 'step', decay_t: 2, decay_rate: 0.5, warmup_t: 1, warmup_lr_init: 1e-5, lr: 1e-4, count: 5 },
  multistep: { scheduler: 'multistep', decay_t: [1, 3], decay_rate: 0.1, lr: 0.1, count: 5 },
  cosine: { scheduler: 'cosine', t_initial: 4, lr_min: 1e-3, lr: 0.1 },
  tanh: { scheduler: 'tanh', t_initial: 4, lr: 0.1 },
  poly: { scheduler: 'poly', t_initial: 4, power: 2, lr: 0.1 },
  plateau: { scheduler: 'plateau', patience_t: 0, metrics: [1, 1, 1], lr: 0.1 }
}

const titles: Record<string, string> = {
  step: 'StepLRScheduler · decay_t=2, decay_rate=0.5, warmup_t=1, warmup_lr_init=1e-05',
  multistep: 'MultiStepLRScheduler · decay_t=[1, 3], decay_rate=0.1',
  cosine: 'CosineLRScheduler · t_initial=4, lr_min=0.001',
  tanh: 'TanhLRScheduler · t_initial=4',
  poly: 'PolyLRScheduler · power=2, t_initial=4',
  plateau: 'PlateauLRScheduler · patience_t=0'
}

for (const name of Object.keys(cases)) {
  const body = cases[name]
  const { scheduler: _scheduler, ...params } = body

  t.test(`${name}: CSV, the JSON answer's doubles as t,lr`, async (t) => {
    const app = appFor(t)
    const json = (await app.inject({ method: 'POST', url: '/v1/schedules', payload: body })).json()
    for (const [how, request] of [
      ['POST ?format=csv', { method: 'POST' as const, url: '/v1/schedules?format=csv', payload: body }],
      ['POST, Accept: text/csv', { method: 'POST' as const, url: '/v1/schedules', payload: body, headers: { accept: 'text/csv' } }],
      ['GET ?format=csv', { method: 'GET' as const, url: `/v1/schedules/${name}?${queryOf({ ...params, format: 'csv' })}` }],
      ['GET, Accept: text/csv', { method: 'GET' as const, url: `/v1/schedules/${name}?${queryOf(params)}`, headers: { accept: 'text/csv' } }]
    ] as const) {
      const response = await app.inject(request)
      t.equal(response.statusCode, 200, `${how}: ${response.body.slice(0, 200)}`)
      t.equal(response.headers['content-type'], 'text/csv; charset=utf-8', how)
      t.ok(response.body.endsWith('\n'), `${how}: every line ends in \\n`)
      const table = rows(response.body)
      t.same(table[0], ['t', 'lr'], `${how}: the header`)
      t.same(table.slice(1).map((row) => Number(row[0])), json.lr.map((_: unknown, i: number) => json.start + i), `${how}: a row per step`)
      t.ok(table.slice(1).every((row, i) => Object.is(cell(row[1]), json.lr[i])), `${how}: the same doubles`)
    }
  })

  t.test(`${name}: SVG, titled with the scheduler and its parameters`, async (t) => {
    const app = appFor(t)
    for (const [how, request] of [
      ['POST ?format=svg', { method: 'POST' as const, url: '/v1/schedules?format=svg', payload: body }],
      ['POST, Accept: image/svg+xml', { method: 'POST' as const, url: '/v1/schedules', payload: body, headers: { accept: 'image/svg+xml' } }],
      ['GET ?format=svg', { method: 'GET' as const, url: `/v1/schedules/${name}?${queryOf({ ...params, format: 'svg' })}` }]
    ] as const) {
      const response = await app.inject(request)
      t.equal(response.statusCode, 200, `${how}: ${response.body.slice(0, 200)}`)
      t.equal(response.headers['content-type'], 'image/svg+xml; charset=utf-8', how)
      t.match(response.body, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, how)
      t.match(response.body, `<title>${titles[name]}</title>`, `${how}: the title`)
      const texts = svgTexts(response.body)
      t.ok(texts.includes(titles[name]), `${how}: the title is drawn`)
      t.ok(texts.includes('epoch'), `${how}: the x axis`)
      t.ok(texts.includes('learning rate'), `${how}: the LR axis`)
    }
  })

  t.test(`${name}: one step as CSV and SVG`, async (t) => {
    const app = appFor(t)
    const { count: _count, ...rest } = params
    const query = queryOf({ ...rest, t: 2 })
    const point = (await app.inject({ method: 'GET', url: `/v1/schedules/${name}/lr?${query}` })).json()
    t.type(point.lr, 'number')
    const csv = await app.inject({ method: 'GET', url: `/v1/schedules/${name}/lr?${query}&format=csv` })
    t.equal(csv.headers['content-type'], 'text/csv; charset=utf-8')
    t.equal(csv.body, `t,lr\n2,${point.lr}\n`)
    const svg = await app.inject({ method: 'GET', url: `/v1/schedules/${name}/lr?${query}`, headers: { accept: 'image/svg+xml' } })
    t.equal(svg.headers['content-type'], 'image/svg+xml; charset=utf-8')
    t.match(svg.body, `<desc>group 0: 1 steps from t=2; first ${point.lr}, last ${point.lr}`)
  })
}

t.test('CSV: exactly, for a small case with two groups and a window', async (t) => {
  const app = appFor(t)
  const body = { scheduler: 'step', decay_t: 2, decay_rate: 0.5, param_groups: [{ lr: 0.1 }, { lr: 0.1, lr_scale: 0.5 }], start: 1, count: 4 }
  const json = (await app.inject({ method: 'POST', url: '/v1/schedules', payload: body })).json()
  t.same(json.lr, [[0.1, 0.05], [0.05, 0.025], [0.05, 0.025], [0.025, 0.0125]])
  const csv = await app.inject({ method: 'POST', url: '/v1/schedules?format=csv', payload: body })
  t.equal(csv.body, 't,lr_0,lr_1\n1,0.1,0.05\n2,0.05,0.025\n3,0.05,0.025\n4,0.025,0.0125\n')
  const raw = await app.inject({ method: 'GET', url: '/v1/schedules/step?decay_t=5&t_in_epochs=false&lr=1e-4&count=3&view=raw&format=csv' })
  t.equal(raw.body, 't,lr\n0,\n1,\n2,\n', 'no value: an empty cell')
})

t.test('a plan as CSV (update,lr) and as SVG', async (t) => {
  const app = appFor(t)
  const body = { sched: 'step', epochs: 4, decay_epochs: 2, decay_rate: 0.8, warmup_epochs: 1, warmup_lr: 1e-5, lr: 1e-4, updates_per_epoch: 3 }
  const json = (await app.inject({ method: 'POST', url: '/v1/plans', payload: body })).json()
  const csv = await app.inject({ method: 'POST', url: '/v1/plans', payload: body, headers: { accept: 'text/csv' } })
  t.equal(csv.headers['content-type'], 'text/csv; charset=utf-8')
  t.equal(csv.body, ['update,lr', ...json.lr.map((lr: number, u: number) => `${u},${lr}`)].join('\n') + '\n')
  t.equal(csv.body.split('\n')[4], '3,0.0001', 'the first update of epoch 1')
  const svg = await app.inject({ method: 'POST', url: '/v1/plans?format=svg&log_scale=true', payload: body })
  t.equal(svg.headers['content-type'], 'image/svg+xml; charset=utf-8')
  const texts = svgTexts(svg.body)
  t.match(svg.body, "<title>StepLRScheduler (train.py) · sched='step', epochs=4, decay_epochs=2, warmup_epochs=1, decay_rate=0.8</title>", "the title: train.py's arguments")
  t.ok(texts.includes('lr=0.0001 · 4 epochs × 3 updates'), 'the subtitle')
  t.ok(texts.includes('update'), 'per update')
  t.ok(texts.includes('learning rate (log scale)'), 'log_scale')
})

t.test('SVG: log_scale, a line per group, and the parameters the client wrote', async (t) => {
  const app = appFor(t)
  const log = await app.inject({ method: 'GET', url: '/v1/schedules/cosine?t_initial=10&lr=0.1&format=svg&log_scale=true' })
  t.ok(svgTexts(log.body).includes('learning rate (log scale)'))
  const linear = await app.inject({ method: 'GET', url: '/v1/schedules/cosine?t_initial=10&lr=0.1&format=svg&log_scale=false' })
  t.ok(svgTexts(linear.body).includes('learning rate'))
  const groups = await app.inject({ method: 'POST', url: '/v1/schedules?format=svg', payload: { scheduler: 'cosine', t_initial: 10, param_groups: [{ lr: 0.1 }, { lr: 0.1, lr_scale: 0.5 }] } })
  const texts = svgTexts(groups.body)
  t.ok(texts.includes('group 0') && texts.includes('group 1'), 'a legend entry per group')
  t.ok(texts.includes('lr=[0.1, 0.1], lr_scale=[None, 0.5]'), 'the groups in the subtitle')
  // The tutorial's decay_rate=1.0 is timm's default, and shown because the request wrote it.
  const explicit = await app.inject({ method: 'POST', url: '/v1/schedules?format=svg', payload: { scheduler: 'step', decay_t: 5, decay_rate: 1.0, lr: 1e-4, count: 50 } })
  t.match(explicit.body, '<title>StepLRScheduler · decay_t=5, decay_rate=1</title>')
  const viaGet = await app.inject({ method: 'GET', url: '/v1/schedules/step?decay_t=5&decay_rate=1.0&lr=1e-4&count=50&format=svg' })
  t.equal(viaGet.body, explicit.body, 'GET and POST draw the same chart')
  const implicit = await app.inject({ method: 'POST', url: '/v1/schedules?format=svg', payload: { scheduler: 'step', decay_t: 5, lr: 1e-4, count: 50 } })
  t.match(implicit.body, '<title>StepLRScheduler · decay_t=5</title>')
  const json = await app.inject({ method: 'GET', url: '/v1/schedules/cosine?t_initial=10&lr=0.1&log_scale=true' })
  t.equal(json.headers['content-type'], 'application/json; charset=utf-8', 'log_scale does not change a JSON answer')
})

t.test('Accept: the most preferred format; format= decides over it', async (t) => {
  const app = appFor(t)
  const url = '/v1/schedules/step?decay_t=5&lr=0.1&count=3'
  const cases: Array<[string | undefined, string]> = [
    [undefined, 'application/json'],
    ['*/*', 'application/json'],
    ['application/json', 'application/json'],
    ['text/csv', 'text/csv'],
    ['image/svg+xml', 'image/svg+xml'],
    ['text/*', 'text/csv'],
    ['image/*', 'image/svg+xml'],
    ['text/csv;q=0.5, image/svg+xml', 'image/svg+xml'],
    ['text/csv, image/svg+xml;q=0.9', 'text/csv'],
    ['text/csv, image/svg+xml', 'text/csv'],
    ['application/json;q=0.1, text/csv;q=0.2', 'text/csv'],
    ['image/svg+xml;q=0, */*', 'application/json'],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'application/json'],
    ['text/html', 'application/json'],
    ['TEXT/CSV', 'text/csv'],
    ['image/svg+xml, application/problem+json', 'image/svg+xml'],
    ['not a media type', 'application/json']
  ]
  for (const [accept, type] of cases) {
    const response = await app.inject({ method: 'GET', url, headers: accept === undefined ? {} : { accept } })
    t.equal(String(response.headers['content-type']).split(';')[0], type, `Accept: ${accept ?? '(none)'}`)
    t.equal(negotiateFormat(accept), ({ 'application/json': 'json', 'text/csv': 'csv', 'image/svg+xml': 'svg' } as Record<string, string>)[type])
  }
  const over = await app.inject({ method: 'GET', url: `${url}&format=json`, headers: { accept: 'text/csv' } })
  t.equal(over.headers['content-type'], 'application/json; charset=utf-8', 'format=json over Accept: text/csv')
  const svg = await app.inject({ method: 'POST', url: '/v1/schedules?format=svg', payload: { scheduler: 'step', decay_t: 5, lr: 0.1, count: 3 }, headers: { accept: 'text/csv' } })
  t.equal(svg.headers['content-type'], 'image/svg+xml; charset=utf-8', 'format=svg over Accept: text/csv')
})

t.test('Vary: Accept, and an ETag per representation', async (t) => {
  const app = appFor(t)
  const url = '/v1/schedules/cosine?t_initial=10&lr=0.1'
  const json = await app.inject({ method: 'GET', url })
  const csv = await app.inject({ method: 'GET', url, headers: { accept: 'text/csv' } })
  const svg = await app.inject({ method: 'GET', url, headers: { accept: 'image/svg+xml' } })
  for (const [name, response] of [['json', json], ['csv', csv], ['svg', svg]] as const) {
    t.equal(response.headers.vary, 'Accept', `${name}: Vary: Accept`)
    t.match(response.headers['cache-control'], /^public, max-age=\d+/, `${name}: cacheable`)
    t.type(response.headers.etag, 'string', `${name}: an ETag`)
  }
  t.equal(new Set([json.headers.etag, csv.headers.etag, svg.headers.etag]).size, 3, 'a tag per representation')
  const notModified = await app.inject({ method: 'GET', url, headers: { accept: 'text/csv', 'if-none-match': String(csv.headers.etag) } })
  t.equal(notModified.statusCode, 304)
  t.equal(notModified.headers.vary, 'Accept')
  const other = await app.inject({ method: 'GET', url, headers: { accept: 'text/csv', 'if-none-match': String(json.headers.etag) } })
  t.equal(other.statusCode, 200, "the JSON answer's tag does not match the CSV answer")
  t.equal(other.body, csv.body)
  const post = await app.inject({ method: 'POST', url: '/v1/schedules', payload: { scheduler: 'cosine', t_initial: 10, lr: 0.1 } })
  t.equal(post.headers.vary, 'Accept', 'POST answers vary with Accept too')
})

t.test('errors are problems whatever format was asked', async (t) => {
  const app = appFor(t)
  const bad = { scheduler: 'step', decay_t: 0, lr: 0.1, count: 3 }
  const requests = [
    { method: 'POST' as const, url: '/v1/schedules?format=svg', payload: bad },
    { method: 'POST' as const, url: '/v1/schedules?format=csv', payload: bad },
    { method: 'POST' as const, url: '/v1/schedules', payload: bad, headers: { accept: 'image/svg+xml' } },
    { method: 'POST' as const, url: '/v1/schedules', payload: bad, headers: { accept: 'text/csv' } },
    { method: 'GET' as const, url: '/v1/schedules/step?decay_t=0&lr=0.1&count=3&format=svg' },
    { method: 'GET' as const, url: '/v1/schedules/step?decay_t=0&lr=0.1&count=3', headers: { accept: 'text/csv' } },
    { method: 'GET' as const, url: '/v1/schedules/step/lr?decay_t=0&lr=0.1&t=3&format=csv' },
    { method: 'POST' as const, url: '/v1/plans?format=svg', payload: { sched: 'onecycle', lr: 0.1, updates_per_epoch: 1 } }
  ]
  for (const request of requests) {
    const response = await app.inject(request)
    const what = `${request.method} ${request.url} ${JSON.stringify(request.headers ?? {})}`
    t.equal(response.statusCode, 400, what)
    t.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8', what)
    t.match(response.json(), { type: '/problems/invalid-request', errors: [{ path: request.url.startsWith('/v1/plans') ? '/sched' : '/decay_t' }] }, what)
    t.notOk(response.headers['cache-control'], `${what}: not cacheable`)
  }
  const refused = await app.inject({ method: 'GET', url: '/v1/schedules/cosine?t_initial=4&cycle_mul=0.5&lr=0.1&count=20&format=svg' })
  t.equal(refused.statusCode, 422)
  t.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8', "timm's refusal too")
  const tooMany = await app.inject({ method: 'GET', url: '/v1/schedules/cosine?t_initial=2000000&lr=0.1&format=csv' })
  t.match(tooMany.json(), { type: '/problems/too-many-values' }, 'and the limit')
})

t.test('1,000,000 rows of CSV, streamed in whole rows', async (t) => {
  const app = appFor(t)
  const url = '/v1/schedules/cosine?t_initial=1000000&lr=0.1'
  const csv = await app.inject({ method: 'GET', url: `${url}&format=csv` })
  t.equal(csv.statusCode, 200)
  t.equal(csv.headers['transfer-encoding'], 'chunked', 'streamed')
  t.equal(csv.headers.vary, 'Accept')
  const lines = csv.body.split('\n')
  t.equal(lines.length, 1_000_002, 'the header, a row per step, and the final newline')
  t.equal(lines[1_000_001], '')
  const last = (await app.inject({ method: 'GET', url: '/v1/schedules/cosine/lr?t_initial=1000000&lr=0.1&t=999999' })).json()
  t.equal(lines[1_000_000], `999999,${last.lr}`)
  t.equal(lines[500_001].split(',')[0], '500000', 'rows in order across the chunks')
  const svg = await app.inject({ method: 'GET', url: `${url}&format=svg` })
  t.equal(svg.statusCode, 200)
  t.match(svg.body, /<desc>group 0: 1000000 steps from t=0; first 0\.1, /, 'a chart of every step, drawn from fewer points')
})

/**
 * `POST /v1/plots`: named schedules on one chart, a legend entry per name, each
 * series validated as a `/v1/schedules` body and reported at its own path.
 */
import t from 'tap'
import { MAX_SERIES } from '../../src/http/schemas.js'
import { appFor, pathsOf, svgTexts } from './app.js'

const withWarmup = { name: 'With warmup', scheduler: 'step', decay_t: 5, decay_rate: 0.8, warmup_t: 2, warmup_lr_init: 1e-5, lr: 1e-4, count: 50 }
const withoutWarmup = { name: 'Without warmup', scheduler: 'step', decay_t: 5, decay_rate: 0.8, lr: 1e-4, count: 50 }

/** The `<desc>` of a chart: a line per drawn series. */
function desc (svg: string): string[] {
  return (/<desc>([^<]*)<\/desc>/.exec(svg)?.[1] ?? '').split('\n')
}

t.test("the tutorial's figure: a legend entry per series name", async (t) => {
  const app = appFor(t)
  const response = await app.inject({ method: 'POST', url: '/v1/plots', payload: { series: [withWarmup, withoutWarmup] } })
  t.equal(response.statusCode, 200, response.body.slice(0, 300))
  t.equal(response.headers['content-type'], 'image/svg+xml; charset=utf-8')
  const texts = svgTexts(response.body)
  t.ok(texts.includes('With warmup') && texts.includes('Without warmup'), 'the names in the legend')
  t.ok(texts.includes('StepLRScheduler · decay_t=5, decay_rate=0.8'), 'the title: what the series share')
  t.ok(texts.includes('lr=0.0001'))
  t.ok(texts.includes('epoch') && texts.includes('learning rate'), 'the axes')
  const lines = [...response.body.matchAll(/class="mark-line[^"]*"[^>]*>((?:<path[^>]*\/>)+)/g)].flatMap((match) => match[1].match(/<path/g) ?? [])
  t.equal(lines.length, 2, 'a line per series')
  // The lines are drawn from the same values /v1/schedules answers.
  const values = await Promise.all([withWarmup, withoutWarmup].map(async ({ name: _name, ...body }) => (await app.inject({ method: 'POST', url: '/v1/schedules', payload: body })).json().lr as number[]))
  t.same(desc(response.body), [
    `With warmup: 50 steps from t=0; first ${values[0][0]}, last ${values[0][49]}, min ${Math.min(...values[0])}, max ${Math.max(...values[0])}`,
    `Without warmup: 50 steps from t=0; first ${values[1][0]}, last ${values[1][49]}, min ${Math.min(...values[1])}, max ${Math.max(...values[1])}`
  ])
})

t.test('series of several schedulers, groups and units; log_scale', async (t) => {
  const app = appFor(t)
  const response = await app.inject({
    method: 'POST',
    url: '/v1/plots',
    payload: {
      series: [
        { name: 'cosine', scheduler: 'cosine', t_initial: 20, lr: 0.1 },
        { name: 'poly', scheduler: 'poly', t_initial: 20, power: 2, param_groups: [{ lr: 0.1 }, { lr: 0.1, lr_scale: 0.1 }] },
        { name: 'plateau', scheduler: 'plateau', patience_t: 1, metrics: [1, 1, 1, 1, 1], lr: 0.1 }
      ],
      log_scale: true
    }
  })
  t.equal(response.statusCode, 200, response.body.slice(0, 300))
  const texts = svgTexts(response.body)
  for (const name of ['cosine', 'poly · group 0', 'poly · group 1', 'plateau']) t.ok(texts.includes(name), `legend: ${name}`)
  t.ok(texts.includes('learning rate (log scale)'))
  t.match(texts.join('\n'), /CosineLRScheduler vs PolyLRScheduler vs PlateauLRScheduler/)
  t.same(desc(response.body).map((line) => line.split(':')[0]), ['cosine', 'poly · group 0', 'poly · group 1', 'plateau'])
  const perUpdate = await app.inject({ method: 'POST', url: '/v1/plots', payload: { series: [{ name: 'a', scheduler: 'cosine', t_initial: 10, t_in_epochs: false, unit: 'update', lr: 0.1 }] } })
  t.ok(svgTexts(perUpdate.body).includes('update'), 'the unit the series share')
  t.ok(!svgTexts(perUpdate.body).includes('a'), 'one series: no legend')
})

t.test('a bad series is a 400 at its own path; a refusal a 422', async (t) => {
  const app = appFor(t)
  const cases: Array<[string, Record<string, unknown>, number, string[]]> = [
    ['a bad field in series 1', { series: [withWarmup, { ...withoutWarmup, decay_rate: 'x' }] }, 400, ['/series/1/decay_rate']],
    ['an unknown scheduler in series 0', { series: [{ ...withWarmup, scheduler: 'linear' }] }, 400, ['/series/0/scheduler']],
    ['an unknown parameter in series 1', { series: [withWarmup, { ...withoutWarmup, gamma: 0.1 }] }, 400, ['/series/1/gamma']],
    ['timm refuses series 1', { series: [withWarmup, { name: 'shrinking', scheduler: 'cosine', t_initial: 4, cycle_mul: 0.5, lr: 0.1, count: 20 }] }, 422, ['/series/1/cycle_mul']]
  ]
  for (const [what, payload, status, paths] of cases) {
    const response = await app.inject({ method: 'POST', url: '/v1/plots', payload })
    t.equal(response.statusCode, status, what)
    t.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8', what)
    t.same(pathsOf(response.body), paths, what)
  }
  const refused = (await app.inject({ method: 'POST', url: '/v1/plots', payload: cases[3][1] })).json()
  t.match(refused.detail, /^series 1 \("shrinking"\): .*cycle_mul/, 'the detail names the series')
})

t.test('MAX_VALUES counts every series, before any is computed', async (t) => {
  const app = appFor(t, { maxValues: 100 })
  const series = (count: number, name: string) => ({ name, scheduler: 'step', decay_t: 5, lr: 0.1, count })
  const fits = await app.inject({ method: 'POST', url: '/v1/plots', payload: { series: [series(50, 'a'), series(50, 'b')] } })
  t.equal(fits.statusCode, 200, '50 + 50 values fit in 100')
  const over = await app.inject({ method: 'POST', url: '/v1/plots', payload: { series: [series(50, 'a'), series(51, 'b')] } })
  t.equal(over.statusCode, 422)
  t.match(over.json(), { type: '/problems/too-many-values', detail: /50 \+ 51 = 101 values across 2 series, above the limit of 100 values/, errors: [{ path: '/series' }] })
  const alone = await app.inject({ method: 'POST', url: '/v1/plots', payload: { series: [series(10, 'a'), series(101, 'b')] } })
  t.match(alone.json(), { type: '/problems/too-many-values', errors: [{ path: '/series/1/count' }] }, 'one series over the limit by itself is named')
  const cycle = await app.inject({ method: 'POST', url: '/v1/plots', payload: { series: [series(10, 'a'), { name: 'b', scheduler: 'cosine', t_initial: 1e12, lr: 0.1 }] } })
  t.match(cycle.json(), { status: 422, errors: [{ path: '/series/1/count' }] }, 'a default count of 10^12 is refused, not allocated')
})

t.test(`1 to ${MAX_SERIES} series`, async (t) => {
  const app = appFor(t)
  const many = Array.from({ length: MAX_SERIES }, (_, i) => ({ name: `decay_rate ${i / 10}`, scheduler: 'step', decay_t: 2, decay_rate: i / 10, lr: 0.1, count: 10 }))
  const full = await app.inject({ method: 'POST', url: '/v1/plots', payload: { series: many } })
  t.equal(full.statusCode, 200)
  t.equal(desc(full.body).length, MAX_SERIES, 'a line each')
  const tooMany = await app.inject({ method: 'POST', url: '/v1/plots', payload: { series: [...many, { ...many[0], name: 'one more' }] } })
  t.equal(tooMany.statusCode, 400)
  t.same(pathsOf(tooMany.body), ['/series'])
})

/**
 * Plans at real scale: the ImageNet recipe in one answer, pages (by updates or by
 * epochs) that are slices of the whole, the cacheable GET form, a resumed run
 * (train.py's start_epoch), the run's size stated on every page and in every format,
 * and compression where it pays.
 */
import { gunzipSync } from 'node:zlib'
import t from 'tap'
import { DEFAULT_MAX_VALUES } from '../../src/settings.js'
import { appFor, queryOf } from './app.js'

const cosine = { sched: 'cosine', epochs: 12, warmup_epochs: 2, lr: 0.1, updates_per_epoch: 7, sched_on_updates: true }
const step = { sched: 'step', epochs: 10, decay_epochs: 3, decay_rate: 0.5, warmup_epochs: 1, lr: 0.1, updates_per_epoch: 5 }

t.test('pages by updates and by epochs are slices of the whole run', async (t) => {
  const app = appFor(t)
  for (const run of [cosine, step]) {
    const whole = (await app.inject({ method: 'POST', url: '/v1/plans', payload: run })).json()
    t.equal(whole.total_updates, whole.num_epochs * run.updates_per_epoch)
    t.equal(whole.lr.length, whole.total_updates)
    for (const [window, from, to] of [[{ start: 10, count: 20 }, 10, 30], [{ epoch_start: 3, epoch_count: 2 }, 21, 35], [{ epoch_start: 5 }, 35, whole.total_updates]] as const) {
      const page = (await app.inject({ method: 'POST', url: '/v1/plans', payload: { ...run, ...window } })).json()
      const expectedStart = 'start' in window ? from : (window.epoch_start ?? 0) * run.updates_per_epoch
      t.match(page, { num_epochs: whole.num_epochs, total_updates: whole.total_updates, start: expectedStart })
      t.same(page.lr, whole.lr.slice(expectedStart, expectedStart + page.count), `${run.sched} ${JSON.stringify(window)}`)
      if (to === whole.total_updates) t.equal(expectedStart + page.count, whole.total_updates, 'to the end of the run by default')
    }
    const get = await app.inject({ method: 'GET', url: `/v1/plans?${queryOf(run)}` })
    t.equal(get.body, JSON.stringify(whole), 'GET /v1/plans: the same answer')
    t.match(get.headers['cache-control'], /public/)
  }
})

t.test('the ImageNet recipe fits one answer, and states the run on every page, in every format', async (t) => {
  const app = appFor(t, { maxValues: DEFAULT_MAX_VALUES })
  const imagenet = { sched: 'cosine', epochs: 300, updates_per_epoch: 5005, sched_on_updates: true, param_groups: [{ lr: 0.5 }, { lr: 0.5 }] }
  const npy = await app.inject({ method: 'POST', url: '/v1/plans?format=npy', payload: imagenet })
  t.equal(npy.statusCode, 200)
  t.match(npy.rawPayload.subarray(10, 80).toString('latin1'), "'shape': (2, 1501500)")
  t.equal(npy.rawPayload.length % 8, 0)
  t.equal(npy.headers['lr-num-epochs'], '300')
  t.equal(npy.headers['lr-total-updates'], '1501500')
  const page = await app.inject({ method: 'POST', url: '/v1/plans?format=csv', payload: { ...imagenet, epoch_start: 299, epoch_count: 1 } })
  t.equal(page.headers['lr-total-updates'], '1501500')
  t.equal(page.headers['lr-start'], String(299 * 5005))
  t.equal(page.body.split('\n')[1].split(',')[0], String(299 * 5005), 'the page from epoch 299')
})

t.test("a resumed run (train.py's start_epoch) is the whole run's tail", async (t) => {
  const app = appFor(t)
  for (const run of [cosine, step, { ...step, sched_on_updates: true }] as Array<Record<string, any>>) {
    const whole = (await app.inject({ method: 'POST', url: '/v1/plans', payload: run })).json()
    const resumed = (await app.inject({ method: 'POST', url: '/v1/plans', payload: { ...run, start_epoch: 4 } })).json()
    t.match(resumed, { start_epoch: 4, start: 4 * run.updates_per_epoch, num_epochs: whole.num_epochs })
    t.same(resumed.lr, whole.lr.slice(4 * run.updates_per_epoch), `${run.sched}${run.sched_on_updates ? ' on updates' : ''}`)
  }
  const before = await app.inject({ method: 'POST', url: '/v1/plans', payload: { ...step, start_epoch: 4, start: 3 } })
  t.match(before.json(), { status: 422, errors: [{ path: '/start' }] }, 'a window before the resumed epoch')
  const past = await app.inject({ method: 'POST', url: '/v1/plans', payload: { ...step, start_epoch: 10 } })
  t.match(past.json(), { status: 422, errors: [{ path: '/start_epoch' }] }, 'no epoch left to run')
  const plateau = { sched: 'plateau', epochs: 6, warmup_epochs: 2, lr: 0.1, updates_per_epoch: 2, metrics: [1, 2, 3, 4, 5] }
  const early = await app.inject({ method: 'POST', url: '/v1/plans', payload: { ...plateau, start_epoch: 2 } })
  t.equal(early.statusCode, 200, 'plateau resumed within its warmup')
  const late = await app.inject({ method: 'POST', url: '/v1/plans', payload: { ...plateau, start_epoch: 3 } })
  t.match(late.json(), { status: 422, detail: /TypeError/, errors: [{ path: '/start_epoch' }] }, "plateau past its warmup: timm's TypeError")
})

t.test('compression: text formats for a client that accepts it, not NPY or Arrow', async (t) => {
  const app = appFor(t)
  const url = `/v1/plans?${queryOf({ ...cosine, epochs: 100, updates_per_epoch: 100 })}`
  const plain = await app.inject({ method: 'GET', url })
  const gzipped = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } })
  t.equal(gzipped.headers['content-encoding'], 'gzip')
  t.equal(gunzipSync(gzipped.rawPayload).toString(), plain.body, 'the same JSON')
  t.ok(gzipped.rawPayload.length < plain.rawPayload.length / 2, `${gzipped.rawPayload.length} bytes against ${plain.rawPayload.length}`)
  const brotli = await app.inject({ method: 'GET', url: url + '&format=csv', headers: { 'accept-encoding': 'br' } })
  t.equal(brotli.headers['content-encoding'], 'br')
  const npy = await app.inject({ method: 'GET', url: url + '&format=npy', headers: { 'accept-encoding': 'gzip, br' } })
  t.notOk(npy.headers['content-encoding'], 'NPY is dense doubles: not compressed')
})

t.test("timm's initialize=false needs every group's initial_lr, as timm's KeyError says", async (t) => {
  const app = appFor(t)
  const missing = await app.inject({ method: 'POST', url: '/v1/schedules', payload: { scheduler: 'cosine', t_initial: 10, initialize: false, param_groups: [{ lr: 0.1, initial_lr: 0.2 }, { lr: 0.1 }] } })
  t.match(missing.json(), { status: 422, detail: /KeyError: initial_lr missing from param_groups\[1\]/, errors: [{ path: '/param_groups/1/initial_lr' }] })
  const given = (await app.inject({ method: 'POST', url: '/v1/schedules', payload: { scheduler: 'cosine', t_initial: 10, initialize: false, param_groups: [{ lr: 0.1, initial_lr: 0.2 }] } })).json()
  const initialized = (await app.inject({ method: 'POST', url: '/v1/schedules', payload: { scheduler: 'cosine', t_initial: 10, param_groups: [{ lr: 0.1, initial_lr: 0.2 }] } })).json()
  t.same(given.lr, initialized.lr, 'the same schedule from the same initial_lr')
  const plateau = await app.inject({ method: 'POST', url: '/v1/schedules', payload: { scheduler: 'plateau', initialize: false, lr: 0.1, metrics: [1] } })
  t.equal(plateau.statusCode, 422)
})

/// <reference lib="dom" />
/**
 * The playground as a person uses it, in Debian's headless Chromium: the app runs in
 * this process on a free port, the page is driven through playwright-core, the curl
 * command the page copies is run against the same server, and the NPY file it
 * downloads is read by NumPy.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t, { type Test } from 'tap'
import { chromium, type Page } from 'playwright-core'
import { buildApp } from '../../src/app.js'

const CHROMIUM = '/usr/bin/chromium'
const PYTHON = '/usr/bin/python3'
const OUTPUT = 'test-output'
const run = promisify(execFile)

type Value = number | null
interface Answer { start: number, count: number, unit?: string, warnings?: string[], lr: (Value | Value[])[] }
interface Listing { schedulers: { name: string, library: string, example: { value: Record<string, unknown> } }[] }

if (!existsSync(CHROMIUM)) {
  t.plan(0, `skipped: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it)`)
} else {
  t.test('the playground, end to end', async (t) => {
    // One worker thread: the page's requests cross a real pool, and the test does not
    // wait for two to load on a shared machine.
    const app = await buildApp({ workers: 1 })
    // The worker loads the chart's renderer and the main thread writes the document
    // while Chromium starts.
    const warm = Promise.all([
      app.inject({ method: 'GET', url: '/openapi.json' }),
      app.inject({ method: 'POST', url: '/v1/schedules?format=svg', payload: { scheduler: 'step', decay_t: 5, lr: 0.1, count: 3 } })
    ])
    await app.listen({ port: 0, host: '127.0.0.1' })
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/`
    const profile = await mkdtemp(join(tmpdir(), 'lr-schedules-chromium-'))
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1400, height: 1000 },
      acceptDownloads: true
    })
    t.teardown(async () => {
      await context.close()
      await app.close()
      await rm(profile, { recursive: true, force: true })
    })
    await warm
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base.slice(0, -1) })
    const page = await context.newPage()
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(error.message))
    // Every JSON request for values: the page asks for a few rows, never a whole run.
    const valueRequests: { url: string, count: unknown }[] = []
    page.on('request', (request) => {
      const url = new URL(request.url())
      if (request.method() === 'POST' && /\/v1\/(schedules|plans)$/.test(url.pathname) && !url.searchParams.has('format')) {
        valueRequests.push({ url: url.pathname, count: (JSON.parse(request.postData() ?? '{}') as { count?: unknown }).count })
      }
    })
    await page.addInitScript(() => {
      const seen: string[] = []
      ;(window as unknown as { cspViolations: string[] }).cspViolations = seen
      document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`))
    })

    const api = async <T>(path: string, body?: unknown): Promise<T> => {
      const response = await fetch(new URL(path, base), body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      return await response.json() as T
    }
    const listing = await api<Listing>('v1/schedulers')
    const example = (name: string) => listing.schedulers.find((scheduler) => scheduler.name === name)!.example.value

    const response = await page.goto(base)
    if (response?.status() !== 200) {
      t.fail(`GET / answers ${response?.status()}: buildApp() must serve public/ (index.html at /)`)
      return
    }
    t.comment(`Content-Security-Policy: ${response?.headers()['content-security-policy'] ?? '(none)'}`)
    await waitForChart(page, { scheduler: 'step' })

    await t.test('the picker lists the registry by library; the form comes from the schema and starts from the example', async (t) => {
      t.same(await page.locator('#scheduler optgroup').evaluateAll((groups) => groups.map((group) => (group as HTMLOptGroupElement).label)), ['timm', 'torch.optim', 'transformers'])
      const names = await page.locator('#scheduler option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value))
      t.same(names, listing.schedulers.map((scheduler) => scheduler.name), 'every scheduler of GET /v1/schedulers, in its order')
      t.same(await page.locator('#scheduler optgroup[label=transformers] option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value)),
        listing.schedulers.filter((scheduler) => scheduler.library === 'transformers').map((scheduler) => scheduler.name))
      t.equal(await page.locator('#scheduler').inputValue(), 'step')
      const start = example('step')
      t.equal(await page.locator('[name=decay_rate]').inputValue(), String(start.decay_rate), "the registry's example")
      t.equal(await page.locator('[name="param_groups/0/lr"]').inputValue(), String(start.lr))
      t.match(await page.locator('#hint-decay_rate').textContent(), /The factor applied at every decay\. \(default 1\)/, 'description and default as help')
      t.match(await page.locator('#hint-decay_t').textContent(), /required, > 0/, 'a range')
      t.match(await page.locator('#hint-warmup_t').textContent(), /default 0, integer, ≥ 0/)
      t.same(await page.locator('#input-view option').allTextContents(), ['lr', 'noisy', 'raw'], 'an enum as a select')
      t.equal(await page.locator('[name="param_groups/0/lr_scale"]').count(), 1, "timm's groups have lr_scale")
    })

    const before = await chartContent(page)
    t.match(before.title, /^StepLRScheduler · decay_t=5, decay_rate=0\.8/)

    await t.test('changing a field redraws the chart; the table is what POST /v1/schedules answers', async (t) => {
      await page.locator('[name=decay_rate]').fill('0.5')
      await waitForChart(page, { decay_rate: 0.5 })
      const after = await chartContent(page)
      t.not(after.desc, before.desc, 'the chart describes other values')
      t.not(after.path, before.path, 'the line is drawn anew')
      t.match(after.title, /^StepLRScheduler · decay_t=5, decay_rate=0\.5/)
      await sameAsApi(t, page, 'v1/schedules', await shownRequest(page))
    })

    await t.test('the copied curl command returns the numbers the page shows', async (t) => {
      await page.locator('#copy-curl').click()
      const copied = await page.evaluate(() => navigator.clipboard.readText())
      t.equal(copied, await page.locator('#curl-command').textContent(), 'the clipboard holds the command shown')
      t.match(await page.locator('#copy-status').textContent(), /Copied/)
      t.match(copied, /^curl /)
      const { stdout } = await run('bash', ['-c', copied], { maxBuffer: 64 << 20 })
      const answer = JSON.parse(stdout) as Answer
      t.equal(answer.count, 50)
      const shown = await shownValues(page)
      t.ok(shown.length >= 10, `${shown.length} rows shown`)
      for (const { t: step, values } of shown) t.same(values, [answer.lr[step - answer.start]], `t = ${step}`)
      const { desc } = await chartContent(page)
      t.ok(desc.includes(`first ${answer.lr[0]}, last ${answer.lr[answer.count - 1]}`), 'the chart was drawn from the same values')
    })

    await t.test("the Python snippets: POST /v1/snippets' constructor, with timm's import and with the client's", async (t) => {
      const snippet = await api<{ import: string, constructor: string }>('v1/snippets', await shownRequest(page))
      const python = await page.locator('#python-snippet').textContent() ?? ''
      t.ok(python.startsWith(`${snippet.import}\n`), snippet.import)
      t.equal(flat(python.split('\n').filter((line) => !line.startsWith('#') && !line.startsWith('from')).join('\n')), flat(snippet.constructor), 'the constructor the API writes')
      t.match(python, /scheduler\.step\(epoch \+ 1\)/)
      const client = await page.locator('#client-snippet').textContent() ?? ''
      t.match(client, /^from lr_schedules_client\.timm import StepLRScheduler\n/)
      t.match(flat(client), flat(snippet.constructor))
      await page.locator('#copy-client').click()
      t.equal(await page.evaluate(() => navigator.clipboard.readText()), client, 'copied')
    })

    await t.test('a schedule that yields nothing in the unit asked: the warning is shown by the chart', async (t) => {
      t.notOk(await page.locator('#warnings').isVisible(), 'no warning yet')
      await page.locator('[name=t_in_epochs]').uncheck()
      await waitForChart(page, { t_in_epochs: false })
      const answer = await api<Answer>('v1/schedules', await shownRequest(page))
      t.ok(answer.warnings?.length, 'the API warns')
      t.ok(await page.locator('#warnings').isVisible())
      t.same(await page.locator('#warnings li').allTextContents(), answer.warnings)
      t.ok(await page.locator('.chart-panel #warnings + #chart').count(), 'right above the chart')
      await page.locator('input[name=unit][value=update]').check()
      await waitForChart(page, { unit: 'update' })
      t.notOk(await page.locator('#warnings').isVisible(), 'asked per update: no warning')
      await page.locator('input[name=unit][value=epoch]').check()
      await page.locator('[name=t_in_epochs]').check()
      await waitForChart(page, { scheduler: 'step' }, ['t_in_epochs', 'unit'])
    })

    await t.test("an invalid value shows the API's own message next to the field", async (t) => {
      const problem = await api<{ errors: { path: string, message: string }[] }>('v1/schedules', { ...await shownRequest(page), lr: -1 })
      const expected = problem.errors.find((error) => error.path === '/lr')
      t.ok(expected, 'the API names /lr')
      await page.locator('[name="param_groups/0/lr"]').fill('-1')
      await page.waitForSelector('#chart[data-state=error]')
      const shown = page.locator('[id="error-param_groups/0/lr"]')
      t.ok(await shown.isVisible(), 'the message is by the lr field')
      t.equal(await shown.textContent(), expected?.message)
      t.equal(await page.locator('[name="param_groups/0/lr"]').getAttribute('aria-invalid'), 'true')
      await page.locator('[name="param_groups/0/lr"]').fill('0.0001')
      await waitForChart(page, { lr: 0.0001 })
      t.notOk(await shown.isVisible(), 'gone once the value is valid')
    })

    await t.test('the link keeps the form', async (t) => {
      await page.locator('#log-scale').check()
      await page.waitForFunction(() => document.querySelector<HTMLElement>('#chart')?.dataset.state === 'ready' &&
        [...document.querySelectorAll('#chart svg text')].some((text) => text.textContent === 'learning rate (log scale)'))
      const request = await shownRequest(page)
      const again = await context.newPage()
      await again.goto(page.url())
      await waitForChart(again, request)
      t.equal(await again.locator('[name=decay_rate]').inputValue(), '0.5')
      t.ok(await again.locator('#log-scale').isChecked(), 'the log axis too')
      t.same(await shownRequest(again), request, 'the same request')
      await again.close()
      await page.locator('#log-scale').uncheck()
      await page.waitForFunction(() => document.querySelector<HTMLElement>('#chart')?.dataset.state === 'ready' && !location.hash.includes('log=1'))
    })

    await t.test('Download CSV: a link to the GET form of the same request', async (t) => {
      const href = await page.locator('#download-csv').getAttribute('href') ?? ''
      t.match(href, /\/v1\/schedules\/step\?.*decay_rate=0\.5.*format=csv/)
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download-csv').click()])
      const lines = (await readFile(await download.path(), 'utf8')).trim().split('\n')
      t.equal(lines[0], 't,lr')
      t.equal(lines.length, 51)
      t.equal(lines[1], '0,0.00001', 'warmup_lr_init at epoch 0')
      t.match(download.suggestedFilename(), /\.csv$/)
    })

    await t.test('several param groups: a line and a column each', async (t) => {
      await page.locator('#add-group').click()
      await waitForChart(page, { param_groups: [{ lr: 0.0001 }, { lr: 0.0001, lr_scale: 0.5 }] })
      const labels = await page.locator('#chart svg text').allTextContents()
      t.ok(labels.includes('group 0') && labels.includes('group 1'), 'a legend entry per group')
      t.same(await page.locator('#values thead th').allTextContents(), ['t', 'lr_0', 'lr_1'])
      await sameAsApi(t, page, 'v1/schedules', await shownRequest(page))
      await page.locator('[data-remove="1"]').click()
      await waitForChart(page, { lr: 0.0001 }, ['param_groups'])
    })

    await t.test('torch: SequentialLR takes its schedulers as JSON, checked by the API at the field', async (t) => {
      await page.locator('#scheduler').selectOption('torch.SequentialLR')
      await waitForChart(page, { scheduler: 'torch.SequentialLR' })
      const start = example('torch.SequentialLR')
      t.same(JSON.parse(await page.locator('[name=schedulers]').inputValue()), start.schedulers, 'prefilled from the example')
      t.equal(await page.locator('[name="param_groups/0/lr_scale"]').count(), 0, "torch's groups have no lr_scale")
      t.equal(await page.locator('input[name=unit]:visible').count(), 0, 'no timm unit')
      await sameAsApi(t, page, 'v1/schedules', await shownRequest(page))
      t.match(await page.locator('#chart svg > title').textContent(), /^SequentialLR · schedulers=\[LinearLR, CosineAnnealingLR\]/)
      const python = await page.locator('#python-snippet').textContent() ?? ''
      t.match(python, /^from torch\.optim\.lr_scheduler import LinearLR, CosineAnnealingLR, SequentialLR\n/, 'the children imported too')
      t.match(python, /SequentialLR\(\s*optimizer,\s*schedulers=\[LinearLR\(optimizer, start_factor=0\.1\), CosineAnnealingLR\(optimizer, T_max=95\)\]/)
      t.match(await page.locator('#client-snippet').textContent(), /^from lr_schedules_client\.torch import LinearLR, CosineAnnealingLR, SequentialLR\n/)
      t.equal(await page.locator('#download-npy').getAttribute('data-post'), 'true', 'no GET form for nested schedulers: the download POSTs')

      const text = await page.locator('[name=schedulers]').inputValue()
      await page.locator('[name=schedulers]').fill(text.replace('"T_max":95', '"T_max":95,"gamma":2'))
      await page.waitForSelector('#chart[data-state=error]')
      const problem = await api<{ errors: { path: string, message: string }[] }>('v1/schedules', { ...start, schedulers: [(start.schedulers as unknown[])[0], { scheduler: 'torch.CosineAnnealingLR', T_max: 95, gamma: 2 }] })
      t.equal(await page.locator('#error-schedulers').textContent(), `schedulers/1/gamma: ${problem.errors[0].message}`, 'the nested path and the message, at the field')
      await page.locator('[name=schedulers]').fill('[{"scheduler": ')
      await page.waitForFunction(() => /not valid JSON/.test(document.querySelector('#error-schedulers')?.textContent ?? ''))
      t.pass('a syntax error is said at the field')
      await page.locator('[name=schedulers]').fill(text)
      await waitForChart(page, { schedulers: start.schedulers })
      t.notOk(await page.locator('#error-schedulers').isVisible())
    })

    await t.test('torch: OneCycleLR, its count from the schedule', async (t) => {
      await page.locator('#scheduler').selectOption('torch.OneCycleLR')
      await waitForChart(page, { scheduler: 'torch.OneCycleLR' })
      t.equal(await page.locator('[name=max_lr]').inputValue(), String(example('torch.OneCycleLR').max_lr))
      await page.locator('[name=pct_start]').fill('0.1')
      await waitForChart(page, { pct_start: 0.1 })
      t.match(await page.locator('#status').textContent(), /^500 steps/)
      await sameAsApi(t, page, 'v1/schedules', await shownRequest(page))
    })

    await t.test("transformers: get_scheduler's fields, snippet and client", async (t) => {
      await page.locator('#scheduler').selectOption('transformers.cosine')
      await waitForChart(page, { scheduler: 'transformers.cosine' })
      t.equal(await page.locator('[name="param_groups/0/lr_scale"]').count(), 0)
      await page.locator('[name=num_warmup_steps]').fill('250')
      await waitForChart(page, { num_warmup_steps: 250 })
      await sameAsApi(t, page, 'v1/schedules', await shownRequest(page))
      const python = await page.locator('#python-snippet').textContent() ?? ''
      t.match(python, /^from transformers import get_scheduler\n/)
      t.match(flat(python), flat("get_scheduler('cosine', optimizer, num_warmup_steps=250, num_training_steps=1000)"))
      t.match(await page.locator('#client-snippet').textContent(), /^from lr_schedules_client\.transformers import get_scheduler\n/)
      await page.locator('#scheduler').selectOption('step')
      await waitForChart(page, { scheduler: 'step' })
      t.equal(await page.locator('[name=decay_rate]').inputValue(), '0.5', 'the step form is as it was left')
    })

    await t.test('train.py mode: the run as POST /v1/plans plans it', async (t) => {
      await page.locator('label.mode', { hasText: 'train.py' }).click()
      await waitForChart(page, { sched: 'step', updates_per_epoch: 10 })
      const request = await shownRequest(page)
      const plan = await api<Answer & { num_epochs: number, total_updates: number, scheduler_class: string }>('v1/plans', request)
      t.equal(await page.locator('#fact-epochs').textContent(), String(plan.num_epochs))
      t.equal(await page.locator('#fact-total').textContent(), String(plan.total_updates))
      t.equal(await page.locator('#fact-class').textContent(), plan.scheduler_class)
      t.match(await page.locator('#chart svg > title').textContent(), /^StepLRScheduler \(train\.py\)/, "the service's chart of the plan")
      t.same(await page.locator('#values thead th').allTextContents(), ['update', 'epoch', 'lr'])
      for (const { t: update, values } of await shownValues(page)) t.same(values, [plan.lr[update]], `update ${update}`)
      t.match(await page.locator('#trainpy-command').textContent(), /--sched step[\s\\]+--epochs 50[\s\\]+--decay-epochs 5/)
      t.match(await page.locator('#python-snippet').textContent(), /create_scheduler_v2\(\s*optimizer,\s*sched='step',\s*num_epochs=50,/)
      t.match(await page.locator('#client-snippet').textContent(), /from lr_schedules_client import Plan\nplan = Plan\(/)

      await page.locator('#input-sched').selectOption('plateau')
      await page.waitForSelector('#chart[data-state=error]')
      t.ok(await page.locator('#input-metrics').isVisible(), 'plateau asks for its metrics')
      t.match(await page.locator('#error-metrics').textContent(), /needs a metric for each epoch/, "the API's message by the field")
      await page.locator('#input-sched').selectOption('step')
      await waitForChart(page, { sched: 'step' }, ['metrics'])
    })

    await t.test('train.py mode: a 1.5M-update run, drawn on the server, downloaded whole as NPY', async (t) => {
      await page.locator('#example-list button', { hasText: 'ImageNet' }).click()
      await waitForChart(page, { sched: 'cosine', updates_per_epoch: 5005 }, [], 30_000)
      t.equal(await page.locator('#fact-total').textContent(), '1,501,500')
      t.equal(await page.locator('#fact-epochs').textContent(), '300')
      const points = await page.locator('#chart svg .mark-line path').first().evaluate((path) => (path.getAttribute('d') ?? '').split(/[MLHV]/).length - 1)
      t.ok(points > 100 && points <= 2100, `the line has ${points} points: reduced on the server`)
      const href = await page.locator('#download-npy').getAttribute('href') ?? ''
      t.match(href, /\/v1\/plans\?.*updates_per_epoch=5005.*format=npy/, 'a GET link')
      t.equal(await page.locator('#download-npy').getAttribute('download'), 'plan-cosine.npy')
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.locator('#download-npy').click()])
      const file = await download.path()
      if (!existsSync(PYTHON)) {
        t.comment(`${PYTHON} is missing: the NPY file is not read`)
      } else {
        const { stdout } = await run(PYTHON, ['-c', 'import json, sys, numpy\na = numpy.load(sys.argv[1])\nprint(json.dumps({"shape": list(a.shape), "dtype": str(a.dtype), "first": float(a[0, 0]), "last": float(a[0, -1])}))', file])
        const npy = JSON.parse(stdout) as { shape: number[], dtype: string, first: number, last: number }
        t.same(npy.shape, [1, 1_501_500], 'NumPy reads (groups, updates)')
        t.equal(npy.dtype, 'float64')
        const shown = await shownValues(page)
        t.equal(npy.first, shown[0].values[0], 'update 0 as the table shows it')
        t.equal(npy.last, shown[shown.length - 1].values[0], 'the last update as the table shows it')
      }
      const whole = valueRequests.filter((request) => request.count === undefined || Number(request.count) > 12)
      t.same(whole, [], 'no JSON request for more than a few rows')
    })

    t.same(pageErrors, [], 'no script error')
    t.same(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations), [], 'nothing blocked by the CSP')
    await mkdir(OUTPUT, { recursive: true })
    await page.screenshot({ path: join(OUTPUT, 'playground-plan.png'), fullPage: true })
    await page.locator('label.mode', { hasText: 'scheduler' }).click()
    await waitForChart(page, { scheduler: 'step' })
    await page.screenshot({ path: join(OUTPUT, 'playground.png'), fullPage: true })
  })
}

/** Code without its layout: black's line breaks and trailing commas left out. */
function flat (code: string): string {
  return code.replace(/,\s*\)/g, ')').replace(/\(\s+/g, '(').replace(/\s+/g, ' ').replace(/\s*\)\s*/g, ')').trim()
}

/**
 * Waits until the chart shows the answer to a request with `expected`'s fields (all
 * of them, compared as JSON) and none of the `absent` ones. A function, not a string:
 * the page's CSP forbids eval.
 */
async function waitForChart (page: Page, expected: Record<string, unknown>, absent: string[] = [], timeout = 15_000): Promise<void> {
  await page.waitForFunction(({ expected, absent }) => {
    const chart = document.querySelector<HTMLElement>('#chart')
    if (chart?.dataset.state !== 'ready' || chart.querySelector('svg') === null) return false
    const request = JSON.parse(chart.dataset.request ?? '{}') as Record<string, unknown>
    return Object.entries(expected).every(([key, value]) => JSON.stringify(request[key]) === JSON.stringify(value)) &&
      absent.every((key) => !(key in request))
  }, { expected, absent }, { timeout }).catch(async (error: Error) => {
    // Say what the page says (a refused request, an answer that is not SVG, ...).
    const status = await page.locator('#status').textContent().catch(() => null)
    const form = await page.locator('#form-error').textContent().catch(() => null)
    throw new Error(`the chart did not show ${JSON.stringify(expected)}; the page says: ${status ?? '(nothing)'} ${form ?? ''} (${error.message.split('\n')[0]})`)
  })
}

/** The request the chart shows. */
async function shownRequest (page: Page): Promise<Record<string, unknown>> {
  return JSON.parse(await page.locator('#chart').getAttribute('data-request') ?? '{}') as Record<string, unknown>
}

async function chartContent (page: Page): Promise<{ title: string, desc: string, path: string }> {
  return {
    title: await page.locator('#chart svg > title').textContent() ?? '',
    desc: await page.locator('#chart svg > desc').textContent() ?? '',
    path: await page.locator('#chart svg .mark-line path').first().getAttribute('d') ?? ''
  }
}

/** The rows of the values table: the step and each group's value, as numbers. */
async function shownValues (page: Page): Promise<{ t: number, values: Value[] }[]> {
  return page.locator('#values tbody tr[data-t]').evaluateAll((rows) => rows.map((row) => ({
    t: Number((row as HTMLElement).dataset.t),
    values: [...row.querySelectorAll('td.lr')].map((cell) => cell.textContent === '—' ? null : Number(cell.textContent))
  })))
}

/** The table's rows are the answer of the API to the same body, at the same steps. */
async function sameAsApi (t: Test, page: Page, path: string, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(new URL(path, page.url()), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const answer = await response.json() as Answer
  const shown = await shownValues(page)
  t.ok(shown.length >= Math.min(answer.count, 11), `${shown.length} rows shown`)
  t.same(shown.map(({ t: step, values }) => ({ t: step, values })), shown.map(({ t: step }) => {
    const value = answer.lr[step - answer.start]
    return { t: step, values: Array.isArray(value) ? value : [value] }
  }), `the table is ${path}'s answer at those steps`)
}

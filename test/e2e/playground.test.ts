/// <reference lib="dom" />
/**
 * The playground as a person uses it, in Debian's headless Chromium: the app runs in
 * this process on a free port, the page is driven through playwright-core, and the
 * curl command the page copies is run against the same server.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { chromium, type Page } from 'playwright-core'
import { buildApp } from '../../src/app.js'

const CHROMIUM = '/usr/bin/chromium'
const OUTPUT = 'test-output'
const run = promisify(execFile)

interface Answer { start: number, count: number, unit: string, lr: (number | null)[], param_groups: { lr: (number | null)[] }[] }

if (!existsSync(CHROMIUM)) {
  t.plan(0, `skipped: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it)`)
} else {
  t.test('the playground, end to end', async (t) => {
    const app = await buildApp()
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
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base.slice(0, -1) })
    const page = await context.newPage()
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(error.message))
    await page.addInitScript(() => {
      const seen: string[] = []
      ;(window as unknown as { cspViolations: string[] }).cspViolations = seen
      document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`))
    })

    const response = await page.goto(base)
    if (response?.status() !== 200) {
      t.fail(`GET / answers ${response?.status()}: buildApp() must serve public/ (index.html at /)`)
      return
    }
    t.comment(`Content-Security-Policy: ${response?.headers()['content-security-policy'] ?? '(none)'}`)
    await waitForChart(page, { scheduler: 'step' })

    await t.test('the form is generated from the API document', async (t) => {
      t.equal(await page.locator('#scheduler').inputValue(), 'step')
      const schedulers = await page.locator('#scheduler option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value))
      t.same(schedulers, ['step', 'multistep', 'cosine', 'tanh', 'poly', 'plateau'])
      t.equal(await page.locator('[name=decay_rate]').inputValue(), '0.5', 'the tutorial\'s starting point')
      t.match(await page.locator('#hint-decay_rate').textContent(), /The factor applied at every decay\. \(default 1\)/, 'description and default')
      t.match(await page.locator('#hint-decay_t').textContent(), /required, > 0/, 'a range')
      t.match(await page.locator('#hint-warmup_t').textContent(), /default 0, integer, ≥ 0/)
      t.equal(await page.locator('[name=warmup_prefix]').isChecked(), true, 'step\'s own default for warmup_prefix')
    })

    const before = await chartContent(page)
    t.match(before.desc, /^group 0: 50 steps from t=0; first 0\.0001, last 1\.953125e-7/, 'the chart of decay_rate 0.5')

    await t.test('changing decay_rate redraws the chart with the new values', async (t) => {
      await page.locator('[name=decay_rate]').fill('0.8')
      await waitForChart(page, { decay_rate: 0.8 })
      const after = await chartContent(page)
      t.not(after.desc, before.desc, 'the chart describes other values')
      t.not(after.path, before.path, 'the line is drawn anew')
      t.match(after.title, /^StepLRScheduler · decay_t=5, decay_rate=0\.8/)
      t.notMatch(after.desc, /last 1\.953125e-7/, 'no longer 0.0001 × 0.5^9 at epoch 49')
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
      for (const { t: step, values } of shown) {
        t.same(values, answer.param_groups.map((group) => group.lr[step - answer.start]), `t = ${step}`)
      }
      const { desc } = await chartContent(page)
      const last = answer.lr[answer.count - 1]
      t.ok(desc.includes(`first ${answer.lr[0]}, last ${last}`), 'the chart was drawn from the same values')
    })

    await t.test('the Python snippet and the timm call say the same', async (t) => {
      const python = await page.locator('#python-snippet').textContent() ?? ''
      t.match(python, /import urllib\.request/)
      t.match(python, /"decay_rate": 0\.8,/)
      const python3 = ['/usr/bin/python3', '/usr/local/bin/python3'].find((path) => existsSync(path))
      if (python3 === undefined) {
        t.comment('python3 is not installed: the snippet is not run')
      } else {
        const { stdout } = await run(python3, ['-c', python], { maxBuffer: 64 << 20 })
        const { stdout: viaCurl } = await run('bash', ['-c', await page.locator('#curl-command').textContent() ?? ''])
        // The snippet prints Python's repr of the list: the same doubles, as Python writes them.
        t.same(JSON.parse(stdout.replace(/None/g, 'null')), (JSON.parse(viaCurl) as Answer).lr, 'the snippet runs and gets the same values')
      }
      t.match(await page.locator('#timm-call').textContent(), /StepLRScheduler\(optimizer, decay_t=5, decay_rate=0\.8\)/)
      await page.locator('[name=warmup_t]').fill('2')
      await page.locator('[name=warmup_lr_init]').fill('1e-5')
      await waitForChart(page, { warmup_lr_init: 1e-5 })
      t.match(await page.locator('#timm-call').textContent(), /StepLRScheduler\(optimizer, decay_t=5, decay_rate=0\.8, warmup_t=2, warmup_lr_init=1e-05\)/)
    })

    await t.test('an invalid value shows the API\'s own message next to the field', async (t) => {
      const problem = await (await fetch(new URL('v1/schedules', base), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scheduler: 'step', decay_t: 5, decay_rate: 0.8, lr: -1, count: 50 })
      })).json() as { errors: { path: string, message: string }[] }
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

    await t.test('Download CSV gives the schedule as t,lr', async (t) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download-csv').click()])
      const csv = await readFile(await download.path(), 'utf8')
      const lines = csv.trim().split('\n')
      t.equal(lines[0], 't,lr')
      t.equal(lines.length, 51)
      t.equal(lines[1], '0,0.00001', 'warmup_lr_init at epoch 0')
      t.match(download.suggestedFilename(), /\.csv$/)
    })

    await t.test('several param groups draw a line each', async (t) => {
      await page.locator('#add-group').click()
      await waitForChart(page, { param_groups: [{ lr: 0.0001 }, { lr: 0.0001, lr_scale: 0.5 }] })
      const labels = await page.locator('#chart svg text').allTextContents()
      t.ok(labels.includes('group 0') && labels.includes('group 1'), 'a legend entry per group')
      t.same(await page.locator('#values thead th').allTextContents(), ['t', 'lr_0', 'lr_1'])
    })

    await t.test('noise and a log axis', async (t) => {
      await page.locator('details summary').click()
      await page.locator('[name=noise_range_t]').fill('10, 40')
      await waitForChart(page, { noise_range_t: [10, 40] })
      t.match(await page.locator('#timm-call').textContent(), /noise_range_t=\[10, 40\]/)
      await page.locator('#log-scale').check()
      await page.waitForFunction(() => document.querySelector<HTMLElement>('#chart')?.dataset.state === 'ready' &&
        [...document.querySelectorAll('#chart svg text')].some((text) => text.textContent === 'learning rate (log scale)'))
      t.pass('the chart has a log LR axis')
      await page.locator('#log-scale').uncheck()
      await page.locator('[name=noise_range_t]').fill('')
      await waitForChart(page, { scheduler: 'step' }, ['noise_range_t'])
    })

    await t.test('another scheduler: its own fields and defaults', async (t) => {
      await page.locator('#scheduler').selectOption('cosine')
      await waitForChart(page, { scheduler: 'cosine' })
      t.equal(await page.locator('[name=decay_rate]').count(), 0)
      t.equal(await page.locator('[name=cycle_decay]').getAttribute('placeholder'), '1', 'the default as placeholder')
      t.equal(await page.locator('[name=warmup_prefix]').isChecked(), false, 'cosine\'s own default for warmup_prefix')
      t.match(await page.locator('#chart svg title').textContent(), /^CosineLRScheduler · t_initial=100/)
      await page.locator('input[name=unit][value=update]').check()
      await waitForChart(page, { unit: 'update' })
      t.match(await page.locator('#chart svg desc').textContent(), /\d+ steps from t=0/)
      await page.locator('#scheduler').selectOption('step')
      await waitForChart(page, { scheduler: 'step' })
      t.equal(await page.locator('[name=decay_rate]').inputValue(), '0.8', 'the step form is as it was left')
    })

    t.same(pageErrors, [], 'no script error')
    t.same(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations), [], 'nothing blocked by the CSP')
    await mkdir(OUTPUT, { recursive: true })
    await page.screenshot({ path: join(OUTPUT, 'playground.png'), fullPage: true })
  })
}

/**
 * Waits until the chart shows the answer to a request with `expected`'s fields (all
 * of them, compared as JSON) and none of the `absent` ones. A function, not a string:
 * the page's CSP forbids eval.
 */
async function waitForChart (page: Page, expected: Record<string, unknown>, absent: string[] = []): Promise<void> {
  await page.waitForFunction(({ expected, absent }) => {
    const chart = document.querySelector<HTMLElement>('#chart')
    if (chart?.dataset.state !== 'ready' || chart.querySelector('svg') === null) return false
    const request = JSON.parse(chart.dataset.request ?? '{}') as Record<string, unknown>
    return Object.entries(expected).every(([key, value]) => JSON.stringify(request[key]) === JSON.stringify(value)) &&
      absent.every((key) => !(key in request))
  }, { expected, absent }, { timeout: 15_000 }).catch(async (error: Error) => {
    // Say what the page says (a refused request, an answer that is not SVG, ...).
    const status = await page.locator('#status').textContent().catch(() => null)
    throw new Error(`the chart did not show ${JSON.stringify(expected)}; the page says: ${status ?? '(nothing)'} (${error.message.split('\n')[0]})`)
  })
}

async function chartContent (page: Page): Promise<{ title: string, desc: string, path: string }> {
  return {
    title: await page.locator('#chart svg > title').textContent() ?? '',
    desc: await page.locator('#chart svg > desc').textContent() ?? '',
    path: await page.locator('#chart svg .mark-line path').first().getAttribute('d') ?? ''
  }
}

/** The rows of the values table: the step and each group's value, as numbers. */
async function shownValues (page: Page): Promise<{ t: number, values: (number | null)[] }[]> {
  return page.locator('#values tbody tr[data-t]').evaluateAll((rows) => rows.map((row) => ({
    t: Number((row as HTMLElement).dataset.t),
    values: [...row.querySelectorAll('td')].map((cell) => cell.textContent === '—' ? null : Number(cell.textContent))
  })))
}

/// <reference lib="dom" />
/**
 * Swagger UI in Debian's headless Chromium, under the service's own CSP: the page
 * loads its assets from the service, renders every operation, and the browser
 * reports no CSP violation and no script error.
 */
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { chromium } from 'playwright-core'
import { buildApp } from '../../src/app.js'

const CHROMIUM = '/usr/bin/chromium'

if (!existsSync(CHROMIUM)) {
  t.plan(0, `skipped: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it)`)
} else {
  t.test('Swagger UI renders every operation under the CSP', async (t) => {
    const app = buildApp()
    await app.listen({ port: 0, host: '127.0.0.1' })
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    const profile = await mkdtemp(join(tmpdir(), 'lr-schedules-docs-'))
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']
    })
    t.teardown(async () => {
      await context.close()
      await app.close()
      await rm(profile, { recursive: true, force: true })
    })
    const page = await context.newPage()
    const problems: string[] = []
    const requests: string[] = []
    page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()) })
    page.on('pageerror', (error) => problems.push(error.message))
    page.on('request', (request) => requests.push(request.url()))

    await page.goto(`${base}/docs`)
    await page.waitForSelector('.opblock', { timeout: 20_000 })
    const operations = await page.$$eval('.opblock', (blocks) => blocks.length)
    t.ok(operations >= 16, `${operations} operations rendered`)
    t.same(problems, [], 'no CSP violation, no script error')
    t.same(requests.filter((url) => !url.startsWith(base)), [], 'nothing fetched from elsewhere')

    // The tutorial's examples are offered with the body.
    await page.click('#operations-schedules-postSchedule .opblock-summary')
    await page.waitForSelector('#operations-schedules-postSchedule .examples-select', { timeout: 10_000 })
    const examples = await page.$$eval('#operations-schedules-postSchedule .examples-select option', (options) => options.map((option) => option.textContent ?? ''))
    t.match(examples.join('\n'), /a 2-epoch warmup from 1e-5/)
  })
}

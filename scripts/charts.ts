/**
 * The StepLR tutorial's charts as the service draws them, written to docs/charts/*.svg
 * for the README:
 *
 *   npm run charts
 *
 * Each chart is the answer to an API request (`tutorialRequests`, the same requests
 * the README shows as curl commands), sent through `inject` to a fresh app: no port
 * is opened. Like the tutorial, the charts plot timm's `get_epoch_values` (the `raw`
 * view) over 50 epochs from lr 1e-4. test/render/tutorial-charts.test.ts checks that
 * the committed files are what this script writes.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { buildApp } from '../src/app.js'

export const CHART_DIRECTORY = fileURLToPath(new URL('../docs/charts/', import.meta.url))

/** A request whose answer is a chart. */
export interface ChartRequest {
  url: string
  body: Record<string, unknown>
}

const tutorial = { scheduler: 'step', lr: 1e-4, count: 50, view: 'raw' }

/** Each chart's file name and the request that draws it. */
export const tutorialRequests: ReadonlyMap<string, ChartRequest> = new Map([
  ['step-decay-rate-1.svg', { url: '/v1/schedules?format=svg', body: { ...tutorial, decay_t: 5, decay_rate: 1.0 } }],
  ['step-decay-rate-0.5.svg', { url: '/v1/schedules?format=svg', body: { ...tutorial, decay_t: 5, decay_rate: 0.5 } }],
  ['step-warmup.svg', {
    url: '/v1/plots',
    body: {
      series: [
        { name: 'With warmup', ...tutorial, decay_t: 5, decay_rate: 0.8, warmup_t: 2, warmup_lr_init: 1e-5 },
        { name: 'Without warmup', ...tutorial, decay_t: 5, decay_rate: 0.8 }
      ]
    }
  }],
  // t_in_epochs=False: the schedule steps per optimizer update (get_update_values).
  ['step-per-update.svg', { url: '/v1/schedules?format=svg', body: { ...tutorial, decay_t: 5, decay_rate: 0.5, t_in_epochs: false, unit: 'update' } }]
])

/** Each chart's file name and SVG, as the service answers its request. */
export async function tutorialCharts (): Promise<Map<string, string>> {
  const app = buildApp({ maxValues: 1_000_000 })
  try {
    const charts = new Map<string, string>()
    for (const [file, { url, body }] of tutorialRequests) {
      const response = await app.inject({ method: 'POST', url, payload: body })
      if (response.statusCode !== 200 || !String(response.headers['content-type']).startsWith('image/svg+xml')) {
        throw new Error(`${file}: POST ${url} answered ${response.statusCode}: ${response.body.slice(0, 300)}`)
      }
      charts.set(file, response.body)
    }
    return charts
  } finally {
    await app.close()
  }
}

async function main (): Promise<void> {
  await mkdir(CHART_DIRECTORY, { recursive: true })
  for (const [file, svg] of await tutorialCharts()) {
    await writeFile(CHART_DIRECTORY + file, svg)
    console.log(`docs/charts/${file}`)
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main()

/**
 * The README's charts (docs/charts/*.svg) are what the service answers today to the
 * requests in scripts/charts.ts: a change to the engine, the chart module or the API
 * that alters them fails here until the files are made again (npm run charts).
 */
import { readdir, readFile } from 'node:fs/promises'
import t from 'tap'
import { CHART_DIRECTORY, tutorialCharts } from '../../scripts/charts.js'

t.test('the committed tutorial charts match the script', async (t) => {
  const charts = await tutorialCharts()
  t.same([...charts.keys()].sort(), (await readdir(CHART_DIRECTORY)).filter((file) => file.endsWith('.svg')).sort(), 'one file per chart')
  for (const [file, svg] of charts) {
    t.equal(await readFile(CHART_DIRECTORY + file, 'utf8'), svg, `${file} is up to date (run npm run charts)`)
  }
})

t.test('the tutorial charts say what they show', async (t) => {
  const charts = await tutorialCharts()
  t.match(charts.get('step-decay-rate-1.svg'), /<title>StepLRScheduler · decay_t=5, decay_rate=1<\/title>/)
  t.match(charts.get('step-decay-rate-1.svg'), /<desc>group 0: 50 steps from t=0; first 0.0001, last 0.0001, min 0.0001, max 0.0001<\/desc>/, 'flat')
  t.match(charts.get('step-decay-rate-0.5.svg'), /last 1.953125e-7/, 'halved nine times by epoch 49')
  const warmup = charts.get('step-warmup.svg') ?? ''
  t.match(warmup, /With warmup: 50 steps from t=0; first 0.00001, /)
  t.match(warmup, />With warmup<\/text>/, 'a legend')
  t.match(warmup, />Without warmup<\/text>/)
  t.match(charts.get('step-per-update.svg'), />update<\/text>/, 'per update')
})

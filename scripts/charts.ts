/**
 * The StepLR tutorial's charts, computed by the engine and drawn by the chart module
 * (no server needed), written to docs/charts/*.svg for the README:
 *
 *   tsx scripts/charts.ts
 *
 * Like the tutorial, the charts plot timm's `get_epoch_values` (the `raw` view) over
 * 50 epochs from lr 1e-4. test/render/tutorial-charts.test.ts checks that the
 * committed files are what this script writes.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { comparisonChart, scheduleChart } from '../src/render/chart.js'
import type { ScheduleAnswer } from '../src/render/answer.js'
import { comparisonTitle, scheduleTitle, type ScheduleRequest } from '../src/render/title.js'
import { evaluateSchedule, parametersSchema, type Unit } from '../src/schedules/index.js'
import { step, type StepParams } from '../src/schedules/step.js'

export const CHART_DIRECTORY = fileURLToPath(new URL('../docs/charts/', import.meta.url))

const LR = 1e-4
const STEPS = 50

/** A StepLRScheduler's values over `STEPS` steps, as the API would answer them. */
function stepSchedule (kwargs: Record<string, unknown>, unit: Unit = 'epoch'): { request: ScheduleRequest, answer: ScheduleAnswer, given: string[] } {
  const params = parametersSchema(step).parse(kwargs) as StepParams
  const { values } = evaluateSchedule(step, params, [{ lr: LR }], { unit, start: 0, count: STEPS, view: 'raw' })
  const lr = values[0] ?? new Array<null>(STEPS).fill(null)
  return {
    request: { scheduler: 'step', lr: LR, view: 'raw', ...params },
    answer: { scheduler: 'step', unit, start: 0, count: STEPS, lr, param_groups: [{ lr }] },
    given: Object.keys(kwargs)
  }
}

/** Each chart's file name and SVG. */
export async function tutorialCharts (): Promise<Map<string, string>> {
  const charts = new Map<string, string>()
  const single = async (file: string, kwargs: Record<string, unknown>, unit: Unit = 'epoch') => {
    const { request, answer, given } = stepSchedule(kwargs, unit)
    charts.set(file, await scheduleChart(answer, scheduleTitle(request, given)))
  }
  await single('step-decay-rate-1.svg', { decay_t: 5, decay_rate: 1.0 })
  await single('step-decay-rate-0.5.svg', { decay_t: 5, decay_rate: 0.5 })
  const withWarmup = stepSchedule({ decay_t: 5, decay_rate: 0.8, warmup_t: 2, warmup_lr_init: 1e-5 })
  const withoutWarmup = stepSchedule({ decay_t: 5, decay_rate: 0.8 })
  charts.set('step-warmup.svg', await comparisonChart(
    [{ name: 'With warmup', answer: withWarmup.answer }, { name: 'Without warmup', answer: withoutWarmup.answer }],
    comparisonTitle([withWarmup.request, withoutWarmup.request])))
  // t_in_epochs=False: the schedule steps per optimizer update (get_update_values).
  await single('step-per-update.svg', { decay_t: 5, decay_rate: 0.5, t_in_epochs: false }, 'update')
  return charts
}

async function main (): Promise<void> {
  await mkdir(CHART_DIRECTORY, { recursive: true })
  for (const [file, svg] of await tutorialCharts()) {
    await writeFile(new URL(file, new URL('../docs/charts/', import.meta.url)), svg)
    console.log(`docs/charts/${file}`)
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main()

/**
 * A chart, drawn in a worker thread: each line's values computed a chunk at a time
 * and reduced to chart resolution as they come (no series is ever held whole), then
 * rendered by vega.
 */
import { Downsampler, renderChart } from '../render/chart.js'
import { computationOf, type Job } from './computation.js'
import { computeRows } from './rows.js'
import { failureOf, type RowsResult } from './task.js'

export interface ChartTask {
  kind: 'chart'
  /** One entry per legend name (`''` for a schedule's own chart); several groups of a series draw a line each. */
  series: Array<{ name: string, job: Job }>
  title: string[]
  subtitle?: string | undefined
  xLabel: 'epoch' | 'update' | 'step'
  logScale: boolean
  deadline: number
}

/** Values computed at a time per line. */
const CHUNK_VALUES = 1 << 16

export async function runChartTask (task: ChartTask): Promise<RowsResult> {
  try {
    const lines: Array<{ name: string, sampled: Downsampler }> = []
    for (const { name, job } of task.series) {
      const { schedule, groups, start, count } = computationOf(job)
      const samplers = Array.from({ length: groups }, () => new Downsampler(count, start))
      const rows = Math.max(1, Math.floor(CHUNK_VALUES / groups))
      const values = new Float64Array(rows * groups)
      let checkpoint
      for (let from = start; from < start + count; from += rows) {
        const to = Math.min(from + rows, start + count)
        checkpoint = computeRows(schedule, groups, from, to, values, checkpoint, task.deadline)
        for (let i = 0; i < (to - from) * groups; i++) samplers[i % groups].push(values[i])
      }
      // A schedule's own chart names its lines by group; a comparison by series (and group).
      const lineName = (g: number) => name === '' ? `group ${g}` : groups === 1 ? name : `${name} · group ${g}`
      samplers.forEach((sampled, g) => lines.push({ name: lineName(g), sampled }))
    }
    const svg = await renderChart({ title: task.title, subtitle: task.subtitle, xLabel: task.xLabel, series: lines, logScale: task.logScale })
    return { bytes: new TextEncoder().encode(svg) }
  } catch (error) {
    return { failure: failureOf(error) }
  }
}


/**
 * A chart, drawn in a worker thread: each line's values computed a chunk at a time
 * and reduced to chart resolution as they come (no series is ever held whole), then
 * rendered by vega.
 */
import { Downsampler, renderChart } from '../render/chart.js'
import { computationOf, type Job } from './computation.js'
import { computeRows } from './rows.js'
import { ScheduleError } from '../schedules/core/errors.js'
import { failureOf, type RowsResult } from './task.js'

export interface ChartTask {
  kind: 'chart'
  /**
   * One entry per legend name (`''` for a schedule's own chart); several groups of a
   * series draw a line each. `path`: where a refusal of this series points in the request.
   */
  series: Array<{ name: string, job: Job, path?: Array<string | number> }>
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
    for (const { name, job, path } of task.series) {
      try {
        lines.push(...lineSamples(name, job, task.deadline))
      } catch (error) {
        if (error instanceof ScheduleError && path !== undefined) {
          throw new ScheduleError(`series ${String(path[path.length - 1])} (${JSON.stringify(name)}): ${error.message}`, error.pythonError, [...path, ...error.path])
        }
        throw error
      }
    }
    const svg = await renderChart({ title: task.title, subtitle: task.subtitle, xLabel: task.xLabel, series: lines, logScale: task.logScale })
    return { bytes: new TextEncoder().encode(svg) }
  } catch (error) {
    return { failure: failureOf(error) }
  }
}

/** One series' lines (one per param group), each reduced to chart resolution as its values are computed. */
function lineSamples (name: string, job: Job, deadline: number): Array<{ name: string, sampled: Downsampler }> {
  const { schedule, groups, start, count } = computationOf(job)
  const samplers = Array.from({ length: groups }, () => new Downsampler(count, start))
  const rows = Math.max(1, Math.floor(CHUNK_VALUES / groups))
  const values = new Float64Array(rows * groups)
  let checkpoint
  for (let from = start; from < start + count; from += rows) {
    const to = Math.min(from + rows, start + count)
    checkpoint = computeRows(schedule, groups, from, to, values, checkpoint, deadline)
    for (let i = 0; i < (to - from) * groups; i++) samplers[i % groups].push(values[i])
  }
  // A schedule's own chart names its lines by group; a comparison by series (and group).
  const lineName = (g: number) => name === '' ? `group ${g}` : groups === 1 ? name : `${name} · group ${g}`
  return samplers.map((sampled, g) => ({ name: lineName(g), sampled }))
}

/**
 * Line charts of schedules as self-contained SVG, drawn on the server by vega-lite
 * (compiled to a vega spec) and vega's headless SVG renderer: no browser, no canvas,
 * no fonts or URLs fetched. The SVG uses presentation attributes only (no `style`
 * attributes, no scripts), so it can be inlined in a page under a strict CSP.
 */
import * as vega from 'vega'
import { compile, type TopLevelSpec } from 'vega-lite'
import type { PlanAnswer, ScheduleAnswer, Values } from './answer.js'
import { shortest } from './numbers.js'
import type { ChartTitle } from './title.js'

export interface ChartSeries {
  /** The legend entry: `group 0`, or a comparison's name such as `With warmup`. */
  name: string
  /** One value per step; null or NaN where timm yields none, drawn as a gap. */
  points: Values
  /** The step of `points[0]`. */
  start: number
}

export interface ChartOptions {
  /** One line, or several (a long parameter list wrapped). */
  title: string | readonly string[]
  subtitle?: string | undefined
  /** The x axis: the schedule's unit. */
  xLabel: 'epoch' | 'update'
  series: readonly ChartSeries[]
  /** A log LR axis. Values <= 0 cannot be placed on it and are left out as gaps. */
  logScale?: boolean | undefined
  /** The plot area, in px (the SVG adds axes, title and legend around it). */
  width?: number | undefined
  height?: number | undefined
}

/**
 * Each line is drawn from at most this many points, however long the schedule: a
 * 1,000,000-step schedule renders as fast as a 2,000-step one.
 */
export const MAX_POINTS_PER_LINE = 2000

/** At most five points a bucket (first, min, max, last, and a gap marker). */
const POINTS_PER_BUCKET = 5

export interface Downsampled {
  /** The steps kept, ascending. */
  t: number[]
  /** Their values; null marks a gap. */
  lr: (number | null)[]
}

/**
 * The points that draw the same line as `points` at chart resolution (the M4
 * aggregation, Jugel et al., VLDB 2014): the steps are cut into equal buckets, and
 * each bucket keeps its first and last defined values, its minimum and its maximum,
 * in step order, plus its first null so that gaps stay gaps. The series' first and
 * last steps, and its extremes, are always kept. A series short enough is kept whole.
 */
export function downsample (points: Values, start: number, maxPoints = MAX_POINTS_PER_LINE): Downsampled {
  const n = points.length
  const t: number[] = []
  const lr: (number | null)[] = []
  if (n <= maxPoints) {
    for (let i = 0; i < n; i++) {
      t.push(start + i)
      lr.push(defined(points[i]))
    }
    return { t, lr }
  }
  const buckets = Math.max(1, Math.floor(maxPoints / POINTS_PER_BUCKET))
  const kept: number[] = []
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * n / buckets)
    const to = Math.floor((b + 1) * n / buckets)
    let first = -1
    let last = -1
    let min = -1
    let max = -1
    let gap = -1
    for (let i = from; i < to; i++) {
      const value = defined(points[i])
      if (value === null) {
        if (gap < 0) gap = i
        continue
      }
      if (first < 0) first = i
      last = i
      if (min < 0 || value < (points[min] as number)) min = i
      if (max < 0 || value > (points[max] as number)) max = i
    }
    const inBucket = [first, min, max, last, gap].filter((i) => i >= 0).sort((a, b) => a - b)
    for (let k = 0; k < inBucket.length; k++) {
      if (k === 0 || inBucket[k] !== inBucket[k - 1]) kept.push(inBucket[k])
    }
  }
  for (const i of kept) {
    t.push(start + i)
    lr.push(defined(points[i]))
  }
  return { t, lr }
}

/** The SVG of a line chart: one line per series, a legend when there are several. */
export async function renderChart (options: ChartOptions): Promise<string> {
  const log = options.logScale === true
  const rows: { t: number, lr: number | null, series: string }[] = []
  let leftOut = 0
  const summaries: string[] = []
  for (const series of options.series) {
    const { t, lr } = downsample(series.points, series.start)
    for (let k = 0; k < t.length; k++) {
      let value = lr[k]
      // A log axis has no place for 0 or a negative LR (a schedule ending at lr_min=0
      // reaches 0): such a step becomes a gap, rather than being clamped to an
      // invented floor, and the subtitle says how many were left out.
      if (log && value !== null && value <= 0) {
        value = null
        leftOut++
      }
      rows.push({ t: t[k], lr: value, series: series.name })
    }
    summaries.push(summarize(series))
  }
  const values = rows.flatMap((row) => row.lr === null ? [] : [row.lr])
  const largest = values.reduce((a, b) => Math.max(a, Math.abs(b)), 0)
  const highest = values.reduce((a, b) => Math.max(a, b), 0)
  const lowest = values.reduce((a, b) => Math.min(a, b), 0)
  const several = options.series.length > 1
  const subtitle = [options.subtitle ?? '']
  if (leftOut > 0) subtitle.push('values <= 0 left out of the log axis')
  if (values.length === 0) subtitle.push('no step has a value to draw')
  const title = typeof options.title === 'string' ? [options.title] : [...options.title]
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: options.width ?? 640,
    height: options.height ?? 320,
    background: 'white',
    padding: 12,
    title: {
      text: title.length === 1 ? title[0] : title,
      subtitle: subtitle.filter(Boolean).join(' · ') || undefined,
      anchor: 'start',
      fontSize: 14,
      subtitleFontSize: 11,
      subtitleColor: '#444',
      offset: 12
    },
    data: { values: rows },
    // Round caps draw a step isolated between gaps as a dot instead of nothing.
    mark: { type: 'line', strokeWidth: 2, strokeCap: 'round', strokeJoin: 'round', aria: false },
    encoding: {
      x: {
        field: 't',
        type: 'quantitative',
        title: options.xLabel,
        scale: { zero: false, nice: false },
        axis: { format: xFormat(options.series), labelExpr: "datum.value === 0 ? '0' : datum.label", tickMinStep: 1, tickCount: 10, labelFlush: true, grid: true }
      },
      y: {
        field: 'lr',
        type: 'quantitative',
        title: log ? 'learning rate (log scale)' : 'learning rate',
        // 5% headroom above the highest value (as matplotlib leaves), so that a flat
        // schedule is not drawn on the frame; `nice` then rounds it to a tick.
        scale: log ? { type: 'log' } : { zero: true, nice: true, ...(highest > 0 ? { domainMax: highest + 0.05 * (highest - lowest) } : {}) },
        // A compact LR: 0.05 or 2.5e-5 (decades always as 1e-3 on a log axis), and a
        // plain 0 rather than 0e+0.
        axis: { format: log ? '~e' : lrFormat(largest), labelExpr: "datum.value === 0 ? '0' : datum.label", tickCount: log ? 6 : 8 }
      },
      color: {
        field: 'series',
        type: 'nominal',
        sort: options.series.map((series) => series.name),
        legend: several ? { title: null, orient: 'right', labelFontSize: 12, symbolType: 'stroke', symbolStrokeWidth: 3 } : null
      }
    },
    config: {
      axis: { labelFontSize: 11, titleFontSize: 12, titlePadding: 8, labelColor: '#222', titleColor: '#222', gridColor: '#e4e4e4' },
      view: { stroke: '#bbb' },
      font: 'sans-serif'
    }
  }
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' })
  try {
    return describe(await view.toSVG(), title.join(' '), summaries)
  } finally {
    view.finalize()
  }
}

/** A schedule answer as a chart: a line per param group (`group 0`, ...). */
export function scheduleChart (answer: ScheduleAnswer, title: ChartTitle, logScale = false): Promise<string> {
  return renderChart({
    ...title,
    xLabel: answer.unit,
    series: answer.param_groups.map((group, g) => ({ name: `group ${g}`, points: group.lr, start: answer.start })),
    logScale
  })
}

/**
 * Several named answers on one chart (`POST /v1/plots`): a line per answer, or per
 * answer and group (`With warmup · group 1`) where an answer has several groups.
 */
export function comparisonChart (named: ReadonlyArray<{ name: string, answer: ScheduleAnswer }>, title: ChartTitle, logScale = false): Promise<string> {
  const units = new Set(named.map(({ answer }) => answer.unit))
  return renderChart({
    ...title,
    xLabel: units.has('update') && units.size === 1 ? 'update' : 'epoch',
    series: named.flatMap(({ name, answer }) => answer.param_groups.map((group, g) => ({
      name: answer.param_groups.length === 1 ? name : `${name} · group ${g}`,
      points: group.lr,
      start: answer.start
    }))),
    logScale
  })
}

/** A training plan as a chart of the LR of every optimizer update. */
export function planChart (answer: PlanAnswer, title: ChartTitle, logScale = false): Promise<string> {
  return renderChart({
    ...title,
    xLabel: 'update',
    series: answer.param_groups.map((group, g) => ({ name: `group ${g}`, points: group.lr, start: 0 })),
    logScale
  })
}

function defined (value: number | null | undefined): number | null {
  return value === null || value === undefined || Number.isNaN(value) ? null : value
}

/**
 * Steps as exact integers (`1,250`); in thousands (`200k`) across a long range, where
 * the ticks fall on round thousands anyway.
 */
function xFormat (series: readonly ChartSeries[]): string {
  const first = series.reduce((a, s) => Math.min(a, s.start), Infinity)
  const last = series.reduce((a, s) => Math.max(a, s.start + s.points.length - 1), -Infinity)
  return last - first >= 10000 ? '~s' : ',d'
}

/** Positional for LRs from 0.01 up (`0.05`), exponent below that (`2.5e-5`). */
function lrFormat (largest: number): string {
  return largest >= 0.01 && largest < 10000 ? '~g' : '~e'
}

/**
 * `<title>` and `<desc>` for screen readers and tests: the chart's title, and each
 * line's length, range and ends in shortest round-trip numbers.
 */
function describe (svg: string, title: string, summaries: readonly string[]): string {
  const open = svg.indexOf('>') + 1
  return `${svg.slice(0, open)}<title>${escapeXml(title)}</title><desc>${escapeXml(summaries.join('\n'))}</desc>${svg.slice(open)}`
}

function summarize (series: ChartSeries): string {
  const n = series.points.length
  let min = Infinity
  let max = -Infinity
  let gaps = 0
  for (let i = 0; i < n; i++) {
    const value = defined(series.points[i])
    if (value === null) {
      gaps++
      continue
    }
    if (value < min) min = value
    if (value > max) max = value
  }
  const range = gaps === n ? 'no values' : `first ${shortest(series.points[0]) || 'none'}, last ${shortest(series.points[n - 1]) || 'none'}, min ${shortest(min)}, max ${shortest(max)}`
  return `${series.name}: ${n} steps from t=${series.start}; ${range}${gaps > 0 && gaps < n ? `; ${gaps} without a value` : ''}`
}

function escapeXml (text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

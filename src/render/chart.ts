/**
 * Line charts of schedules as self-contained SVG, drawn on the server by vega-lite
 * (compiled to a vega spec) and vega's headless SVG renderer: no browser, no canvas,
 * no fonts or URLs fetched. The SVG uses presentation attributes only (no `style`
 * attributes, no scripts), so it can be inlined in a page under a strict CSP.
 */
import type { TopLevelSpec } from 'vega-lite'
/** One value per step; null (or NaN) where the library yields none. */
export type Values = ArrayLike<number | null>
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

/** A series already reduced to chart resolution as it was computed (see `Downsampler`). */
export interface SampledSeries {
  name: string
  sampled: Downsampler
}

/** A series' sampler: the one it came with, or one fed its points. */
function samplerOf (series: ChartSeries | SampledSeries): Downsampler {
  if ('sampled' in series) return series.sampled
  const sampler = new Downsampler(series.points.length, series.start)
  for (let i = 0; i < series.points.length; i++) sampler.push(defined(series.points[i]) ?? NaN)
  return sampler
}

export interface ChartOptions {
  /** One line, or several (a long parameter list wrapped). */
  title: string | readonly string[]
  subtitle?: string | undefined
  /** The x axis: the schedule's unit. */
  xLabel: 'epoch' | 'update' | 'step'
  series: ReadonlyArray<ChartSeries | SampledSeries>
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
  const sampler = new Downsampler(points.length, start, maxPoints)
  for (let i = 0; i < points.length; i++) sampler.push(defined(points[i]) ?? NaN)
  return sampler.points
}

/**
 * `downsample` a value at a time, for a series computed in chunks: it keeps a
 * bucket's candidates, never the series. NaN is a step without a value. It also
 * keeps the series' summary (first, last, min, max, gaps) for the chart's `<desc>`.
 */
export class Downsampler {
  readonly points: Downsampled = { t: [], lr: [] }
  private index = 0
  private readonly buckets: number
  private bucket = 0
  private bucketEnd: number
  private readonly candidates: Array<[number, number]> = []
  private first = -1
  private last = -1
  private min = -1
  private max = -1
  private gap = -1
  private readonly values: number[] = []
  // The summary.
  firstValue = NaN
  lastValue = NaN
  lowest = Infinity
  highest = -Infinity
  gaps = 0

  constructor (readonly length: number, readonly start: number, readonly maxPoints = MAX_POINTS_PER_LINE) {
    this.buckets = length <= maxPoints ? length : Math.max(1, Math.floor(maxPoints / POINTS_PER_BUCKET))
    this.bucketEnd = this.boundary(1)
  }

  private boundary (b: number): number {
    return Math.floor(b * this.length / this.buckets)
  }

  push (value: number): void {
    const i = this.index++
    if (i === 0) this.firstValue = value
    if (i === this.length - 1) this.lastValue = value
    if (Number.isNaN(value)) this.gaps++
    else {
      if (value < this.lowest) this.lowest = value
      if (value > this.highest) this.highest = value
    }
    if (this.length <= this.maxPoints) {
      this.points.t.push(this.start + i)
      this.points.lr.push(Number.isNaN(value) ? null : value)
      return
    }
    const k = i - this.boundary(this.bucket)
    this.values[k] = value
    if (Number.isNaN(value)) {
      if (this.gap < 0) this.gap = k
    } else {
      if (this.first < 0) this.first = k
      this.last = k
      if (this.min < 0 || value < this.values[this.min]) this.min = k
      if (this.max < 0 || value > this.values[this.max]) this.max = k
    }
    if (i + 1 === this.bucketEnd) this.flush()
  }

  private flush (): void {
    const from = this.boundary(this.bucket)
    const kept = [this.first, this.min, this.max, this.last, this.gap].filter((k) => k >= 0).sort((a, b) => a - b)
    for (let n = 0; n < kept.length; n++) {
      if (n > 0 && kept[n] === kept[n - 1]) continue
      const value = this.values[kept[n]]
      this.points.t.push(this.start + from + kept[n])
      this.points.lr.push(Number.isNaN(value) ? null : value)
    }
    this.first = this.last = this.min = this.max = this.gap = -1
    this.values.length = 0
    this.bucket++
    this.bucketEnd = this.boundary(this.bucket + 1)
  }

  /** `<desc>`'s line for this series. */
  summary (name: string): string {
    const n = this.length
    const range = this.gaps === n
      ? 'no values'
      : `first ${shortest(this.firstValue) || 'none'}, last ${shortest(this.lastValue) || 'none'}, min ${shortest(this.lowest)}, max ${shortest(this.highest)}`
    return `${name}: ${n} steps from t=${this.start}; ${range}${this.gaps > 0 && this.gaps < n ? `; ${this.gaps} without a value` : ''}`
  }
}

/**
 * vega and vega-lite, loaded with the first chart: a worker that never draws one
 * does not pay for them (they are the largest modules here by far).
 */
let renderer: Promise<[typeof import('vega'), typeof import('vega-lite')]> | undefined

/** The SVG of a line chart: one line per series, a legend when there are several. */
export async function renderChart (options: ChartOptions): Promise<string> {
  const [vega, { compile }] = await (renderer ??= Promise.all([import('vega'), import('vega-lite')]))
  const log = options.logScale === true
  const rows: { t: number, lr: number | null, series: string }[] = []
  let leftOut = 0
  const summaries: string[] = []
  const samplers = options.series.map(samplerOf)
  options.series.forEach((series, s) => {
    const { t, lr } = samplers[s].points
    for (let k = 0; k < t.length; k++) {
      let value = lr[k]
      // A log axis has no place for 0 or a negative LR (a schedule ending at lr_min=0
      // reaches 0): such a step becomes a gap, rather than being clamped to an
      // invented floor, and the subtitle says how many were left out.
      if (log && value !== null && value <= 0) {
        value = null
        leftOut++
      }
      rows.push({ t: t[k], lr: value, series: xmlText(series.name) })
    }
    summaries.push(samplers[s].summary(series.name))
  })
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
    // step-after: an LR holds from its step until the next, so the line is drawn as steps, not slopes between steps.
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2, strokeCap: 'round', strokeJoin: 'round', aria: false },
    encoding: {
      x: {
        field: 't',
        type: 'quantitative',
        title: options.xLabel,
        scale: { zero: false, nice: false },
        axis: { format: xFormat(samplers), labelExpr: "datum.value === 0 ? '0' : datum.label", tickMinStep: 1, tickCount: 10, labelFlush: true, grid: true }
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
        sort: options.series.map((series) => xmlText(series.name)),
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

function defined (value: number | null | undefined): number | null {
  return value === null || value === undefined || Number.isNaN(value) ? null : value
}

/**
 * Steps as exact integers (`1,250`); in thousands (`200k`) across a long range, where
 * the ticks fall on round thousands anyway.
 */
function xFormat (series: readonly Downsampler[]): string {
  const first = series.reduce((a, s) => Math.min(a, s.start), Infinity)
  const last = series.reduce((a, s) => Math.max(a, s.start + s.length - 1), -Infinity)
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

function escapeXml (text: string): string {
  return xmlText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/**
 * Text that XML 1.0 can hold: a character it forbids (a control character, a lone
 * surrogate, U+FFFE, U+FFFF) becomes U+FFFD, so every SVG is well-formed whatever
 * a series is named.
 */
export function xmlText (text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
}

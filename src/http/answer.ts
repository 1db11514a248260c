/**
 * What the schedule routes answer, and the one place that writes it out. A route
 * builds an `Answer` (the JSON shape of SPEC §3, with the engine's Float64Arrays as
 * the value lists) and hands it to `sendAnswer`, which picks the format: the
 * `format` query parameter, else the `Accept` header, else JSON. JSON is written
 * here by hand, because a 1,000,000-value answer must not go through a schema walk
 * or a per-value object; CSV and SVG by the renderers (src/render). Errors never
 * come here: they are problems (problem.ts), in JSON whatever format was asked.
 */
import { Readable } from 'node:stream'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { PlanAnswer, ScheduleAnswer, Values } from '../render/answer.js'
import { comparisonChart, planChart, scheduleChart } from '../render/chart.js'
import { CHUNK_ROWS, planCsvChunks, scheduleCsvChunks } from '../render/csv.js'
import { comparisonTitle, planTitle, scheduleTitle } from '../render/title.js'
import { type Format, negotiateFormat } from './negotiate.js'
import type { OutputOptions, PlanRequest, PlotRequest, ScheduleRequest } from './schemas.js'

export type { PlanAnswer, ScheduleAnswer, Values }

/** `GET /v1/schedules/{scheduler}/lr`: one step. */
export interface PointAnswer {
  t: number
  lr: number | null
  param_groups: ReadonlyArray<{ lr: number | null }>
}

/** `POST /v1/plots`: named schedules, drawn on one chart. */
export type PlotAnswer = ReadonlyArray<{ name: string, request: ScheduleRequest, answer: ScheduleAnswer }>

/** An answer in any format, with the validated request it answers (a chart's title comes from it). */
export type ValuesAnswer =
  | { kind: 'schedule', request: ScheduleRequest, body: ScheduleAnswer }
  | { kind: 'plan', request: PlanRequest, body: PlanAnswer }
  | { kind: 'point', request: ScheduleRequest, body: PointAnswer }

/** Every answer: values, or a plot (a chart only). */
export type Answer = ValuesAnswer | { kind: 'plot', request: PlotRequest, body: PlotAnswer }

/** The Content-Type of each format. */
export const contentTypes = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  svg: 'image/svg+xml; charset=utf-8'
} as const satisfies Record<Format, string>

/** Values are stringified this many at a time, so no temporary array grows with the answer. */
const CHUNK = 1 << 16

/**
 * A JSON array of numbers: each double as JavaScript's shortest round-trip decimal,
 * which JSON.parse (or Python's json) reads back as the same double.
 */
export function jsonValues (values: Values): string {
  if (values.length <= CHUNK) return JSON.stringify(Array.from(values))
  const parts: string[] = []
  for (let i = 0; i < values.length; i += CHUNK) {
    const end = Math.min(i + CHUNK, values.length)
    const chunk = values instanceof Float64Array ? Array.from(values.subarray(i, end)) : Array.prototype.slice.call(values, i, end)
    parts.push(JSON.stringify(chunk).slice(1, -1))
  }
  return `[${parts.join(',')}]`
}

/** `{...head, "lr": group 0, "param_groups": [{"lr": ...}, ...]}`, each list written once. */
function jsonSeries (head: Record<string, string | number>, groups: ReadonlyArray<{ lr: Values }>): string {
  const rows = groups.map((group) => jsonValues(group.lr))
  const opening = JSON.stringify(head).slice(0, -1)
  return `${opening},"lr":${rows[0] ?? '[]'},"param_groups":[${rows.map((row) => `{"lr":${row}}`).join(',')}]}`
}

export function answerJson (answer: ValuesAnswer): string {
  switch (answer.kind) {
    case 'schedule': {
      const { scheduler, unit, start, count, param_groups: groups } = answer.body
      return jsonSeries({ scheduler, unit, start, count }, groups)
    }
    case 'plan': {
      const { num_epochs: numEpochs, updates_per_epoch: updatesPerEpoch, scheduler_class: schedulerClass, param_groups: groups } = answer.body
      return jsonSeries({ num_epochs: numEpochs, updates_per_epoch: updatesPerEpoch, scheduler_class: schedulerClass }, groups)
    }
    case 'point':
      return JSON.stringify(answer.body)
  }
}

/** One step as a one-step range, so that it is drawn and tabulated as any other. */
function pointAsRange (request: ScheduleRequest, point: PointAnswer): ScheduleAnswer {
  const groups = point.param_groups.map((group) => ({ lr: [group.lr] }))
  return { scheduler: request.scheduler, unit: request.unit, start: point.t, count: 1, lr: groups[0].lr, param_groups: groups }
}

/**
 * The answer as CSV (src/render/csv.ts): a string, or a stream of whole rows for an
 * answer longer than one chunk, so that printing a million rows neither holds the
 * whole text in one piece nor keeps the server from answering others meanwhile.
 */
export function answerCsv (answer: ValuesAnswer): string | Readable {
  let chunks: Generator<string>
  let rows: number
  switch (answer.kind) {
    case 'schedule':
    case 'point': {
      const range = answer.kind === 'point' ? pointAsRange(answer.request, answer.body) : answer.body
      chunks = scheduleCsvChunks(range)
      rows = range.count
      break
    }
    case 'plan':
      chunks = planCsvChunks(answer.body)
      rows = answer.body.lr.length
      break
  }
  return rows > CHUNK_ROWS ? Readable.from(chunks, { objectMode: false }) : [...chunks].join('')
}

/**
 * The answer as an SVG chart (src/render/chart.ts), titled from the request: timm's
 * class and the parameters that differ from its defaults, or that the client wrote.
 */
export function answerSvg (answer: Answer, logScale: boolean, given?: Iterable<string>): Promise<string> {
  switch (answer.kind) {
    case 'schedule':
      return scheduleChart(answer.body, scheduleTitle(answer.request, given), logScale)
    case 'point':
      return scheduleChart(pointAsRange(answer.request, answer.body), scheduleTitle(answer.request, given), logScale)
    case 'plan':
      return planChart(answer.body, planTitle(answer.request, answer.body), logScale)
    case 'plot':
      return comparisonChart(answer.body, comparisonTitle(answer.body.map(({ request }) => request)), logScale)
  }
}

/**
 * The fields each request named itself, before defaults were filled in (its body's
 * keys, or its query's): a chart's title shows a parameter the client wrote even
 * where it equals timm's default (the tutorial's `decay_rate=1.0`).
 */
const givenFields = new WeakMap<FastifyRequest, string[]>()

/** A route's `preValidation` hook: notes the fields the request names (see `givenFields`). */
export async function recordGivenFields (request: FastifyRequest): Promise<void> {
  const source = request.method === 'GET' ? request.query : request.body
  if (source !== null && typeof source === 'object' && !Array.isArray(source)) givenFields.set(request, Object.keys(source))
}

/** The format a request asks for: its `format` parameter, else its Accept header. */
export function formatOf (request: FastifyRequest, output: Partial<OutputOptions>): Format {
  return output.format ?? negotiateFormat(request.headers.accept)
}

/**
 * Sends an answer in the format the request asks for: `output.format` (the `format`
 * query parameter), else the `Accept` header (application/json, text/csv,
 * image/svg+xml), else JSON. A plot is SVG whatever is asked. Every other answer
 * varies with Accept, and says so to caches.
 */
export async function sendAnswer (request: FastifyRequest, reply: FastifyReply, answer: Answer, output: Partial<OutputOptions> = {}): Promise<FastifyReply> {
  if (answer.kind === 'plot') return reply.type(contentTypes.svg).send(await answerSvg(answer, answer.request.log_scale))
  reply.header('vary', 'Accept')
  const format = formatOf(request, output)
  switch (format) {
    case 'json':
      return reply.type(contentTypes.json).send(answerJson(answer))
    case 'csv':
      return reply.type(contentTypes.csv).send(answerCsv(answer))
    case 'svg':
      return reply.type(contentTypes.svg).send(await answerSvg(answer, output.log_scale ?? false, givenFields.get(request)))
  }
}

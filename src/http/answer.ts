/**
 * The one place answers are written. A route hands over what to compute (a `Job`:
 * the validated request) and the format; here the cost is checked before any work,
 * the work goes to the compute pool a chunk at a time, and the bytes are streamed
 * with backpressure: a chunk is computed only when the client has taken the one
 * before, so memory stays near one chunk however long the answer, a client that
 * goes away stops the work within one chunk, and a request past its deadline is
 * stopped.
 *
 * The whole answer is checked before its first byte is sent (the first task
 * computes every value without keeping them), so a refusal at any step is still a
 * 422 problem, never a cut answer.
 */
import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { computationOf, type Computation, type Job } from '../compute/computation.js'
import type { ChartTask } from '../compute/chart-task.js'
import { PoolBusy, type ComputePool } from '../compute/pool.js'
import type { FoldCheckpoint } from '../compute/rows.js'
import type { Encoding, RowsResult, TaskFailure } from '../compute/task.js'
import { ScheduleError } from '../schedules/core/errors.js'
import { ARROW_TAIL, arrowHead } from '../render/arrow.js'
import { csvHead } from '../render/csv.js'
import { JSON_TAIL, jsonHead, jsonPoint } from '../render/json.js'
import { npyHeader } from '../render/npy.js'
import type { ChartTitle } from '../render/title.js'
import { type Format, mediaTypes, negotiateFormat } from './negotiate.js'
import { HttpProblem } from './problem.js'

/** The Content-Type of each format. */
export const contentTypes = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  npy: mediaTypes.npy,
  arrow: mediaTypes.arrow,
  svg: 'image/svg+xml; charset=utf-8'
} as const satisfies Record<Format, string>

/** Values a chunk holds (rows × groups): the unit of work, of memory and of cancellation. */
export const CHUNK_VALUES = 1 << 16

/** What the answer routes share: the pool, the limits, the cache. */
export interface AnswerContext {
  pool: ComputePool
  maxValues: number
  deadlineMs: number
  /** `Cache-Control` of GET answers. */
  cacheControl: string
  version: string
  /** Counts for /metrics. */
  observe?: (event: AnswerEvent) => void
}

export type AnswerEvent =
  /** Values (steps × param groups) about to be computed for an answer. */
  | { kind: 'values', count: number }
  /** An answer served without computing it: `conditional`, a 304 to If-None-Match. */
  | { kind: 'cache-hit', cache: 'conditional' }

/** What a values route answers: the job, and how its chart is titled. */
export interface ValuesAnswer {
  job: Job
  /** The one-step route: a point, not a list. */
  point: boolean
  /** The first column of CSV and Arrow: `t`, or `update` for a plan. */
  stepColumn: 't' | 'update'
  /** The chart's title and x axis, from the answer's head fields (a plan's num_epochs, say). */
  chart: (head: Record<string, unknown>) => { title: ChartTitle, xLabel: 'epoch' | 'update' | 'step' }
}

/** The format a request asks for: its `format` parameter, else its Accept header. */
export function formatOf (request: FastifyRequest, format: Format | undefined): Format {
  return format ?? negotiateFormat(request.headers.accept)
}

/** An ETag from what determines the bytes: the service's version, the format and the canonical request. */
export function etagOf (version: string, format: Format, logScale: boolean, job: unknown): string {
  return `"${createHash('sha1').update(`${version}\n${format}\n${logScale ? 1 : 0}\n${JSON.stringify(job)}`).digest('base64url').slice(0, 22)}"`
}

function ifNoneMatch (request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match']
  if (header === undefined) return false
  return header.trim() === '*' || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)
}

/**
 * What a JSON answer states before its values, as headers for the other formats
 * (an NPY file has no room for it): `LR-Start`, `LR-Count`, a plan's
 * `LR-Num-Epochs` and `LR-Total-Updates`, `LR-Warning`.
 */
function headFields (reply: FastifyReply, head: Record<string, unknown>): void {
  for (const [field, value] of Object.entries(head)) {
    const name = field === 'warnings' ? 'lr-warning' : 'lr-' + field.replace(/_/g, '-')
    if (Array.isArray(value)) reply.header(name, value.map((item) => String(item).replace(/[^\x20-\x7e]/g, '?')))
    else reply.header(name, String(value))
  }
}

/** The answer's head fields as headers, for a client that reads them (CORS exposes them). */
export const HEAD_HEADERS = ['LR-Scheduler', 'LR-Unit', 'LR-Start', 'LR-Count', 'LR-Warning', 'LR-Num-Epochs', 'LR-Updates-Per-Epoch', 'LR-Total-Updates', 'LR-Scheduler-Class']

/** Refuses a request over the limit before any work. */
export function checkCost (computation: Computation, maxValues: number, job: Job): void {
  if (computation.cost > maxValues) {
    const { start, count, groups, cost } = computation
    const fold = cost > count * groups
    const parts = fold
      ? `${start + count} steps (every step from 0, since the schedule is computed step by step) × ${groups} param group${groups === 1 ? '' : 's'} = ${cost} values`
      : `${count} steps × ${groups} param group${groups === 1 ? '' : 's'} = ${cost} values`
    const paged = job.kind === 'plan' ? 'Ask for the run in pages: start and count (or epoch_start and epoch_count).' : fold ? 'Ask for an earlier window.' : 'Ask for fewer steps (start, count) and fetch the rest in pages.'
    const path = job.kind === 'plan'
      ? (job.request.epoch_count !== undefined ? '/epoch_count' : '/count')
      : (fold && start > 0 ? '/start' : '/count')
    throw new HttpProblem('too-many-values', `This request computes ${parts}, above the limit of ${maxValues} values a request (MAX_VALUES). ${paged}`, [{ path, message: `${cost} values computed; at most ${maxValues}` }])
  }
}

function refusal (failure: TaskFailure): Error {
  if (failure.kind === 'deadline') return new HttpProblem('deadline-exceeded', `The request was stopped at its deadline: ${failure.message}.`)
  return new ScheduleError(failure.message, failure.pythonError, failure.path)
}

/** Runs a task on the pool, or fails when the deadline comes first. */
async function runBefore (context: AnswerContext, task: Parameters<ComputePool['run']>[0], deadline: number): Promise<RowsResult> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new HttpProblem('deadline-exceeded', `The request was not answered within ${context.deadlineMs} ms (REQUEST_DEADLINE_MS), so its work was stopped.`)), Math.max(0, deadline - Date.now()))
  })
  try {
    return await Promise.race([context.pool.run(task), late])
  } catch (error) {
    if (error instanceof PoolBusy) throw new HttpProblem('overloaded', `The server is busy: ${error.message}. Retry after a second.`, [], 'queue-full')
    throw error
  } finally {
    clearTimeout(timer)
  }
}

function encodingOf (format: Format, point: boolean): Encoding {
  if (point && format === 'json') return 'doubles'
  return format === 'svg' ? 'doubles' : format
}

function headOf (format: Format, computation: Computation, stepColumn: string): Uint8Array | string {
  switch (format) {
    case 'json': return jsonHead(computation.head)
    case 'csv': return csvHead(stepColumn, computation.groups)
    case 'npy': return npyHeader(computation.groups, computation.count)
    case 'arrow': return arrowHead(stepColumn, computation.groups)
    case 'svg': return ''
  }
}

function tailOf (format: Format): Uint8Array | string {
  if (format === 'json') return JSON_TAIL
  if (format === 'arrow') return ARROW_TAIL
  return ''
}

function bytes (piece: Uint8Array | string): Buffer {
  return typeof piece === 'string' ? Buffer.from(piece) : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength)
}

/**
 * Sends a values answer (a schedule, a step or a plan) in `format`. `cacheable`:
 * a GET answer, with an ETag from the request (checked against If-None-Match before
 * any work) and Cache-Control.
 */
export async function sendValues (request: FastifyRequest, reply: FastifyReply, context: AnswerContext, answer: ValuesAnswer, format: Format, options: { logScale: boolean, cacheable: boolean }): Promise<FastifyReply> {
  const computation = computationOf(answer.job)
  checkCost(computation, context.maxValues, answer.job)
  computation.checkCost()
  reply.header('vary', 'Accept')
  if (options.cacheable) {
    const etag = etagOf(context.version, format, options.logScale, answer.job)
    reply.header('etag', etag).header('cache-control', context.cacheControl)
    if (ifNoneMatch(request, etag)) {
      context.observe?.({ kind: 'cache-hit', cache: 'conditional' })
      return reply.code(304).send()
    }
  }
  reply.type(contentTypes[format])
  if (format !== 'json') headFields(reply, computation.head)
  if (format === 'npy' || format === 'arrow') reply.header('content-disposition', `attachment; filename="${answer.job.kind === 'plan' ? 'plan' : 'schedule'}.${format}"`)
  // HEAD: the headers a GET would have, without computing the values.
  if (request.method === 'HEAD') return reply.send()
  const deadline = Date.now() + context.deadlineMs
  context.observe?.({ kind: 'values', count: computation.count * computation.groups })

  if (format === 'svg') {
    const { title, xLabel } = answer.chart(computation.head)
    const task: ChartTask = { kind: 'chart', series: [{ name: '', job: answer.job }], ...title, xLabel, logScale: options.logScale, deadline }
    const result = await runBefore(context, task, deadline)
    if (result.failure !== undefined) throw refusal(result.failure)
    return reply.send(bytes(result.bytes!))
  }

  const { start, count, groups } = computation
  const end = start + count
  const chunkRows = Math.max(1, Math.floor(CHUNK_VALUES / groups))
  const base = { kind: 'rows' as const, job: answer.job, encoding: encodingOf(format, answer.point), stepColumn: answer.stepColumn, deadline, chunkRows }
  const first = await runBefore(context, { ...base, from: start, to: Math.min(start + chunkRows, end), continued: false, checkUntil: end }, deadline)
  if (first.failure !== undefined) throw refusal(first.failure)

  if (answer.point && format === 'json') {
    const values = new Float64Array(first.bytes!.buffer, first.bytes!.byteOffset, groups)
    const { start: t, count: _count, scheduler: _scheduler, unit: _unit, ...rest } = computation.head
    return reply.send(jsonPoint({ t, ...rest }, values, groups))
  }
  const head = bytes(headOf(format, computation, answer.stepColumn))
  const tail = bytes(tailOf(format))
  if (start + chunkRows >= end) return reply.send(Buffer.concat([head, bytes(first.bytes!), tail]))

  const checkpoints = first.checkpoints ?? []
  let next = start + chunkRows
  let chunk = 0
  let resume: FoldCheckpoint | undefined = first.checkpoint
  let timer: NodeJS.Timeout | undefined
  const stream = new Readable({
    read () {
      if (next >= end) {
        this.push(tail)
        this.push(null)
        return
      }
      const from = next
      const to = Math.min(from + chunkRows, end)
      next = to
      const checkpoint = resume ?? checkpoints[chunk]
      chunk++
      context.pool.run({ ...base, from, to, continued: true, resume: checkpoint })
        .then((result) => {
          if (this.destroyed) return
          if (result.failure !== undefined) {
            // Checked before the first byte; only the deadline can stop a later chunk.
            this.destroy(refusal(result.failure))
            return
          }
          resume = result.checkpoint
          this.push(bytes(result.bytes!))
        })
        .catch((error: unknown) => this.destroy(error as Error))
    },
    destroy (error, callback) {
      clearTimeout(timer)
      callback(error)
    }
  })
  stream.push(head)
  stream.push(bytes(first.bytes!))
  timer = setTimeout(() => {
    request.log.warn({ deadlineMs: context.deadlineMs }, 'answer cut at its deadline')
    stream.destroy(new HttpProblem('deadline-exceeded', 'The answer was cut at its deadline.'))
  }, Math.max(0, deadline - Date.now()))
  return reply.send(stream)
}

/** Sends a chart of several named answers (`POST /v1/plots`). */
export async function sendPlot (reply: FastifyReply, context: AnswerContext, series: Array<{ name: string, job: Job }>, chart: { title: ChartTitle, xLabel: 'epoch' | 'update' | 'step' }, logScale: boolean): Promise<FastifyReply> {
  const deadline = Date.now() + context.deadlineMs
  const task: ChartTask = { kind: 'chart', series, ...chart.title, xLabel: chart.xLabel, logScale, deadline }
  const result = await runBefore(context, task, deadline)
  if (result.failure !== undefined) throw refusal(result.failure)
  return reply.type(contentTypes.svg).send(bytes(result.bytes!))
}

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
import { CheckpointCache, foldKey } from '../compute/checkpoints.js'
import type { FoldCheckpoint } from '../compute/rows.js'
import type { CheckTask, Encoding, RowsResult, TaskFailure } from '../compute/task.js'
import { ScheduleError } from '../schedules/core/errors.js'
import type { AnswerCache } from './answer-cache.js'
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
  /** Whole answers kept for repeated requests. */
  cache: AnswerCache
  /** Fold states kept, so a window need not replay its fold from step 0. */
  checkpoints: CheckpointCache
  /** Counts for /metrics. */
  observe?: (event: AnswerEvent) => void
}

export type AnswerEvent =
  /** Values (steps × param groups) about to be computed for an answer. */
  | { kind: 'values', count: number }
  /** An answer served without computing it: `conditional`, a 304 to If-None-Match; `memory`, from the answer cache. */
  | { kind: 'cache-hit', cache: 'conditional' | 'memory' }

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

/** What determines an answer's bytes: the service's version, the format and the canonical request. The answer cache's key. */
export function identityOf (version: string, format: Format, logScale: boolean, job: unknown): string {
  return `${version}\n${format}\n${logScale ? 1 : 0}\n${JSON.stringify(job)}`
}

/** An ETag from an answer's identity (a GET's only: a POST's answer is not cacheable, so it is not hashed). */
export function etagOf (identity: string): string {
  return `"${createHash('sha1').update(identity).digest('base64url').slice(0, 22)}"`
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
export const HEAD_HEADERS = ['LR-Scheduler', 'LR-Unit', 'LR-Start', 'LR-Count', 'LR-Warning', 'LR-Num-Epochs', 'LR-Updates-Per-Epoch', 'LR-Total-Updates', 'LR-Scheduler-Class', 'LR-Start-Epoch']

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
async function runBefore (context: AnswerContext, task: Parameters<ComputePool['run']>[0], deadline: number, options?: Parameters<ComputePool['run']>[1]): Promise<RowsResult> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new HttpProblem('deadline-exceeded', `The request was not answered within ${context.deadlineMs} ms (REQUEST_DEADLINE_MS), so its work was stopped.`)), Math.max(0, deadline - Date.now()))
  })
  try {
    return await Promise.race([context.pool.run(task, options), late])
  } catch (error) {
    if (error instanceof PoolBusy) throw new HttpProblem('overloaded', `The server is busy: ${error.message}. Retry after a second.`, [], 'queue-full')
    throw error
  } finally {
    clearTimeout(timer)
  }
}

/**
 * The check of a closed form's window, split across the workers: its values do not
 * depend on each other, so the first byte waits for a share of the window, not all
 * of it. The first part admits the request; the others ride on it. The failure
 * reported is the earliest step's.
 */
async function checkInParts (context: AnswerContext, job: Job, start: number, end: number, chunkRows: number, deadline: number, keep: CheckTask['keep']): Promise<RowsResult> {
  const chunks = Math.ceil((end - start) / chunkRows)
  const parts = Math.max(1, Math.min(context.pool.workers, chunks))
  const partRows = Math.ceil(chunks / parts) * chunkRows
  const task = (from: number): CheckTask => ({ kind: 'check', job, from, to: Math.min(from + partRows, end), chunkRows, deadline, keep: keep && { ...keep, continued: from > start } })
  // Admission is decided when the first part is submitted: a refused request starts no other.
  const refused = context.pool.full
  const first = runBefore(context, task(start), deadline)
  const rest = refused ? [] : Array.from({ length: parts - 1 }, (_, k) => runBefore(context, task(start + (k + 1) * partRows), deadline, { admitted: true }))
  const results = await Promise.all([first, ...rest])
  return results.find((result) => result.failure !== undefined) ?? { chunks: keep && results.flatMap((result) => result.chunks ?? []) }
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
  // A chart's title shows the fields the client wrote, so it is part of what the bytes depend on.
  const chart = format === 'svg' ? answer.chart(computation.head) : undefined
  const key = identityOf(context.version, format, options.logScale, chart === undefined ? answer.job : { job: answer.job, chart })
  if (options.cacheable) {
    const etag = etagOf(key)
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
  const cached = context.cache.get(key)
  if (cached !== undefined) {
    context.observe?.({ kind: 'cache-hit', cache: 'memory' })
    return reply.send(cached.body)
  }
  const keep = (body: Buffer | string): FastifyReply => {
    const buffer = typeof body === 'string' ? Buffer.from(body) : body
    context.cache.set(key, { body: buffer, headers: answerHeaders(reply) }, options.cacheable ? urlKey(request) : undefined)
    return reply.send(buffer)
  }
  const deadline = Date.now() + context.deadlineMs
  context.observe?.({ kind: 'values', count: computation.count * computation.groups })

  if (format === 'svg') {
    const { title, xLabel } = chart!
    const task: ChartTask = { kind: 'chart', series: [{ name: '', job: answer.job }], ...title, xLabel, logScale: options.logScale, deadline }
    const result = await runBefore(context, task, deadline)
    if (result.failure !== undefined) throw refusal(result.failure)
    return keep(bytes(result.bytes!))
  }

  const { start, count, groups } = computation
  const end = start + count
  const chunkRows = Math.max(1, Math.floor(CHUNK_VALUES / groups))
  const base = { kind: 'rows' as const, job: answer.job, encoding: encodingOf(format, answer.point), stepColumn: answer.stepColumn, deadline }

  const fold = computation.schedule.kind === 'fold'
  const foldId = fold ? foldKey(answer.job) : ''
  if (count <= chunkRows) {
    // One chunk: computed and checked in one task, here when it is too small to be worth a thread hop.
    const resume = fold ? context.checkpoints.nearest(foldId, start) : undefined
    const task = { ...base, from: start, to: end, continued: false, resume }
    const work = computation.cost - (resume?.t ?? 0) * groups
    const result = work <= INLINE_VALUES && !noisy(answer.job) ? await context.pool.runHere(task) : await runBefore(context, task, deadline)
    if (result.failure !== undefined) throw refusal(result.failure)
    if (result.checkpoint !== undefined) context.checkpoints.add(foldId, [result.checkpoint])
    if (answer.point && format === 'json') {
      const values = new Float64Array(result.bytes!.buffer, result.bytes!.byteOffset, groups)
      const { start: t, count: _count, scheduler: _scheduler, unit: _unit, ...rest } = computation.head
      return keep(jsonPoint({ t, ...rest }, values, groups))
    }
    return keep(Buffer.concat([bytes(headOf(format, computation, answer.stepColumn)), bytes(result.bytes!), bytes(tailOf(format))]))
  }

  // Several chunks: the whole window is checked before anything is sent. A window small
  // enough to hold is computed once: the check keeps its chunks, and they are sent as
  // they are. A larger one is checked (every value computed, none kept) beside its
  // first chunks, which wait for the check; a fold's chunks need the check's
  // checkpoints, so they start after it.
  const chunks = Math.ceil(count / chunkRows)
  const held = count * groups <= (format === 'npy' || format === 'arrow' ? HELD_BINARY_VALUES : HELD_TEXT_VALUES)
  const keepAs = held ? { encoding: base.encoding, stepColumn: base.stepColumn, continued: false } : undefined
  const check = fold
    ? runBefore(context, { kind: 'check', job: answer.job, from: start, to: end, chunkRows, deadline, resume: context.checkpoints.nearest(foldId, start), keep: keepAs }, deadline)
    : checkInParts(context, answer.job, start, end, chunkRows, deadline, keepAs)
  if (held) {
    const checked = await check
    if (checked.failure !== undefined) throw refusal(checked.failure)
    if (fold) context.checkpoints.add(foldId, checked.checkpoints ?? [])
    const kept = checked.chunks!
    return reply.send(streamOf(request, context, format, computation, answer.stepColumn, deadline, new ChunkProducer(chunks, 1, async (k) => bytes(kept[k]))))
  }
  let checkpoints: FoldCheckpoint[] = []
  let first: FoldCheckpoint | undefined
  if (fold) {
    const checked = await check
    if (checked.failure !== undefined) throw refusal(checked.failure)
    checkpoints = checked.checkpoints ?? []
    context.checkpoints.add(foldId, checkpoints)
    // The state before each chunk: a window from 0 starts from the constructor's.
    if (start > 0) {
      first = checkpoints[0]
      checkpoints = checkpoints.slice(1)
    }
  }
  const producer = new ChunkProducer(chunks, Math.max(1, Math.min(4, context.pool.workers)), async (k) => {
    const from = start + k * chunkRows
    const result = await context.pool.run({ ...base, from, to: Math.min(from + chunkRows, end), continued: k > 0, resume: k > 0 ? checkpoints[k - 1] : first }, { admitted: true })
    if (result.failure !== undefined) throw refusal(result.failure)
    return bytes(result.bytes!)
  })
  if (!fold) {
    try {
      const checked = await check
      if (checked.failure !== undefined) throw refusal(checked.failure)
    } catch (error) {
      producer.cancel()
      throw error
    }
  }

  return reply.send(streamOf(request, context, format, computation, answer.stepColumn, deadline, producer))
}

/** The answer's stream: its head, then the producer's chunks as the client reads them, then its tail; cut at the deadline. */
function streamOf (request: FastifyRequest, context: AnswerContext, format: Format, computation: Computation, stepColumn: string, deadline: number, producer: ChunkProducer): Readable {
  let timer: NodeJS.Timeout | undefined
  let ended = false
  const stream = new Readable({
    read () {
      producer.next().then((chunk) => {
        if (this.destroyed) return
        if (chunk === null) {
          ended = true
          this.push(bytes(tailOf(format)))
          this.push(null)
        } else this.push(chunk)
      }, (error: unknown) => this.destroy(error as Error))
    },
    destroy (error, callback) {
      clearTimeout(timer)
      producer.cancel()
      // The client went away (or the deadline came): no further chunk is computed.
      if (!ended) request.log.info({ chunks: producer.chunks, computed: producer.started, error: error?.message }, 'answer stopped before its end')
      callback(error)
    }
  })
  stream.push(bytes(headOf(format, computation, stepColumn)))
  timer = setTimeout(() => {
    request.log.warn({ deadlineMs: context.deadlineMs }, 'answer cut at its deadline')
    stream.destroy(new HttpProblem('deadline-exceeded', 'The answer was cut at its deadline.'))
  }, Math.max(0, deadline - Date.now()))
  return stream
}

/** The headers that belong to an answer (not to every reply), for the cache. */
function answerHeaders (reply: FastifyReply): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined && (ANSWER_HEADERS.has(name) || name.startsWith('lr-'))) headers[name] = Array.isArray(value) ? value : String(value)
  }
  return headers
}

const ANSWER_HEADERS = new Set(['content-type', 'etag', 'cache-control', 'vary', 'content-disposition'])

/** How a GET is found in the cache before validation: its URL, and the Accept header a format may come from. */
export function urlKey (request: FastifyRequest): string {
  return `${request.headers.accept ?? ''}\n${request.url}`
}

/**
 * Answers a GET from the cache, before validation, when the same URL (and Accept
 * header) was answered before; `If-None-Match` gets its 304.
 */
export function cachedGet (request: FastifyRequest, reply: FastifyReply, context: AnswerContext): FastifyReply | undefined {
  const entry = context.cache.forUrl(urlKey(request))
  if (entry === undefined) return undefined
  reply.headers(entry.headers)
  const etag = entry.headers.etag
  if (typeof etag === 'string' && ifNoneMatch(request, etag)) {
    context.observe?.({ kind: 'cache-hit', cache: 'conditional' })
    return reply.code(304).send()
  }
  context.observe?.({ kind: 'cache-hit', cache: 'memory' })
  return reply.send(entry.body)
}

/**
 * The largest windows computed once and held until checked, rather than checked and
 * computed again: 8 MiB of doubles (NPY, Arrow), and about as much text (JSON, CSV
 * take some 20 bytes a value).
 */
const HELD_BINARY_VALUES = 1 << 20
const HELD_TEXT_VALUES = 1 << 19

/** Values an answer may have and still be computed on the main thread: less than a thread hop costs. */
const INLINE_VALUES = 4096

/** Whether a job draws timm's noise, whose redraws make even a short window's cost vary. */
function noisy (job: Job): boolean {
  const request = job.request as { noise_range_t?: unknown, lr_noise?: unknown }
  return (request.noise_range_t ?? request.lr_noise ?? null) !== null
}

/**
 * The chunks of an answer, in order, computed up to `window` ahead of the one the
 * stream asks for: the workers keep busy while a chunk is written, and no more than
 * `window` chunks are ever held.
 */
class ChunkProducer {
  private readonly pending = new Map<number, Promise<Buffer>>()
  private nextChunk = 0
  started = 0
  private cancelled = false

  constructor (readonly chunks: number, private readonly window: number, private readonly compute: (k: number) => Promise<Buffer>) {
    this.fill()
  }

  private fill (): void {
    while (!this.cancelled && this.started < this.chunks && this.started < this.nextChunk + this.window) {
      const k = this.started++
      const promise = this.compute(k)
      // A chunk nobody will read must not be an unhandled rejection.
      promise.catch(() => {})
      this.pending.set(k, promise)
    }
  }

  /** The next chunk, or null after the last. */
  async next (): Promise<Buffer | null> {
    if (this.nextChunk >= this.chunks) return null
    const k = this.nextChunk++
    const chunk = this.pending.get(k)!
    this.pending.delete(k)
    this.fill()
    return await chunk
  }

  cancel (): void {
    this.cancelled = true
  }
}

/** Sends a chart of several named answers (`POST /v1/plots`). */
export async function sendPlot (reply: FastifyReply, context: AnswerContext, series: ChartTask['series'], chart: { title: ChartTitle, xLabel: 'epoch' | 'update' | 'step' }, logScale: boolean): Promise<FastifyReply> {
  const deadline = Date.now() + context.deadlineMs
  const task: ChartTask = { kind: 'chart', series, ...chart.title, xLabel: chart.xLabel, logScale, deadline }
  const result = await runBefore(context, task, deadline)
  if (result.failure !== undefined) throw refusal(result.failure)
  return reply.type(contentTypes.svg).send(bytes(result.bytes!))
}

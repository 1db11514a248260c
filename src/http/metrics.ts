/**
 * `GET /metrics`: the app's counters in Prometheus' text format (prom-client), for a
 * scraper to read from every replica. Each app has a registry of its own (not
 * prom-client's global one), so many apps in one process never clash.
 *
 * Every label takes values from a fixed set, whatever clients send: a route is its
 * pattern as registered (`/v1/schedules/cosine`, `/v1/schedules/:scheduler`,
 * `unmatched`), never a URL; a method one of HTTP's; a format one of the service's
 * five, `other` or `none`; a refusal's reason one of REFUSAL_REASONS.
 *
 * What it counts: requests (by route, method, status and format), their durations
 * (histograms), the values computed, the compute pool's queue and busy time,
 * refusals by reason, and answers served from a cache (`cache="conditional"`: a 304
 * to `If-None-Match`; `cache="memory"`: the in-process answer cache). The fleet's shared GET cache is nginx's, in front of the
 * replicas: a hit there never reaches an app, and nginx tells it in `X-Cache-Status`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { ComputePool } from '../compute/pool.js'
import type { AnswerEvent } from './answer.js'
import { type Format, formats, negotiateFormat } from './negotiate.js'
import { HttpProblem, toProblem } from './problem.js'

/** The reasons a request is refused, as the `reason` label says them. */
export const REFUSAL_REASONS = [
  'invalid-request', 'schedule-refused', 'too-many-values', 'deadline-exceeded',
  'queue-full', 'event-loop', 'draining', 'overloaded',
  'not-found', 'method-not-allowed', 'body-too-large', 'unsupported-media-type', 'client-error'
] as const

export type RefusalReason = typeof REFUSAL_REASONS[number]

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

/** Seconds: from a health check's fraction of a millisecond to the 30 s deadline. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

/** Routes that answer values in one of the formats; `/v1/plots` always draws SVG. */
const VALUE_ROUTE = /^\/v1\/(schedules|plans)(\/|$)/

/**
 * The format a request asks for, as the answer routes read it: the `format` query
 * parameter, else the Accept header; `other` for a format the service does not
 * have; `none` for routes that answer no values.
 */
export function formatLabel (route: string | undefined, url: string, accept: string | undefined): Format | 'other' | 'none' {
  if (route === '/v1/plots') return 'svg'
  if (route === undefined || !VALUE_ROUTE.test(route)) return 'none'
  const query = url.indexOf('?')
  const asked = query < 0 ? null : new URLSearchParams(url.slice(query + 1)).get('format')
  if (asked !== null) return (formats as string[]).includes(asked) ? asked as Format : 'other'
  return negotiateFormat(accept)
}

/** Why a request was refused, from the error its route or a hook threw; undefined for a server error. */
export function refusalReason (error: unknown): RefusalReason | undefined {
  if (error instanceof HttpProblem && error.kind === 'overloaded') return error.reason ?? 'overloaded'
  const problem = toProblem(error)
  if (problem.type.startsWith('/problems/')) return problem.type.slice('/problems/'.length) as RefusalReason
  switch (problem.status) {
    case 400: return 'invalid-request'
    case 404: return 'not-found'
    case 405: return 'method-not-allowed'
    case 413: return 'body-too-large'
    case 415: return 'unsupported-media-type'
  }
  return problem.status >= 400 && problem.status < 500 ? 'client-error' : undefined
}

export interface Metrics {
  registry: Registry
  requests: Counter<'route' | 'method' | 'status' | 'format'>
  durations: Histogram<'route' | 'method' | 'format'>
  refusals: Counter<'reason'>
  /** The answer routes' events (AnswerContext.observe). */
  observe: (event: AnswerEvent) => void
}

/** The app's metrics, and the pool's, read from it at each scrape. */
export function createMetrics (pool: ComputePool): Metrics {
  const registry = new Registry()
  const requests = new Counter({
    name: 'lr_schedules_http_requests_total',
    help: 'Requests answered, by route pattern, method, status and the format asked for (json, csv, npy, arrow, svg; other; none for routes without values).',
    labelNames: ['route', 'method', 'status', 'format'] as const,
    registers: [registry]
  })
  const durations = new Histogram({
    name: 'lr_schedules_http_request_duration_seconds',
    help: 'Seconds from a request\'s arrival to the last byte of its answer, by route pattern, method and format.',
    labelNames: ['route', 'method', 'format'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry]
  })
  const values = new Counter({
    name: 'lr_schedules_values_computed_total',
    help: 'Values (steps x param groups) of the answers computed.',
    registers: [registry]
  })
  const refusals = new Counter({
    name: 'lr_schedules_refusals_total',
    help: `Requests refused, by reason: ${REFUSAL_REASONS.join(', ')}.`,
    labelNames: ['reason'] as const,
    registers: [registry]
  })
  const cacheHits = new Counter({
    name: 'lr_schedules_cache_hits_total',
    help: 'Answers served without computing them, by cache (conditional: a 304 to If-None-Match; memory: the in-process answer cache).',
    labelNames: ['cache'] as const,
    registers: [registry]
  })
  new Gauge({
    name: 'lr_schedules_pool_queue_depth',
    help: 'Tasks waiting for a worker thread of the compute pool.',
    registers: [registry],
    collect () { this.set(pool.queued) }
  })
  new Gauge({
    name: 'lr_schedules_pool_workers',
    help: 'Worker threads of the compute pool (0: computing on the main thread).',
    registers: [registry],
    collect () { this.set(pool.workers) }
  })
  new Gauge({
    name: 'lr_schedules_pool_queue_limit',
    help: 'Tasks that may wait for a worker before requests are refused (MAX_QUEUE).',
    registers: [registry],
    collect () { this.set(pool.maxQueue) }
  })
  new Counter({
    name: 'lr_schedules_pool_busy_seconds_total',
    help: 'Seconds the compute pool\'s workers have spent computing; its rate divided by the workers is their utilisation.',
    registers: [registry],
    collect () {
      this.reset()
      this.inc(pool.busyTime / 1000)
    }
  })
  cacheHits.inc({ cache: 'conditional' }, 0)
  cacheHits.inc({ cache: 'memory' }, 0)

  return {
    registry,
    requests,
    durations,
    refusals,
    observe (event) {
      switch (event.kind) {
        case 'values':
          values.inc(event.count)
          break
        case 'cache-hit':
          cacheHits.inc({ cache: event.cache })
          break
      }
    }
  }
}

/**
 * Counts every request of `app` and serves `GET /metrics`; returns the hook the
 * answer routes report to (AnswerContext.observe).
 */
export function registerMetrics (app: FastifyInstance, pool: ComputePool): (event: AnswerEvent) => void {
  const metrics = createMetrics(pool)
  let processMetrics = false
  const labelsOf = (request: FastifyRequest) => {
    const route = request.routeOptions.url
    return {
      route: route ?? 'unmatched',
      method: METHODS.has(request.method) ? request.method : 'other',
      format: formatLabel(route, request.url, request.headers.accept)
    }
  }
  app.addHook('onError', async (_request, _reply, error) => {
    const reason = refusalReason(error)
    if (reason !== undefined) metrics.refusals.inc({ reason })
  })
  app.addHook('onResponse', async (request, reply) => {
    const labels = labelsOf(request)
    metrics.requests.inc({ ...labels, status: String(reply.statusCode) })
    metrics.durations.observe(labels, reply.elapsedTime / 1000)
  })
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    // The process's own (CPU, memory, event loop, GC) from the first scrape on, so
    // that apps nobody scrapes (the tests' many) start no monitors.
    if (!processMetrics) {
      collectDefaultMetrics({ register: metrics.registry })
      processMetrics = true
    }
    reply.header('cache-control', 'no-store').type(metrics.registry.contentType)
    return metrics.registry.metrics()
  })
  return metrics.observe
}

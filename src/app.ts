/**
 * The HTTP application: `buildApp()` returns a Fastify instance with every route,
 * ready for `inject` in tests or `listen` in `server.ts`. It never listens itself.
 */
import { readFileSync } from 'node:fs'
import { constants as zlib } from 'node:zlib'
import compress from '@fastify/compress'
import cors from '@fastify/cors'
import fastifyStatic from '@fastify/static'
import underPressure from '@fastify/under-pressure'
import fastifyPlugin from 'fastify-plugin'
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify'
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import { CheckpointCache } from './compute/checkpoints.js'
import { ComputePool } from './compute/pool.js'
import { type AnswerContext, cachedGet, HEAD_HEADERS } from './http/answer.js'
import { AnswerCache } from './http/answer-cache.js'
import { registerDocs } from './http/docs.js'
import { useJsonBodyParser } from './http/json-body.js'
import { planRoutes } from './http/plans.js'
import { plotRoutes } from './http/plots.js'
import { clientErrorProblem, handleProblems, HttpProblem } from './http/problem.js'
import { scheduleRoutes } from './http/schedules.js'
import { buildSchemas } from './http/schemas.js'
import { registerMetrics } from './http/metrics.js'
import { securityHeaders } from './http/security.js'
import { type Lifecycle, serviceRoutes } from './http/service.js'
import { settingsFromEnv, type Settings } from './settings.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's compute pool (server.ts starts its threads before listening). */
    computePool: ComputePool
  }
}

export interface AppOptions extends Partial<Settings> {
  /** Fastify's logger option: false (the default), true, or pino options such as `{ level: 'info' }`. */
  logger?: FastifyServerOptions['logger']
  /** The largest request body, in bytes. Default 1 MiB. */
  bodyLimit?: number
  /** `Cache-Control` of the GET answers. */
  cacheControl?: string
  /** A compute pool to use (and leave open on close), such as one shared by many test apps. */
  pool?: ComputePool
  /** Modules that register schedulers beyond the built-in ones (the workers import them too). */
  schedulerModules?: string[]
  /** Set when the server starts draining: new requests get 503 and /readyz turns false. */
  lifecycle?: Lifecycle
}

/**
 * GET answers are pure functions of their URL, so shared caches may keep them; a day,
 * because a new release of the service may correct a value in the last bit.
 */
export const DEFAULT_CACHE_CONTROL = 'public, max-age=86400'

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }

/** The types compression pays for: text. NPY and Arrow are dense doubles already. */
const COMPRESSIBLE = /^(application\/(json|problem\+json|javascript)|text\/[a-z-]+|image\/svg\+xml)(;|$)/

/** Seconds a shed client is asked to wait. */
const RETRY_AFTER = 1

export function buildApp (options: AppOptions = {}): FastifyInstance {
  const settings = { ...settingsFromEnv(), ...Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) } as Settings
  const lifecycle = options.lifecycle ?? { draining: false }
  const pool = options.pool ?? new ComputePool({ workers: settings.workers, maxQueue: settings.maxQueue, modules: options.schedulerModules })
  const app = Fastify({
    logger: options.logger ?? false,
    // One access-log line a request (onResponse below), not fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    connectionTimeout: settings.idleTimeoutMs,
    keepAliveTimeout: settings.keepAliveTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    // Requests on open connections while closing: 503 with Connection: close.
    return503OnClosing: true,
    // A body with __proto__ or constructor.prototype is refused, never merged
    // (json-body.ts does the same with messages that say where).
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Malformed requests that never reach a route (headers too large, a bad method,
    // a broken request line) are answered as problems too.
    clientErrorHandler: clientErrorProblem
  })
  app.server.headersTimeout = settings.headersTimeoutMs
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  // Bodies are JSON only: any other content type is a 415, not a string to validate.
  app.removeContentTypeParser('text/plain')
  useJsonBodyParser(app)
  handleProblems(app)

  const headers = securityHeaders()
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(headers)
    // Draining: new work goes elsewhere; the probes still answer.
    if (lifecycle.draining && request.url !== '/healthz' && request.url !== '/readyz') {
      reply.header('connection', 'close').header('retry-after', String(RETRY_AFTER))
      throw new HttpProblem('overloaded', 'The server is shutting down and takes no new requests; send this one to another replica, or again shortly.', [], 'draining')
    }
  })
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ method: request.method, url: request.url.length > 300 ? request.url.slice(0, 300) + '...' : request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }, 'answered')
  })
  app.register(cors, {
    origin: settings.corsOrigins,
    methods: ['GET', 'HEAD', 'POST'],
    exposedHeaders: ['ETag', 'Retry-After', 'Content-Disposition', ...HEAD_HEADERS],
    maxAge: 86400
  })
  app.register(compress, {
    encodings: ['br', 'gzip'],
    threshold: 1024,
    customTypes: COMPRESSIBLE,
    // Brotli's default (11) is for files compressed once; 4 is as fast as gzip and smaller.
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } },
    zlibOptions: { level: 6 }
  })
  app.register(underPressure, {
    // An event loop this late means the main thread is overwhelmed: shed until it recovers.
    maxEventLoopDelay: 1000,
    retryAfter: RETRY_AFTER,
    pressureHandler: (_request, reply, type, value) => {
      reply.header('retry-after', String(RETRY_AFTER))
      throw new HttpProblem('overloaded', `The server is overloaded (${type}: ${Math.round(Number(value))}); send the request again shortly.`, [], 'event-loop')
    }
  })

  const cache = new AnswerCache(settings.cacheBytes)
  // A GET answered before is answered again from memory, before validation; after
  // CORS and load shedding have had their say (a plugin registered after theirs).
  app.register(fastifyPlugin(async (instance) => {
    instance.addHook('onRequest', async (request, reply) => {
      if (request.method === 'GET' && (request.url.startsWith('/v1/schedules/') || request.url.startsWith('/v1/plans?'))) {
        return cachedGet(request, reply, context)
      }
    })
  }))
  const context: AnswerContext = {
    cache,
    checkpoints: new CheckpointCache(),
    pool,
    observe: registerMetrics(app, pool),
    maxValues: settings.maxValues,
    deadlineMs: settings.requestDeadlineMs,
    cacheControl: options.cacheControl ?? DEFAULT_CACHE_CONTROL,
    version
  }
  const schemas = buildSchemas()
  registerDocs(app, { version, schedulers: [...schemas.definitions.values()] })
  app.register(serviceRoutes, { lifecycle })
  app.register(scheduleRoutes, { context, schemas })
  app.register(planRoutes, { context })
  app.register(plotRoutes, { context, schemas })
  // The playground: index.html at /, its script and style beside it. Each file is a
  // route of its own (no wildcard), so any other path stays the API's 404 problem.
  // The same path from src/ (tsx) and from dist/ (node): public/ is their sibling.
  app.register(fastifyStatic, { root: new URL('../public/', import.meta.url), prefix: '/', wildcard: false })
  if (options.pool === undefined) app.addHook('onClose', async () => { await pool.close() })
  app.decorate('computePool', pool)
  return app
}

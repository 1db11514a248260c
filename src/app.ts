/**
 * The HTTP application: `buildApp()` returns a Fastify instance with every route,
 * ready for `inject` in tests or `listen` in `server.ts`. It never listens itself.
 */
import { readFileSync } from 'node:fs'
import helmet from '@fastify/helmet'
import fastifyStatic from '@fastify/static'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import { registerDocs } from './http/docs.js'
import { useJsonBodyParser } from './http/json-body.js'
import { planRoutes } from './http/plans.js'
import { plotRoutes } from './http/plots.js'
import { handleProblems } from './http/problem.js'
import { scheduleRoutes } from './http/schedules.js'
import { serviceRoutes } from './http/service.js'

export interface AppOptions {
  /** The most values (steps × param groups) one answer may hold. Default: env MAX_VALUES, else 1,000,000. */
  maxValues?: number
  /** Fastify's logger option: false (the default), true, or pino options such as `{ level: 'info' }`. */
  logger?: FastifyServerOptions['logger']
  /** The largest request body, in bytes. Default 1 MiB. */
  bodyLimit?: number
  /** `Cache-Control` of the GET schedule answers. */
  cacheControl?: string
}

export const DEFAULT_MAX_VALUES = 1_000_000

/**
 * GET answers are pure functions of their URL, so shared caches may keep them; a day,
 * because a new release of the service may correct a value in the last bit.
 */
export const DEFAULT_CACHE_CONTROL = 'public, max-age=86400'

/** `MAX_VALUES` from the environment: a positive integer, or the default when unset. */
export function maxValuesFromEnv (env: NodeJS.ProcessEnv = process.env): number {
  const text = env.MAX_VALUES
  if (text === undefined || text === '') return DEFAULT_MAX_VALUES
  const value = Number(text)
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new Error(`MAX_VALUES must be a positive integer; got ${JSON.stringify(text)}`)
  }
  return value
}

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }

export function buildApp (options: AppOptions = {}): FastifyInstance {
  const maxValues = options.maxValues ?? maxValuesFromEnv()
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // A body with __proto__ or constructor.prototype is refused, never merged
    // (json-body.ts does the same with messages that say where).
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error'
  })
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  // Bodies are JSON only: any other content type is a 415, not a string to validate.
  app.removeContentTypeParser('text/plain')
  useJsonBodyParser(app)

  handleProblems(app)
  app.register(helmet, {
    // The service speaks plain HTTP (TLS, if any, ends at a proxy in front of it):
    // upgrading the docs' assets to https would break /docs, and HSTS is the proxy's call.
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    hsts: false
  })
  registerDocs(app, { version })
  app.register(serviceRoutes)
  app.register(scheduleRoutes, { maxValues, cacheControl: options.cacheControl ?? DEFAULT_CACHE_CONTROL })
  app.register(planRoutes, { maxValues })
  app.register(plotRoutes, { maxValues })
  // The playground: index.html at /, its script and style beside it. Each file is a
  // route of its own (no wildcard), so any other path stays the API's 404 problem.
  // The same path from src/ (tsx) and from dist/ (node): public/ is their sibling.
  app.register(fastifyStatic, { root: new URL('../public/', import.meta.url), prefix: '/', wildcard: false })
  return app
}

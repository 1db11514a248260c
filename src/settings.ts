/**
 * The service's settings, from the environment, each checked at start-up: a bad
 * value stops the server with a sentence saying which and why.
 */
import { availableParallelism } from 'node:os'
import { corsOriginsFromEnv } from './http/security.js'

function integer (env: NodeJS.ProcessEnv, name: string, fallback: number, minimum: number, meaning: string): number {
  const text = env[name]
  if (text === undefined || text.trim() === '') return fallback
  const value = Number(text)
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < minimum) {
    throw new Error(`${name} must be a whole number ≥ ${minimum} (${meaning}); got ${JSON.stringify(text)}`)
  }
  return value
}

export interface Settings {
  port: number
  host: string
  /** The most values a request may compute (steps × param groups; a fold counts every step from 0). */
  maxValues: number
  /** Worker threads computing answers; 0 computes on the main thread. */
  workers: number
  /** Requests that may wait for a worker before requests are shed with 503. */
  maxQueue: number
  /** A request still unanswered after this long is stopped. */
  requestDeadlineMs: number
  /** How long a shutdown waits for answers in flight. */
  shutdownGraceMs: number
  /** A connection with no bytes moving for this long is closed (a client that stopped reading, say). */
  idleTimeoutMs: number
  /** An idle keep-alive connection is closed after this long. */
  keepAliveTimeoutMs: number
  /** The request's headers must arrive within this long. */
  headersTimeoutMs: number
  /** The whole request (headers and body) must arrive within this long. */
  requestTimeoutMs: number
  /** Bytes of whole answers kept in memory for repeated requests; 0 keeps none. */
  cacheBytes: number
  /** Origins a browser may call the API from: `*` or a list. */
  corsOrigins: '*' | string[]
}

/**
 * A 300-epoch ImageNet run (5,005 updates an epoch) with timm's two param groups is
 * 3,003,000 values: the default leaves room for it in one answer.
 */
export const DEFAULT_MAX_VALUES = 4_000_000

export function settingsFromEnv (env: NodeJS.ProcessEnv = process.env): Settings {
  const workers = integer(env, 'WORKERS', availableParallelism(), 0, 'worker threads; 0 computes on the main thread')
  return {
    port: integer(env, 'PORT', 3000, 0, 'the port to listen on'),
    host: env.HOST?.trim() || '127.0.0.1',
    maxValues: integer(env, 'MAX_VALUES', DEFAULT_MAX_VALUES, 1, 'the most values one request may compute'),
    workers,
    maxQueue: integer(env, 'MAX_QUEUE', Math.max(8, 16 * workers), 0, 'requests waiting for a worker before requests are shed'),
    requestDeadlineMs: integer(env, 'REQUEST_DEADLINE_MS', 30_000, 1, 'milliseconds a request may take'),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 25_000, 0, 'milliseconds a shutdown waits for answers in flight'),
    idleTimeoutMs: integer(env, 'IDLE_TIMEOUT_MS', 30_000, 1, 'milliseconds a connection may move no bytes'),
    keepAliveTimeoutMs: integer(env, 'KEEP_ALIVE_TIMEOUT_MS', 65_000, 1, 'milliseconds an idle keep-alive connection stays open'),
    headersTimeoutMs: integer(env, 'HEADERS_TIMEOUT_MS', 10_000, 1, 'milliseconds for the request headers to arrive'),
    requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 1, 'milliseconds for the whole request to arrive'),
    cacheBytes: integer(env, 'ANSWER_CACHE_MB', 32, 0, 'megabytes of answers kept for repeated requests') * 1024 * 1024,
    corsOrigins: corsOriginsFromEnv(env)
  }
}

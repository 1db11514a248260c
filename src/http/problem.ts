/**
 * Every error the API answers, as an RFC 9457 problem (`application/problem+json`):
 * `type`, `title`, `status`, `detail`, and `errors` naming each field at fault by its
 * JSON pointer (`/decay_t`, `/param_groups/0/lr`; `""` for the whole request).
 *
 * One error handler maps everything: validation → 400, a configuration timm refuses
 * (the engine's `ScheduleError`) → 422 with the engine's sentence, a request over
 * `MAX_VALUES` → 422 stating the limit, HTTP-level errors (malformed JSON, content
 * type, body size, `__proto__`) → their 4xx, anything else → 500 without internals.
 */
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import type { z } from 'zod'
import { ScheduleError } from '../schedules/index.js'
import { UnreadableBody } from './json-body.js'

export interface FieldError {
  /** A JSON pointer into the body, or into the query read as a body. */
  path: string
  message: string
}

export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  errors: FieldError[]
  /** A refusal only: the Python exception the library raises in the same situation (`ValueError`, `KeyError`, ...). */
  exception?: string
}

/** The problem types of this API, each served as a short explanation at its own URI. */
export const problemTypes = {
  'invalid-request': {
    status: 400,
    title: 'Invalid request',
    explanation: 'A field of the request is missing, unknown, of the wrong type or out of range. `errors` lists each one by its JSON pointer, with the reason; fix those fields and send the request again.'
  },
  'schedule-refused': {
    status: 422,
    title: 'timm refuses this configuration',
    explanation: 'The request is well formed, but timm itself would raise on it (for example cycle_mul < 1 asked past the end of its finite cycles, or plateau with decay_rate >= 1). `detail` says why, as the engine found it; `errors` names the parameter to change where one is to blame.'
  },
  'too-many-values': {
    status: 422,
    title: 'Too many values',
    explanation: 'The request would compute more values (steps x param groups; for a schedule computed step by step, every step from 0) than the server allows a request (MAX_VALUES). Ask for a shorter window with start and count (a plan also takes epoch_start and epoch_count), and fetch the rest in pages.'
  },
  overloaded: {
    status: 503,
    title: 'Too busy',
    explanation: 'Every worker is busy and the queue of requests waiting for one is full, or the server is shutting down. Nothing was computed; send the request again after the Retry-After header\'s seconds (to another replica, if there are several).'
  },
  'deadline-exceeded': {
    status: 503,
    title: 'Deadline exceeded',
    explanation: 'The request could not be answered within the server\'s deadline (REQUEST_DEADLINE_MS), so its work was stopped. Ask for a shorter window, or send it again when the server is less busy.'
  }
} as const

export type ProblemType = keyof typeof problemTypes

/** A problem of one of this API's own types. */
export class HttpProblem extends Error {
  readonly statusCode: number
  /**
   * `reason`: why, more precisely than the type, for /metrics (an overloaded server's
   * `queue-full`, `event-loop` or `draining`).
   */
  constructor (readonly kind: ProblemType, detail: string, readonly errors: FieldError[] = [], readonly reason?: 'queue-full' | 'event-loop' | 'draining') {
    super(detail)
    this.statusCode = problemTypes[kind].status
  }
}

/** A problem that is only its HTTP status (type about:blank), such as a 404. */
export class StatusProblem extends Error {
  constructor (readonly statusCode: number, detail: string, readonly errors: FieldError[] = []) {
    super(detail)
  }
}

/** A problem lists at most this many fields; its detail says how many more there were. */
export const MAX_LISTED_ERRORS = 20

/**
 * A request that fails validation: each bad field once, by path, at most
 * `MAX_LISTED_ERRORS` of them; `notes` (what the request does accept) once, in the
 * detail, however many fields they concern.
 */
export class InvalidRequest extends HttpProblem {
  constructor (errors: FieldError[], readonly part: 'body' | 'querystring', notes: readonly string[] = []) {
    const { listed, total } = bounded(errors)
    super('invalid-request', describeErrors(listed, total, part, notes), listed)
  }
}

/** Each path once (its first message), the first `MAX_LISTED_ERRORS` of them, and how many there were. */
function bounded (errors: readonly FieldError[]): { listed: FieldError[], total: number } {
  const seen = new Set<string>()
  const listed: FieldError[] = []
  for (const error of errors) {
    if (seen.has(error.path)) continue
    seen.add(error.path)
    if (listed.length < MAX_LISTED_ERRORS) listed.push(error.message.length > 500 ? { ...error, message: error.message.slice(0, 500) + '...' } : error)
  }
  return { listed, total: seen.size }
}

function describeErrors (listed: readonly FieldError[], total: number, part: string, notes: readonly string[]): string {
  const where = part === 'querystring' ? 'query' : 'body'
  const name = (error: FieldError) => error.path === '' ? `(the whole ${where})` : error.path
  let detail = total === 1
    ? `The request ${where} has an invalid field ${name(listed[0])}: ${listed[0].message}.`
    : `The request ${where} has ${total} invalid fields: ${listed.map(name).join(', ')}${total > listed.length ? `, and ${total - listed.length} more` : ''}.`
  for (const note of notes) detail += ` ${note[0].toUpperCase()}${note.slice(1)}.`
  return detail
}

/** A JSON pointer (RFC 6901) from a zod path. */
export function pointer (path: readonly PropertyKey[]): string {
  return path.map((key) => '/' + String(key).replace(/~/g, '~0').replace(/\//g, '~1')).join('')
}

/** zod says a missing field is of the wrong type ("expected number, received undefined"). */
function messageOf (code: string, message: string, expected: unknown): string {
  if (code === 'invalid_type' && message.endsWith('received undefined')) return `required (${String(expected)})`
  return message
}

/** fastify hands the validator null for a request without a body. */
function rootMessage (path: string, message: string): string {
  return path === '' && message.endsWith('expected object, received null') ? 'a JSON object is required (the body is missing or null)' : message
}

/** The fields a zod issue is about: an unknown-keys issue names each key (its message, the keys taken, goes to `notes` once). */
export function issuePath (issue: z.core.$ZodIssue, notes?: Set<string>): FieldError[] {
  if (issue.code === 'unrecognized_keys') {
    notes?.add(issue.message)
    return issue.keys.map((key) => ({ path: pointer([...issue.path, String(key).slice(0, 100)]), message: 'unknown field' }))
  }
  const path = pointer(issue.path)
  return [{ path, message: rootMessage(path, messageOf(issue.code, issue.message, (issue as { expected?: unknown }).expected)) }]
}

/** The field errors of fastify-type-provider-zod's validation error, as pointers. */
function providerErrors (validation: ReadonlyArray<{ instancePath: string, keyword: string, message?: string, params: Record<string, unknown> }>, notes: Set<string>): FieldError[] {
  return validation.flatMap((entry) => {
    // The provider joins the zod path with '/'; the root comes out as '/'.
    const base = entry.instancePath === '/' ? '' : entry.instancePath
    const message = messageOf(entry.keyword, entry.message ?? 'invalid', entry.params.expected)
    if (entry.keyword === 'unrecognized_keys' && Array.isArray(entry.params.keys)) {
      notes.add(message)
      return entry.params.keys.map((key) => ({ path: base + pointer([String(key).slice(0, 100)]), message: 'unknown field' }))
    }
    return [{ path: base, message: rootMessage(base, message) }]
  })
}

/** The problem for any error a route, a hook or fastify itself throws. */
export function toProblem (error: unknown): Problem {
  if (error instanceof HttpProblem) {
    const type = problemTypes[error.kind]
    return { type: `/problems/${error.kind}`, title: type.title, status: type.status, detail: error.message, errors: error.errors }
  }
  if (error instanceof ScheduleError) {
    const type = problemTypes['schedule-refused']
    return {
      type: '/problems/schedule-refused',
      title: type.title,
      status: type.status,
      detail: error.message,
      errors: error.path.length > 0 ? [{ path: pointer(error.path), message: error.message }] : [],
      // An extension member (RFC 9457 §3.2): a client can raise what the library raises.
      ...(error.pythonError !== null ? { exception: error.pythonError } : {})
    }
  }
  if (error instanceof StatusProblem) return plain(error.statusCode, error.message, error.errors)
  if (error instanceof UnreadableBody) {
    return plain(400, error.message, [{ path: '', message: error.message }])
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const part = (error as { validationContext?: string }).validationContext === 'querystring' ? 'querystring' : 'body'
    const notes = new Set<string>()
    return toProblem(new InvalidRequest(providerErrors(error.validation as any, notes), part, [...notes]))
  }
  const status = (error as FastifyError | undefined)?.statusCode
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // fastify's own client errors (body parsing, content type, size): their messages are for clients.
    const message = (error as Error).message
    return plain(status, message, (error as FastifyError).code?.startsWith('FST_ERR_CTP') || error instanceof SyntaxError ? [{ path: '', message }] : [])
  }
  return plain(500, 'The server could not answer this request. The error is logged.')
}

/** A problem that is only its HTTP status (type about:blank). */
export function plain (status: number, detail: string, errors: FieldError[] = []): Problem {
  return { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail, errors }
}

export function sendProblem (reply: FastifyReply, problem: Problem): FastifyReply {
  // A GET answer's caching headers must not outlive it on an error.
  reply.removeHeader('cache-control')
  reply.removeHeader('etag')
  reply.removeHeader('content-disposition')
  if (problem.status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', '1')
  return reply.code(problem.status).type('application/problem+json; charset=utf-8').send(JSON.stringify(problem))
}

/** A route's path as a pattern: `:name` matches one segment. */
function patternOf (url: string): RegExp {
  return new RegExp('^' + url.split('/').map((part) => part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('/') + '$')
}

/**
 * The one error handler; and a not-found handler that answers 405 (with `Allow`)
 * where the path exists for other methods, else 404.
 */
export function handleProblems (app: FastifyInstance): void {
  const routes: Array<{ pattern: RegExp, methods: Set<string> }> = []
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    const pattern = patternOf(route.url)
    const known = routes.find((entry) => entry.pattern.source === pattern.source)
    if (known !== undefined) methods.forEach((method) => known.methods.add(method))
    else routes.push({ pattern, methods: new Set(methods) })
  })
  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error)
    if (problem.status >= 500 && problem.type === 'about:blank') request.log.error({ err: error }, 'request failed')
    else request.log.info({ problem: { status: problem.status, type: problem.type, detail: problem.detail.slice(0, 300) } }, 'request refused')
    return sendProblem(reply, problem)
  })
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0]
    const shown = path.length > 200 ? path.slice(0, 200) + '...' : path
    const allowed = new Set<string>()
    for (const route of routes) if (route.pattern.test(path)) route.methods.forEach((method) => allowed.add(method))
    if (allowed.size > 0) {
      const allow = [...allowed].sort().join(', ')
      reply.header('allow', allow)
      throw new StatusProblem(405, `${shown} does not take ${request.method.slice(0, 20)}; it takes ${allow}.`)
    }
    throw new StatusProblem(404, `There is no ${request.method.slice(0, 20)} ${shown}. See /docs for the routes.`)
  })
}

/**
 * A request that never reached a route (Node's parser refused it): a problem, written
 * on the socket, which then closes. Headers too large are 431 (414 when the request
 * line is most of them), a method no HTTP parser knows 501, a request too slow 408, anything
 * else malformed 400.
 */
export function clientErrorProblem (error: Error & { code?: string, rawPacket?: unknown }, socket: Socket): void {
  if (!socket.writable || (error.code === 'ECONNRESET')) {
    socket.destroy()
    return
  }
  let status = 400
  let detail = `The request could not be read: ${error.message}`
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW': {
      // Node counts the request line with the headers; the URL is to blame when the
      // line is unfinished or longer than all the headers after it.
      const packet = Buffer.isBuffer(error.rawPacket) ? error.rawPacket : undefined
      const lineEnd = packet === undefined ? 0 : packet.indexOf('\r\n')
      const urlTooLong = packet !== undefined && (lineEnd === -1 || lineEnd > packet.length - lineEnd)
      status = urlTooLong ? 414 : 431
      detail = urlTooLong ? 'The request\'s URL is too long: POST the request as a JSON body instead.' : 'The request\'s headers are too large.'
      break
    }
    case 'HPE_INVALID_METHOD':
      status = 501
      detail = 'The request\'s method is not one HTTP knows; this API takes GET, HEAD, POST and OPTIONS.'
      break
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      status = 408
      detail = 'The request did not arrive in time.'
      break
  }
  const body = JSON.stringify(plain(status, detail))
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
}

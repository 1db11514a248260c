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
    explanation: 'The answer would hold more values (steps x param groups) than the server allows a request (MAX_VALUES, 1,000,000 unless configured). Ask for a shorter range with start and count, or split the request.'
  }
} as const

export type ProblemType = keyof typeof problemTypes

/** A problem of one of this API's own types. */
export class HttpProblem extends Error {
  readonly statusCode: number
  constructor (readonly kind: ProblemType, detail: string, readonly errors: FieldError[] = []) {
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

/** A request that fails validation: every bad field, by path. */
export class InvalidRequest extends HttpProblem {
  constructor (errors: FieldError[], readonly part: 'body' | 'querystring') {
    super('invalid-request', describeErrors(errors, part), errors)
  }
}

function describeErrors (errors: readonly FieldError[], part: string): string {
  const where = part === 'querystring' ? 'query' : 'body'
  if (errors.length === 1) return `The request ${where} has an invalid field ${errors[0].path === '' ? '(the whole ' + where + ')' : errors[0].path}: ${errors[0].message}`
  return `The request ${where} has ${errors.length} invalid fields: ${errors.map((error) => error.path || '(the whole ' + where + ')').join(', ')}`
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

/** The fields a zod issue is about: an unknown-keys issue names each key. */
export function issuePath (issue: z.core.$ZodIssue): FieldError[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: pointer([...issue.path, key]), message: issue.message }))
  }
  const path = pointer(issue.path)
  return [{ path, message: rootMessage(path, messageOf(issue.code, issue.message, (issue as { expected?: unknown }).expected)) }]
}

/** The field errors of fastify-type-provider-zod's validation error, as pointers. */
function providerErrors (validation: ReadonlyArray<{ instancePath: string, keyword: string, message?: string, params: Record<string, unknown> }>): FieldError[] {
  return validation.flatMap((entry) => {
    // The provider joins the zod path with '/'; the root comes out as '/'.
    const base = entry.instancePath === '/' ? '' : entry.instancePath
    const message = messageOf(entry.keyword, entry.message ?? 'invalid', entry.params.expected)
    if (entry.keyword === 'unrecognized_keys' && Array.isArray(entry.params.keys)) {
      return entry.params.keys.map((key) => ({ path: base + pointer([String(key)]), message }))
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
      errors: error.path.length > 0 ? [{ path: pointer(error.path), message: error.message }] : []
    }
  }
  if (error instanceof StatusProblem) return plain(error.statusCode, error.message, error.errors)
  if (error instanceof UnreadableBody) {
    return plain(400, error.message, [{ path: '', message: error.message }])
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const part = (error as { validationContext?: string }).validationContext === 'querystring' ? 'querystring' : 'body'
    return toProblem(new InvalidRequest(providerErrors(error.validation as any), part))
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
  return reply.code(problem.status).type('application/problem+json; charset=utf-8').send(JSON.stringify(problem))
}

/** The one error handler, and a not-found handler that hands it a 404, on the root instance. */
export function handleProblems (app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error)
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed')
    else request.log.info({ problem: { status: problem.status, type: problem.type, detail: problem.detail } }, 'request refused')
    return sendProblem(reply, problem)
  })
  app.setNotFoundHandler(async (request) => {
    const path = request.url.split('?')[0]
    throw new StatusProblem(404, `There is no ${request.method} ${path.length > 200 ? path.slice(0, 200) + '...' : path}. See /docs for the routes.`)
  })
}

/**
 * The JSON body parser. fastify's own says only "Body is not valid JSON"; this one
 * says where the JSON breaks, and refuses the keys that could reach an object's
 * prototype if the body were ever merged into another object (`__proto__`, and
 * `constructor` holding `prototype`), as fastify's `onProtoPoisoning: 'error'` does.
 */
import type { FastifyInstance } from 'fastify'

/** A body that is not a JSON document this API can read: a 400 about the whole body. */
export class UnreadableBody extends Error {
  readonly statusCode = 400
}

export function parseJsonBody (text: string): unknown {
  if (text.trim() === '') throw new UnreadableBody('The body is empty: send a JSON object')
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (error) {
    throw new UnreadableBody(`The body is not valid JSON: ${(error as Error).message}`)
  }
  // A key can only be one of these if its text is in the body, or spelt with escapes.
  if (text.includes('__proto__') || text.includes('constructor') || text.includes('\\u')) refusePrototypeKeys(body)
  return body
}

/**
 * Walks the parsed body (JSON.parse makes `__proto__` an own key, harmless until
 * merged) once, without recursion, so the check costs no more than the parse.
 */
function refusePrototypeKeys (body: unknown): void {
  const pending: unknown[] = [body]
  while (pending.length > 0) {
    const value = pending.pop()
    if (value === null || typeof value !== 'object') continue
    if (Array.isArray(value)) {
      for (const item of value) pending.push(item)
      continue
    }
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key]
      if (key === '__proto__') throw new UnreadableBody('The body holds a "__proto__" key, which is refused')
      if (key === 'constructor' && child !== null && typeof child === 'object' && Object.hasOwn(child, 'prototype')) {
        throw new UnreadableBody('The body holds a "constructor" key with a "prototype", which is refused')
      }
      pending.push(child)
    }
  }
}

/** Replaces fastify's JSON parser on `app` (same body limit, same content types). */
export function useJsonBodyParser (app: FastifyInstance): void {
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string))
    } catch (error) {
      done(error as Error, undefined)
    }
  })
}

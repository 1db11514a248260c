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
  try {
    return JSON.parse(text, function (key, value) {
      if (key === '__proto__') throw new UnreadableBody('The body holds a "__proto__" key, which is refused')
      if (key === 'constructor' && value !== null && typeof value === 'object' && Object.hasOwn(value, 'prototype')) {
        throw new UnreadableBody('The body holds a "constructor" key with a "prototype", which is refused')
      }
      return value
    })
  } catch (error) {
    if (error instanceof UnreadableBody) throw error
    throw new UnreadableBody(`The body is not valid JSON: ${(error as Error).message}`)
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

/**
 * The fields each request named itself, before defaults were filled in (its body's
 * keys, or its query's): a chart's title shows a parameter the client wrote even
 * where it equals the default (the StepLR tutorial's `decay_rate=1.0`).
 */
import type { FastifyRequest } from 'fastify'

const given = new WeakMap<FastifyRequest, string[]>()

/** A route's `preValidation` hook: notes the fields the request names. */
export async function recordGivenFields (request: FastifyRequest): Promise<void> {
  const source = request.method === 'POST' ? request.body : request.query
  if (source !== null && typeof source === 'object' && !Array.isArray(source)) given.set(request, Object.keys(source))
}

export function givenFields (request: FastifyRequest): string[] | undefined {
  return given.get(request)
}

/**
 * The service's own routes: liveness (`/healthz`: the process answers) and
 * readiness (`/readyz`: it takes new work; false once draining for shutdown) for
 * load balancers and orchestrators, and a short explanation at each problem type's URI.
 */
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { problemTypes, type ProblemType, StatusProblem } from './problem.js'
import { healthSchema } from './schemas.js'

/** What the readiness route reads: set when the server starts draining. */
export interface Lifecycle {
  draining: boolean
}

export async function serviceRoutes (app: FastifyInstance, options: { lifecycle: Lifecycle }): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>()
  routes.get('/healthz', {
    schema: {
      tags: ['service'],
      operationId: 'getHealth',
      summary: 'Liveness',
      description: 'Answers 200 while the process answers requests, draining included.',
      response: { 200: healthSchema }
    }
  }, async (_request, reply) => {
    reply.header('cache-control', 'no-store')
    return { status: options.lifecycle.draining ? 'draining' as const : 'ok' as const }
  })

  routes.get('/readyz', {
    schema: {
      tags: ['service'],
      operationId: 'getReadiness',
      summary: 'Readiness',
      description: 'Answers 200 while the server takes new requests, and 503 from the moment it starts draining for shutdown, so a load balancer stops sending it work.',
      response: { 200: healthSchema, 503: healthSchema }
    }
  }, async (_request, reply) => {
    reply.header('cache-control', 'no-store')
    if (options.lifecycle.draining) return reply.code(503).send({ status: 'draining' as const })
    return { status: 'ok' as const }
  })

  routes.get('/problems/:name', {
    schema: {
      tags: ['service'],
      operationId: 'getProblemType',
      summary: 'What a problem type means',
      description: `The \`type\` of an error answer is one of these URIs; each explains itself in plain text. The types: ${Object.keys(problemTypes).join(', ')}.`,
      params: z.object({ name: z.string().describe('The problem type.') })
    }
  }, async (request, reply) => {
    const name = request.params.name
    if (!Object.hasOwn(problemTypes, name)) {
      throw new StatusProblem(404, `There is no problem type ${JSON.stringify(name.slice(0, 100))}; the types are ${Object.keys(problemTypes).join(', ')}.`)
    }
    const type = problemTypes[name as ProblemType]
    return reply.type('text/plain; charset=utf-8').send(`${type.title} (HTTP ${type.status})\n\n${type.explanation}\n`)
  })
}

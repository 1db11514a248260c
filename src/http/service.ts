/**
 * The service's own routes: a health check for load balancers and container
 * runtimes, and a short explanation at each problem type's URI.
 */
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { problemTypes, type ProblemType } from './problem.js'
import { healthSchema } from './schemas.js'

export async function serviceRoutes (app: FastifyInstance): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>()
  routes.get('/healthz', {
    schema: {
      tags: ['service'],
      operationId: 'getHealth',
      summary: 'Health check',
      description: 'Answers 200 while the server accepts requests.',
      response: { 200: healthSchema }
    }
  }, async (_request, reply) => {
    reply.header('cache-control', 'no-store')
    return { status: 'ok' as const }
  })

  routes.get('/problems/:name', {
    schema: {
      tags: ['service'],
      operationId: 'getProblemType',
      summary: 'What a problem type means',
      description: 'The `type` of an error answer is one of these URIs; each explains itself in plain text.',
      params: z.object({ name: z.enum(Object.keys(problemTypes) as [ProblemType, ...ProblemType[]]).describe('The problem type.') })
    }
  }, async (request, reply) => {
    const type = problemTypes[request.params.name]
    return reply.type('text/plain; charset=utf-8').send(`${type.title} (HTTP ${type.status})\n\n${type.explanation}\n`)
  })
}

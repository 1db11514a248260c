/**
 * The OpenAPI 3.1 document, generated from the routes' zod schemas (the same objects
 * that validate the requests), at /openapi.json, and Swagger UI at /docs, served from
 * @fastify/swagger-ui's own files (no CDN: it works offline and under the CSP).
 *
 * Registered before the routes, so that @fastify/swagger sees every one of them.
 */
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { jsonSchemaTransform } from 'fastify-type-provider-zod'

export interface DocsOptions {
  version: string
}

const description = [
  "timm's learning-rate schedules, bit for bit: the values timm's schedulers (StepLRScheduler, MultiStepLRScheduler, CosineLRScheduler, TanhLRScheduler, PolyLRScheduler, PlateauLRScheduler) and train.py's plan set on an optimizer, seeded noise included, for a training job in any language.",
  '',
  "Parameters are timm's, by timm's names and with timm's defaults. Every answer is a pure function of the request.",
  '',
  'Every schedule and plan route answers JSON by default, CSV (`t,lr`, a column per param group) for `format=csv` or `Accept: text/csv`, and an SVG line chart for `format=svg` or `Accept: image/svg+xml` (`log_scale=true` for a log LR axis). POST /v1/plots draws several named schedules on one chart. The playground page at / is built on these routes.',
  '',
  'Errors are RFC 9457 problems (application/problem+json) with `errors` listing each field at fault by its JSON pointer. A request asks for at most MAX_VALUES values (steps × param groups; 1,000,000 unless the server is configured otherwise).'
].join('\n')

/** Registers the document and the UI on the root instance (so the document sees every route). */
export function registerDocs (app: FastifyInstance, options: DocsOptions): void {
  app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'lr-schedules', version: options.version, description },
      tags: [
        { name: 'schedules', description: 'A scheduler over a range of steps, or at one step.' },
        { name: 'plans', description: "timm train.py's whole run: epochs and the LR of every update." },
        { name: 'plots', description: 'Several schedules on one chart.' },
        { name: 'service', description: 'Health and problem types.' }
      ]
    },
    transform: jsonSchemaTransform
  })
  app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { deepLinking: true, defaultModelsExpandDepth: 0 }
  })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}

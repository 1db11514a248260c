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
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod'
import type { AnySchedulerDefinition, Library } from '../schedules/core/define.js'

export interface DocsOptions {
  version: string
  schedulers: readonly AnySchedulerDefinition[]
}

const libraries: Record<Library, string> = {
  timm: "timm's schedulers (timm.scheduler) and train.py's plan",
  torch: "torch.optim.lr_scheduler's schedulers",
  transformers: "Hugging Face transformers' get_scheduler types"
}

/** The document's introduction: what the service reproduces, library by library, from the registry. */
function describeService (schedulers: readonly AnySchedulerDefinition[]): string {
  const byLibrary = new Map<Library, string[]>()
  for (const scheduler of schedulers) byLibrary.set(scheduler.reference.library, [...byLibrary.get(scheduler.reference.library) ?? [], `${scheduler.name} (${scheduler.reference.name})`])
  return [
    'The learning rates that Python\'s scheduler libraries set on an optimizer, bit for bit, for a training job in any language:',
    '',
    ...[...byLibrary].map(([library, names]) => `- ${libraries[library]}: ${names.join(', ')}.`),
    '',
    "Parameters are each library's own, by its names and with its defaults, at the top level of the request. Every answer is a pure function of the request. GET /v1/schedulers lists the schedulers with an example each.",
    '',
    'Every schedule and plan route answers JSON by default (`lr`: one entry per step, every value once), CSV (`t,lr`, a column per param group), NPY (a NumPy float64 array of shape (groups, steps)), an Apache Arrow IPC stream, or an SVG line chart: `format=csv|npy|arrow|svg`, or the Accept header. Long answers are streamed as they are computed, compressed where the client accepts it (gzip, br) and the format is text. POST /v1/plots draws several named schedules on one chart. The playground page at / is built on these routes.',
    '',
    'Errors are RFC 9457 problems (application/problem+json) with `errors` listing each field at fault by its JSON pointer. A request computes at most MAX_VALUES values (steps × param groups; for a schedule computed step by step, every step from 0): page longer answers with start and count.'
  ].join('\n')
}

/** Registers the document and the UI on the root instance (so the document sees every route). */
export function registerDocs (app: FastifyInstance, options: DocsOptions): void {
  app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'lr-schedules', version: options.version, description: describeService(options.schedulers) },
      tags: [
        { name: 'schedules', description: 'A scheduler over a range of steps, or at one step.' },
        { name: 'plans', description: "timm train.py's whole run: epochs and the LR of every update." },
        { name: 'plots', description: 'Several schedules on one chart.' },
        { name: 'service', description: 'Liveness, readiness and problem types.' }
      ]
    },
    // Schemas named in zod's registry (each scheduler's request) become components, referred to by $ref.
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject
  })
  app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { deepLinking: true, defaultModelsExpandDepth: 0 }
  })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}

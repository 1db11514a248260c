/**
 * The schedule routes, derived from the registry: `POST /v1/schedules`, and for each
 * scheduler `GET /v1/schedules/{scheduler}` (a window of steps) and
 * `GET /v1/schedules/{scheduler}/lr` (one step), the same request as a query
 * string (cacheable: the answer is a pure function of the URL and the Accept
 * header); and `GET /v1/schedulers`, the list of them. Each answers JSON, CSV, NPY,
 * Arrow or an SVG chart (answer.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { type ZodTypeProvider, validatorCompiler } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AnySchedulerDefinition } from '../schedules/core/define.js'
import type { ScheduleRequest } from '../compute/computation.js'
import { scheduleTitle } from '../render/title.js'
import { type AnswerContext, formatOf, sendValues } from './answer.js'
import { recordGivenFields, givenFields } from './given.js'
import { StatusProblem } from './problem.js'
import { outputValidator, type QueryValue, queryValidator, scheduleQueryForm } from './query.js'
import { arrowSchema, csvSchema, npySchema, type OutputOptions, outputQuerySchema, pascal, pointResponseSchema, problemSchema, querySchema, type QueryMode, scheduleResponseSchema, type Schemas, svgSchema } from './schemas.js'

export interface ScheduleRoutesOptions {
  context: AnswerContext
  schemas: Schemas
}

/** The 200 answer of a route, in each format. */
export function formatsOf (description: string, schema: unknown) {
  return {
    description: `${description} JSON by default; CSV, NPY, Arrow or an SVG chart for format=csv / npy / arrow / svg, or for the Accept header.`,
    content: {
      'application/json': { schema },
      'text/csv': { schema: csvSchema },
      'application/x-npy': { schema: npySchema },
      'application/vnd.apache.arrow.stream': { schema: arrowSchema },
      'image/svg+xml': { schema: svgSchema }
    }
  }
}

/** A POST route's query (format, log_scale) is read as a GET route's; the body by zod. */
export function outputCompiler ({ httpPart, ...rest }: any) {
  return httpPart === 'querystring' ? outputValidator() : validatorCompiler({ httpPart, ...rest })
}

const problemContent = { content: { 'application/problem+json': { schema: problemSchema } } }

export const problemResponses = {
  400: { description: 'A field is missing, unknown, of the wrong type or out of range (type /problems/invalid-request).', ...problemContent },
  422: { description: 'The library refuses this configuration (/problems/schedule-refused), or the request would compute more than MAX_VALUES values (/problems/too-many-values).', ...problemContent },
  503: { description: 'Every worker is busy and the queue is full, the server is draining, or the deadline passed (/problems/overloaded, /problems/deadline-exceeded); Retry-After says when to try again.', ...problemContent }
}


/** Where an answer's chart draws its x axis: timm's unit, or the library's step. */
function xLabelOf (request: ScheduleRequest): 'epoch' | 'update' | 'step' {
  return request.unit === 'epoch' || request.unit === 'update' ? request.unit : 'step'
}

function scheduleAnswer (request: FastifyRequest, body: ScheduleRequest, point: boolean) {
  return {
    job: { kind: 'schedule' as const, request: body },
    point,
    stepColumn: 't' as const,
    chart: () => ({ title: scheduleTitle(body, givenFields(request)), xLabel: xLabelOf(body) })
  }
}

/** One scheduler, for `GET /v1/schedulers` and the playground. */
function describe (definition: AnySchedulerDefinition) {
  return {
    name: definition.name,
    library: definition.reference.library as 'timm' | 'torch' | 'transformers',
    reference: definition.reference.name,
    import: definition.reference.importLine,
    summary: definition.summary,
    evaluation: definition.evaluation,
    count: (definition.stepCount !== undefined ? 'inputs' : definition.defaultCount !== undefined ? 'optional' : 'required') as 'inputs' | 'optional' | 'required',
    example: { summary: definition.example.summary, value: { scheduler: definition.name, ...definition.example.value } as Record<string, unknown> }
  }
}

const listingSchema = z.object({
  schedulers: z.array(z.object({
    name: z.string().describe('The name on the wire: `scheduler` in a body, the path of the GET routes.'),
    library: z.enum(['timm', 'torch', 'transformers']),
    reference: z.string().describe('The class or function reproduced.'),
    import: z.string().describe('The Python that imports it.'),
    summary: z.string(),
    evaluation: z.enum(['closed', 'fold']).describe('closed: any step costs the same; fold: a step costs every step before it.'),
    count: z.enum(['required', 'optional', 'inputs']).describe('Whether count is required, defaults to the schedule\'s length, or defaults to the end of the inputs (metrics).'),
    example: z.object({ summary: z.string(), value: z.record(z.string(), z.unknown()) })
  }))
})

export async function scheduleRoutes (app: FastifyInstance, options: ScheduleRoutesOptions): Promise<void> {
  const { context, schemas } = options
  const routes = app.withTypeProvider<ZodTypeProvider>()
  const names = [...schemas.definitions.keys()]

  routes.get('/v1/schedulers', {
    schema: {
      tags: ['schedules'],
      operationId: 'listSchedulers',
      summary: 'Every scheduler the service computes',
      description: 'Each scheduler by its wire name, with the library, the class or function it reproduces, how its cost grows, and a worked example request.',
      response: { 200: listingSchema }
    }
  }, async (_request, reply) => {
    reply.header('cache-control', context.cacheControl)
    return { schedulers: [...schemas.definitions.values()].map(describe) }
  })

  routes.post('/v1/snippets', {
    schema: {
      tags: ['schedules'],
      operationId: 'postSnippet',
      summary: "A schedule as its library's Python",
      description: "The import line and the constructor call that build the same scheduler in Python, in its library's own words, for a POST /v1/schedules body (its window, start and count, may be left out: a constructor has none): what the playground shows under 'Python'.",
      body: schemas.request,
      response: {
        200: z.object({
          library: z.enum(['timm', 'torch', 'transformers']),
          import: z.string().describe('The line that imports the class or function.'),
          constructor: z.string().describe('The call, with the parameters that differ from the defaults: scheduler = ...')
        }),
        400: problemResponses[400]
      }
    },
    // A constructor has no window: a body without one is read as one step.
    preValidation: async (request) => {
      const body = request.body as Record<string, unknown> | null
      if (body !== null && typeof body === 'object' && !Array.isArray(body) && body.count === undefined) body.count = 1
    }
  }, async (request) => {
    const body = request.body as ScheduleRequest
    const definition = schemas.definitions.get(body.scheduler)!
    const groups = body.param_groups ?? [{ lr: body.lr as number }]
    return {
      library: definition.reference.library as 'timm' | 'torch' | 'transformers',
      import: definition.reference.importLine,
      constructor: `scheduler = ${definition.python(body, groups)}`
    }
  })

  routes.post('/v1/schedules', {
    schema: {
      tags: ['schedules'],
      operationId: 'postSchedule',
      summary: 'Compute a schedule',
      description: "The values a scheduler sets at steps start .. start + count - 1, for every param group. The body is the library's constructor arguments at the top level, with `scheduler` naming it (GET /v1/schedulers lists them).",
      querystring: outputQuerySchema,
      body: schemas.request,
      response: { 200: formatsOf('The values: one entry per step in `lr`.', scheduleResponseSchema), ...problemResponses }
    },
    validatorCompiler: outputCompiler,
    preValidation: recordGivenFields
  }, async (request, reply) => {
    const output = request.query as OutputOptions
    const body = request.body as ScheduleRequest
    return sendValues(request, reply, context, scheduleAnswer(request, body, false), formatOf(request, output.format), { logScale: output.log_scale, cacheable: false })
  })

  // The GET routes, one pair per scheduler, so that the document lists each one's parameters.
  for (const definition of schemas.definitions.values()) {
    const variant = schemas.variants.get(definition.name)!
    const compile = (mode: QueryMode) => {
      const validate = queryValidator(scheduleQueryForm(definition, variant, mode))
      return ({ httpPart, ...rest }: any) => httpPart === 'querystring' ? validate : validatorCompiler({ httpPart, ...rest })
    }
    const { name, reference } = definition
    routes.get(`/v1/schedules/${name}`, {
      schema: {
        tags: ['schedules'],
        operationId: `get${pascal(name)}Schedule`,
        summary: `${reference.name} (${reference.library}): a window of steps`,
        description: `${definition.summary} The same request as POST /v1/schedules with scheduler=${name}, as a query: lists comma-separated (30,60,90); lr, with the group's other fields, is one param group. Cacheable: Cache-Control and ETag.`,
        querystring: querySchema(definition, 'range'),
        response: { 200: formatsOf('The values: one entry per step in `lr`.', scheduleResponseSchema), ...problemResponses }
      },
      validatorCompiler: compile('range'),
      preValidation: recordGivenFields
    }, async (request, reply) => {
      const { request: body, output } = request.query as unknown as QueryValue
      return sendValues(request, reply, context, scheduleAnswer(request, body, false), formatOf(request, output.format), { logScale: output.log_scale, cacheable: true })
    })
    routes.get(`/v1/schedules/${name}/lr`, {
      schema: {
        tags: ['schedules'],
        operationId: `get${pascal(name)}Lr`,
        summary: `${reference.name} (${reference.library}): one step`,
        description: `Every param group's value at step t. The other parameters as for GET /v1/schedules/${name}.`,
        querystring: querySchema(definition, 'point'),
        response: { 200: formatsOf('The value at t (as CSV, one row; as SVG, one point).', pointResponseSchema), ...problemResponses }
      },
      validatorCompiler: compile('point'),
      preValidation: recordGivenFields
    }, async (request, reply) => {
      const { request: body, output } = request.query as unknown as QueryValue
      return sendValues(request, reply, context, scheduleAnswer(request, body, true), formatOf(request, output.format), { logScale: output.log_scale, cacheable: true })
    })
  }

  // Any other name: a 404 that lists the schedulers.
  const unknown = async (request: FastifyRequest<{ Params: { scheduler: string } }>) => {
    throw new StatusProblem(404, `There is no scheduler named ${JSON.stringify(request.params.scheduler.slice(0, 100))}; GET /v1/schedulers lists them.`,
      [{ path: '/scheduler', message: `scheduler must be one of ${names.join(', ')}` }])
  }
  app.get('/v1/schedules/:scheduler', { schema: { hide: true } }, unknown)
  app.get('/v1/schedules/:scheduler/lr', { schema: { hide: true } }, unknown)
}

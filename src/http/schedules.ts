/**
 * The schedule routes: `POST /v1/schedules`, and for each scheduler
 * `GET /v1/schedules/{scheduler}` and `GET /v1/schedules/{scheduler}/lr`, the same
 * request as a query string (cacheable: the answer is a pure function of the URL
 * and the Accept header). Each answers JSON, CSV or an SVG chart (answer.ts).
 */
import etag from '@fastify/etag'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { type ZodTypeProvider, validatorCompiler } from 'fastify-type-provider-zod'
import { evaluateSchedule, periodicSchedulers, plateauSchedule, schedulerNames, schedulers, type PeriodicScheduler, type SchedulerName } from '../schedules/index.js'
import { type PointAnswer, recordGivenFields, type ScheduleAnswer, type Values, sendAnswer } from './answer.js'
import { HttpProblem, StatusProblem } from './problem.js'
import { outputValidator, type QueryMode, type QueryValue, queryValidator } from './query.js'
import { csvSchema, type OutputOptions, outputQuerySchema, pointResponseSchema, problemSchema, querySchema, type ScheduleRequest, scheduleRequestSchema, scheduleResponseSchema, svgSchema } from './schemas.js'

export interface ScheduleRoutesOptions {
  /** The most values (steps × param groups) one answer may hold. */
  maxValues: number
  /** `Cache-Control` of the GET answers. */
  cacheControl: string
}

/** Refuses a request over the limit before anything is allocated. */
export function checkValueCount (steps: number, groups: number, maxValues: number, path: string, stepName = 'steps', advice = 'Ask for fewer steps (start, count) or split the request.'): void {
  const values = steps * groups
  if (values > maxValues) {
    const message = `${steps} ${stepName} × ${groups} param group${groups === 1 ? '' : 's'} = ${values} values, above the limit of ${maxValues} values a request (MAX_VALUES)`
    throw new HttpProblem('too-many-values', `This request asks for ${message}. ${advice}`, [{ path, message }])
  }
}

/** The groups a request stands for: its param_groups, or one group of `lr`. */
function groupsOf (request: ScheduleRequest) {
  return request.param_groups ?? [{ lr: request.lr as number }]
}

/** A null row (timm yields nothing in that unit) as a list of nulls, one per step. */
function nullValues (count: number): Values {
  return new Array<null>(count).fill(null)
}

/**
 * How many values a request costs: steps × param groups, and the field that sets the
 * steps. Plateau's fold runs over every metric whatever the window, so all of them count.
 */
export function valueCount (request: ScheduleRequest): { steps: number, groups: number, path: string } {
  const groups = groupsOf(request).length
  if (request.scheduler === 'plateau') return { steps: request.metrics.length + 1, groups, path: '/metrics' }
  const scheduler: PeriodicScheduler<any> = periodicSchedulers[request.scheduler]
  return { steps: request.count ?? scheduler.cycleLength!(request), groups, path: '/count' }
}

/** Computes the answer to a validated schedule request. */
export function scheduleAnswer (request: ScheduleRequest, maxValues: number): ScheduleAnswer {
  const groups = groupsOf(request)
  const { steps, path } = valueCount(request)
  checkValueCount(steps, groups.length, maxValues, path)
  if (request.scheduler === 'plateau') {
    const count = request.count ?? steps - request.start
    const all = plateauSchedule(request, groups, request.metrics)
    const rows = all.map((values) => values.subarray(request.start, request.start + count))
    return { scheduler: 'plateau', unit: 'epoch', start: request.start, count, lr: rows[0], param_groups: rows.map((lr) => ({ lr })) }
  }
  const scheduler: PeriodicScheduler<any> = periodicSchedulers[request.scheduler]
  const count = steps
  const { values } = evaluateSchedule(scheduler, request, groups, { unit: request.unit, start: request.start, count, view: request.view })
  const rows = values.map((row) => row ?? nullValues(count))
  return { scheduler: request.scheduler, unit: request.unit, start: request.start, count, lr: rows[0], param_groups: rows.map((lr) => ({ lr })) }
}

/** One step: the request's range is `start = t, count = 1`. */
export function pointAnswer (request: ScheduleRequest, maxValues: number): PointAnswer {
  const answer = scheduleAnswer(request, maxValues)
  const groups = answer.param_groups.map((group) => ({ lr: group.lr[0] ?? null }))
  return { t: request.start, lr: groups[0].lr, param_groups: groups }
}

/** The 200 answer of a route, in each format: JSON (`schema`), CSV and SVG. */
export function formatsOf (description: string, schema: unknown) {
  return {
    description: `${description} JSON by default; CSV or an SVG chart for format=csv / format=svg, or for Accept: text/csv / image/svg+xml.`,
    content: {
      'application/json': { schema },
      'text/csv': { schema: csvSchema },
      'image/svg+xml': { schema: svgSchema }
    }
  }
}

/** A POST route's query (format, log_scale) is read as a GET route's; the body by zod. */
export function outputCompiler ({ httpPart, ...rest }: any) {
  return httpPart === 'querystring' ? outputValidator() : validatorCompiler({ httpPart, ...rest })
}

const problems = {
  400: { description: 'A field is missing, unknown, of the wrong type or out of range (type /problems/invalid-request).', content: { 'application/problem+json': { schema: problemSchema } } },
  422: { description: 'timm refuses this configuration (/problems/schedule-refused), or the answer would exceed MAX_VALUES (/problems/too-many-values).', content: { 'application/problem+json': { schema: problemSchema } } }
}

export async function scheduleRoutes (app: FastifyInstance, options: ScheduleRoutesOptions): Promise<void> {
  const { maxValues } = options
  const routes = app.withTypeProvider<ZodTypeProvider>()

  routes.post('/v1/schedules', {
    schema: {
      tags: ['schedules'],
      operationId: 'postSchedule',
      summary: 'Compute a schedule',
      description: "The values a timm scheduler sets at steps start .. start + count - 1, per epoch (step) or per update (step_update), for every param group. The body is timm's constructor arguments at the top level, with `scheduler` naming the class.",
      querystring: outputQuerySchema,
      body: scheduleRequestSchema,
      response: {
        200: formatsOf('The values, for group 0 (`lr`) and every group.', scheduleResponseSchema),
        ...problems
      }
    },
    validatorCompiler: outputCompiler,
    preValidation: recordGivenFields
  }, async (request, reply) => sendAnswer(request, reply, { kind: 'schedule', request: request.body, body: scheduleAnswer(request.body, maxValues) }, request.query as OutputOptions))

  // The GET routes, one pair per scheduler so that the document lists each one's parameters.
  await app.register(async (cached) => {
    await cached.register(etag)
    const getRoutes = cached.withTypeProvider<ZodTypeProvider>()
    for (const name of schedulerNames) {
      const scheduler = schedulers[name]
      const compile = (mode: QueryMode) => ({ httpPart, ...rest }: any) => httpPart === 'querystring' ? queryValidator(name, mode) : validatorCompiler({ httpPart, ...rest })
      getRoutes.get(`/v1/schedules/${name}`, {
        schema: {
          tags: ['schedules'],
          operationId: `get${capitalized(name)}Schedule`,
          summary: `${scheduler.timmClass}: a range of steps`,
          description: `${scheduler.summary} The same request as POST /v1/schedules with scheduler=${name}, as a query: lists comma-separated (decay_t=30,60,90, noise_range_t=10,40); lr, with lr_scale and initial_lr, is one param group. Cacheable: Cache-Control and ETag.`,
          querystring: querySchema(name, 'range'),
          response: {
            200: formatsOf('The values, for group 0 (`lr`) and every group.', scheduleResponseSchema),
            ...problems
          }
        },
        validatorCompiler: compile('range'),
        preValidation: recordGivenFields
      }, async (request, reply) => {
        const { request: body, output } = request.query as unknown as QueryValue
        const answer = scheduleAnswer(body, maxValues)
        return sendAnswer(request, cache(reply, options), { kind: 'schedule', request: body, body: answer }, output)
      })
      getRoutes.get(`/v1/schedules/${name}/lr`, {
        schema: {
          tags: ['schedules'],
          operationId: `get${capitalized(name)}Lr`,
          summary: `${scheduler.timmClass}: one step`,
          description: `The value of every param group at step t (an epoch, or an update with unit=update): what the optimizer holds after step(t) / step_update(t). The other parameters as for GET /v1/schedules/${name}.`,
          querystring: querySchema(name, 'point'),
          response: {
            200: formatsOf("Group 0's value (`lr`) and every group's (as CSV, one row; as SVG, one point).", pointResponseSchema),
            ...problems
          }
        },
        validatorCompiler: compile('point'),
        preValidation: recordGivenFields
      }, async (request, reply) => {
        const { request: body, output } = request.query as unknown as QueryValue
        return sendAnswer(request, cache(reply, options), { kind: 'point', request: body, body: pointAnswer(body, maxValues) }, output)
      })
    }
    // Any other name: a 404 that lists the schedulers.
    const unknown = async (request: FastifyRequest<{ Params: { scheduler: string } }>) => {
      throw new StatusProblem(404, `There is no scheduler named ${JSON.stringify(request.params.scheduler.slice(0, 100))}; the schedulers are ${schedulerNames.join(', ')}.`,
        [{ path: '/scheduler', message: `scheduler must be one of ${schedulerNames.join(', ')}` }])
    }
    cached.get('/v1/schedules/:scheduler', { schema: { hide: true } }, unknown)
    cached.get('/v1/schedules/:scheduler/lr', { schema: { hide: true } }, unknown)
  })
}

function cache (reply: FastifyReply, options: ScheduleRoutesOptions): FastifyReply {
  return reply.header('cache-control', options.cacheControl)
}

function capitalized (name: SchedulerName): string {
  return name[0].toUpperCase() + name.slice(1)
}

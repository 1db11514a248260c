/**
 * `POST /v1/plots`: several named schedules on one SVG chart with a legend, as the
 * StepLR tutorial draws "With warmup" against "Without warmup". Each series is a
 * `/v1/schedules` body with a name, validated by the same schemas; the values of
 * every series count together against MAX_VALUES, before any is computed.
 */
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { computationOf, type Job, type ScheduleRequest } from '../compute/computation.js'
import { ScheduleError } from '../schedules/core/errors.js'
import { comparisonTitle } from '../render/title.js'
import { type AnswerContext, checkCost, sendPlot } from './answer.js'
import { HttpProblem } from './problem.js'
import { MAX_LINES, MAX_SERIES, plotRequestSchema, problemSchema, type Schemas, svgSchema } from './schemas.js'

/** Runs `compute` for series `index`, so that a refusal names the field under `/series/{index}`. */
function inSeries<T> (index: number, name: string, compute: () => T): T {
  try {
    return compute()
  } catch (error) {
    const where = `series ${index} (${JSON.stringify(name)})`
    if (error instanceof ScheduleError) {
      throw new ScheduleError(`${where}: ${error.message}`, error.pythonError, ['series', index, ...error.path])
    }
    if (error instanceof HttpProblem) {
      throw new HttpProblem(error.kind, `${where}: ${error.message}`, error.errors.map((field) => ({ ...field, path: `/series/${index}${field.path}` })))
    }
    throw error
  }
}

export async function plotRoutes (app: FastifyInstance, options: { context: AnswerContext, schemas: Schemas }): Promise<void> {
  const { context } = options
  const schema = plotRequestSchema(options.schemas.series)
  app.withTypeProvider<ZodTypeProvider>().post('/v1/plots', {
    schema: {
      tags: ['plots'],
      operationId: 'postPlot',
      summary: 'Several schedules on one chart',
      description: `Named schedules (each a POST /v1/schedules body with a name) drawn on one SVG line chart with a legend: a line per series, or per series and param group. 1 to ${MAX_SERIES} series and at most ${MAX_LINES} lines, sharing a unit; at most MAX_VALUES values computed in all.`,
      body: schema,
      response: {
        200: { description: 'The chart.', content: { 'image/svg+xml': { schema: svgSchema } } },
        400: { description: 'A field is missing, unknown, of the wrong type or out of range, by its path in the body (/series/1/decay_rate); type /problems/invalid-request.', content: { 'application/problem+json': { schema: problemSchema } } },
        422: { description: 'The library refuses a series (/problems/schedule-refused), or the series together exceed MAX_VALUES (/problems/too-many-values).', content: { 'application/problem+json': { schema: problemSchema } } }
      }
    }
  }, async (request, reply) => {
    const body = request.body as { series: Array<ScheduleRequest & { name: string }>, log_scale: boolean }
    const series = body.series.map(({ name, ...schedule }, i) => ({ name, job: { kind: 'schedule', request: schedule } as Job, path: ['series', i] }))
    // Each series alone, where one is to blame, then all of them together.
    let values = 0
    const costs = series.map(({ name, job }, i) => inSeries(i, name, () => {
      const computation = computationOf(job)
      checkCost(computation, context.maxValues, job)
      computation.checkCost()
      values += computation.count * computation.groups
      return computation.cost
    }))
    const total = costs.reduce((sum, cost) => sum + cost, 0)
    if (total > context.maxValues) {
      const message = `${costs.join(' + ')} = ${total} values across ${series.length} series, above the limit of ${context.maxValues} values a request (MAX_VALUES)`
      throw new HttpProblem('too-many-values', `This plot computes ${message}. Draw fewer steps (start, count) or fewer series.`, [{ path: '/series', message }])
    }
    const unit = body.series[0].unit
    const xLabel = unit === 'epoch' || unit === 'update' ? unit : 'step'
    context.observe?.({ kind: 'values', count: values })
    return sendPlot(reply, context, series, { title: comparisonTitle(body.series), xLabel }, body.log_scale)
  })
}

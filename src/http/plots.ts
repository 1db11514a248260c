/**
 * `POST /v1/plots`: several named schedules on one SVG chart with a legend, as the
 * StepLR tutorial draws "With warmup" against "Without warmup". Each series is a
 * `/v1/schedules` body with a name, validated by the same schemas; the values of
 * every series count together against MAX_VALUES, before any is computed.
 */
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { ScheduleError } from '../schedules/index.js'
import { type PlotAnswer, sendAnswer } from './answer.js'
import { HttpProblem } from './problem.js'
import { checkValueCount, scheduleAnswer, valueCount } from './schedules.js'
import { MAX_SERIES, type PlotRequest, plotRequestSchema, problemSchema, type ScheduleRequest, svgSchema } from './schemas.js'

export interface PlotRoutesOptions {
  maxValues: number
}

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

/** Computes every series of a validated plot request, after checking their total against the limit. */
export function plotAnswer (request: PlotRequest, maxValues: number): PlotAnswer {
  const series = request.series.map(({ name, ...schedule }) => ({ name, request: schedule as ScheduleRequest }))
  // Each series alone, where one is to blame, then all of them together.
  const counts = series.map(({ name, request }, i) => inSeries(i, name, () => {
    const count = valueCount(request)
    checkValueCount(count.steps, count.groups, maxValues, count.path)
    return count.steps * count.groups
  }))
  const total = counts.reduce((sum, count) => sum + count, 0)
  if (total > maxValues) {
    const message = `${counts.join(' + ')} = ${total} values across ${series.length} series, above the limit of ${maxValues} values a request (MAX_VALUES)`
    throw new HttpProblem('too-many-values', `This plot asks for ${message}. Draw fewer steps (start, count) or fewer series.`, [{ path: '/series', message }])
  }
  return series.map(({ name, request }, i) => inSeries(i, name, () => ({ name, request, answer: scheduleAnswer(request, maxValues) })))
}

export async function plotRoutes (app: FastifyInstance, options: PlotRoutesOptions): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post('/v1/plots', {
    schema: {
      tags: ['plots'],
      operationId: 'postPlot',
      summary: 'Several schedules on one chart',
      description: `Named schedules (each a POST /v1/schedules body with a name) drawn on one SVG line chart with a legend: a line per series, or per series and param group. 1 to ${MAX_SERIES} series, sharing a unit; at most MAX_VALUES values in all.`,
      body: plotRequestSchema,
      response: {
        200: { description: 'The chart.', content: { 'image/svg+xml': { schema: svgSchema } } },
        400: { description: 'A field is missing, unknown, of the wrong type or out of range, by its path in the body (/series/1/decay_rate); type /problems/invalid-request.', content: { 'application/problem+json': { schema: problemSchema } } },
        422: { description: 'timm refuses a series (/problems/schedule-refused), or the series together exceed MAX_VALUES (/problems/too-many-values).', content: { 'application/problem+json': { schema: problemSchema } } }
      }
    }
  }, async (request, reply) => sendAnswer(request, reply, { kind: 'plot', request: request.body, body: plotAnswer(request.body, options.maxValues) }))
}

/**
 * `POST /v1/plans` and `GET /v1/plans`: timm train.py's scheduler arguments → the
 * number of epochs train.py runs and the LR of every optimizer update, as its loop
 * sets them, a window of updates at a time for a run too long for one answer.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { type ZodTypeProvider, validatorCompiler } from 'fastify-type-provider-zod'
import type { PlanRequest } from '../compute/computation.js'
import { ScheduleError } from '../schedules/core/errors.js'
import { planTitle } from '../render/title.js'
import { type AnswerContext, formatOf, sendValues } from './answer.js'
import { planQueryForm, type QueryValue, queryValidator } from './query.js'
import { type OutputOptions, outputQuerySchema, planQueryShape, planRequestSchema, planResponseSchema } from './schemas.js'
import { formatsOf, outputCompiler, problemResponses } from './schedules.js'
import { z } from 'zod'

/**
 * The train.py argument behind each scheduler parameter that create_scheduler_v2
 * fills, so a refusal names the field the client sent.
 */
function trainArgument (parameter: string | number, sched: string): string | number {
  const names: Record<string, string> = {
    t_initial: 'epochs',
    lr_min: 'min_lr',
    warmup_t: 'warmup_epochs',
    warmup_lr_init: 'warmup_lr',
    cycle_mul: 'lr_cycle_mul',
    cycle_decay: 'lr_cycle_decay',
    cycle_limit: 'lr_cycle_limit',
    k_decay: 'lr_k_decay',
    noise_range_t: 'lr_noise',
    noise_pct: 'lr_noise_pct',
    noise_std: 'lr_noise_std',
    noise_seed: 'seed',
    patience_t: 'patience_epochs',
    power: 'decay_rate',
    decay_t: sched === 'multistep' ? 'decay_milestones' : 'decay_epochs'
  }
  return typeof parameter === 'string' ? names[parameter] ?? parameter : parameter
}

async function sendPlan (request: FastifyRequest, reply: FastifyReply, context: AnswerContext, body: PlanRequest, output: OutputOptions, cacheable: boolean): Promise<FastifyReply> {
  try {
    return await sendValues(request, reply, context, {
      job: { kind: 'plan', request: body },
      point: false,
      stepColumn: 'update',
      chart: (head) => ({ title: planTitle(body, head as { scheduler_class: string, updates_per_epoch: number, num_epochs: number }), xLabel: 'update' })
    }, formatOf(request, output.format), { logScale: output.log_scale, cacheable })
  } catch (error) {
    if (error instanceof ScheduleError && error.path.length > 0) {
      throw new ScheduleError(error.message, error.pythonError, [trainArgument(error.path[0], body.sched), ...error.path.slice(1)])
    }
    throw error
  }
}

const description = "create_scheduler_v2 with train.py's arguments, and train.py's loop around it: step_update after every optimizer update, step(epoch + 1) after every epoch. The answer states the run (num_epochs, total_updates) and the LR of each update in its window: the whole run by default, or start and count (epoch_start and epoch_count) for a page."

export async function planRoutes (app: FastifyInstance, options: { context: AnswerContext }): Promise<void> {
  const { context } = options
  const routes = app.withTypeProvider<ZodTypeProvider>()
  routes.post('/v1/plans', {
    schema: {
      tags: ['plans'],
      operationId: 'postPlan',
      summary: "timm train.py's plan: epochs and the LR of every update",
      description,
      querystring: outputQuerySchema,
      body: planRequestSchema,
      response: { 200: formatsOf('The plan (as CSV, update,lr: a row per update; as SVG, a chart of every update).', planResponseSchema), ...problemResponses }
    },
    validatorCompiler: outputCompiler
  }, async (request, reply) => sendPlan(request, reply, context, request.body as PlanRequest, request.query as OutputOptions, false))

  const validate = queryValidator(planQueryForm())
  routes.get('/v1/plans', {
    schema: {
      tags: ['plans'],
      operationId: 'getPlan',
      summary: "timm train.py's plan, as a cacheable URL",
      description: `${description} The same request as POST /v1/plans, as a query: lists comma-separated; lr, with lr_scale and initial_lr, is one param group. Cacheable: Cache-Control and ETag.`,
      querystring: z.strictObject(planQueryShape()).meta({ style: 'form', explode: false }),
      response: { 200: formatsOf('The plan, or a page of it.', planResponseSchema), ...problemResponses }
    },
    validatorCompiler: ({ httpPart, ...rest }: any) => httpPart === 'querystring' ? validate : validatorCompiler({ httpPart, ...rest })
  }, async (request, reply) => {
    const { request: body, output } = request.query as unknown as QueryValue
    return sendPlan(request, reply, context, body as PlanRequest, output, true)
  })
}

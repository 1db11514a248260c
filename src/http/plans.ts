/**
 * `POST /v1/plans`: timm train.py's scheduler arguments → the number of epochs train.py
 * runs and the LR of every optimizer update, as its loop sets them.
 */
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { ScheduleError } from '../schedules/index.js'
import { createSchedulerV2, schedulerV2Kwargs, trainingPlan, type SchedulerV2Kwargs } from '../schedules/timm/plan.js'
import { type PlanAnswer, sendAnswer } from './answer.js'
import { checkValueCount, formatsOf, outputCompiler } from './schedules.js'
import { type OutputOptions, outputQuerySchema, type PlanRequest, planRequestSchema, planResponseSchema, problemSchema } from './schemas.js'

export interface PlanRoutesOptions {
  maxValues: number
}

/**
 * The train.py argument behind each scheduler parameter that create_scheduler_v2
 * fills, so a refusal names the field the client sent.
 */
function trainArgument (parameter: string | number, sched: SchedulerV2Kwargs['sched']): string | number {
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

/** Computes the plan of a validated request. */
export function planAnswer (request: PlanRequest, maxValues: number): PlanAnswer {
  const kwargs = schedulerV2Kwargs(request)
  const groups = request.param_groups ?? [{ lr: request.lr as number }]
  const metrics = request.metrics ?? null
  try {
    // The length first, so that a plan over the limit is refused as such before anything is computed.
    const { numEpochs } = createSchedulerV2(kwargs, request.updates_per_epoch)
    checkValueCount(numEpochs * request.updates_per_epoch, groups.length, maxValues, '/updates_per_epoch',
      `updates (${numEpochs} epochs × ${request.updates_per_epoch})`, 'A plan is every update of the run: fewer epochs or updates per epoch fit.')
    const plan = trainingPlan(kwargs, groups, request.updates_per_epoch, metrics, { maxValues })
    return {
      num_epochs: plan.numEpochs,
      updates_per_epoch: request.updates_per_epoch,
      scheduler_class: plan.timmClass,
      lr: plan.perUpdate[0],
      param_groups: plan.perUpdate.map((lr) => ({ lr }))
    }
  } catch (error) {
    if (error instanceof ScheduleError && error.path.length > 0) {
      throw new ScheduleError(error.message, error.pythonError, [trainArgument(error.path[0], kwargs.sched), ...error.path.slice(1)])
    }
    throw error
  }
}

export async function planRoutes (app: FastifyInstance, options: PlanRoutesOptions): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post('/v1/plans', {
    schema: {
      tags: ['plans'],
      operationId: 'postPlan',
      summary: "timm train.py's plan: epochs and the LR of every update",
      description: "create_scheduler_v2 with train.py's arguments, and train.py's loop around it: step_update after every optimizer update, step(epoch + 1) after every epoch. The answer has num_epochs × updates_per_epoch values a group, in the order the updates run.",
      querystring: outputQuerySchema,
      body: planRequestSchema,
      response: {
        200: formatsOf('The plan (as CSV, update,lr: a row per update; as SVG, a chart of every update).', planResponseSchema),
        400: { description: 'A field is missing, unknown, of the wrong type or out of range (type /problems/invalid-request).', content: { 'application/problem+json': { schema: problemSchema } } },
        422: { description: 'timm refuses this configuration (/problems/schedule-refused), or the plan would exceed MAX_VALUES (/problems/too-many-values).', content: { 'application/problem+json': { schema: problemSchema } } }
      }
    },
    validatorCompiler: outputCompiler
  }, async (request, reply) => sendAnswer(request, reply, { kind: 'plan', request: request.body, body: planAnswer(request.body, options.maxValues) }, request.query as OutputOptions))
}

/**
 * The request and response schemas of API v1, composed from the engine's zod shapes:
 * every timm parameter is described, defaulted and bounded once, in its scheduler's
 * file, and the same object validates requests, types the handlers and writes the
 * OpenAPI document. This file adds only what belongs to the API: the LR or param
 * groups, the range (`unit`, `start`, `count`, `view`) and plateau's `metrics`.
 */
import { z } from 'zod'
import { learningRate } from '../schedules/timm/params.js'
import { checkTrainArgs, trainArgsShape } from '../schedules/timm/plan.js'
import { schedulerNames, schedulers, type SchedulerName } from '../schedules/index.js'
import { formats } from './negotiate.js'

export const paramGroupSchema = z.strictObject({
  lr: learningRate
    .describe("The group's LR, as the optimizer was built with it."),
  lr_scale: z.number().optional()
    .describe('timm multiplies every value it sets in this group by lr_scale (layer-wise LR decay).'),
  initial_lr: learningRate.optional()
    .describe("A resumed optimizer's base LR: timm keeps it over lr (setdefault).")
})

/** The base LR, as one number or as the optimizer's param groups: exactly one of them. */
export const lrShape = {
  lr: learningRate.optional()
    .describe('The base LR of a single param group. Give lr or param_groups, not both.'),
  param_groups: z.array(paramGroupSchema).min(1).optional()
    .describe("The optimizer's param groups, for several groups or for lr_scale / initial_lr. Give lr or param_groups, not both.")
}

/** `lr` xor `param_groups`, reported at the field to fix. */
export function checkLr (request: { lr?: number | undefined, param_groups?: unknown[] | undefined }, ctx: z.RefinementCtx): void {
  if (request.lr === undefined && request.param_groups === undefined) {
    ctx.addIssue({ code: 'custom', path: ['lr'], message: 'lr is required (or param_groups)' })
  } else if (request.lr !== undefined && request.param_groups !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['param_groups'], message: 'give lr or param_groups, not both' })
  }
}

export const unitSchema = z.enum(['epoch', 'update']).default('epoch')
  .describe("epoch: the values step(t) sets (get_epoch_values); update: the values step_update(t) sets (get_update_values).")
export const viewSchema = z.enum(['lr', 'noisy', 'raw']).default('lr')
  .describe("lr: what the param group holds (noise and lr_scale applied, the constructor's value where the schedule yields none); noisy: before lr_scale; raw: without noise, null where the schedule yields none.")
export const startSchema = z.number().int().nonnegative().default(0)
  .describe('The first step t of the answer.')
const countDescription = 'How many steps, from start. At most MAX_VALUES (default 1,000,000) values in all, counting every param group.'
export const requiredCountSchema = z.number().int().positive()
  .describe(countDescription)
export const cycleCountSchema = z.number().int().positive().optional()
  .describe(`${countDescription} Default: the schedule's length, timm's get_cycle_length() (warmup prefix included).`)
export const metricsSchema = z.array(z.number())
  .describe("The eval metric after each finished epoch, as train.py passes it to step(epoch + 1, metric). The answer has one more value: epoch 0 is the constructor's.")

const plateauUnit = z.literal('epoch', { error: "plateau steps per epoch only: timm's PlateauLRScheduler does not step on updates (unit must be epoch)" })
  .default('epoch').describe('Always epoch: plateau steps once per epoch.')
const plateauView = z.literal('lr', { error: 'plateau answers the lr view only: its noise and decay are one stateful fold over the metrics (view must be lr)' })
  .default('lr').describe('Always lr.')
const plateauCount = z.number().int().positive().optional()
  .describe('How many epochs, from start. Default: all of them, to metrics.length.')

/** An unknown parameter is refused by name, with the names the scheduler does take. */
function strictFor (name: string, keys: () => string[]) {
  return {
    error: (issue: z.core.$ZodRawIssue) => issue.code === 'unrecognized_keys'
      ? `unknown parameter${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')} for ${name}; it takes ${keys().join(', ')}`
      : undefined
  }
}

const periodicRange = <C extends z.ZodType>(count: C) => ({ unit: unitSchema, start: startSchema, count, view: viewSchema })
const plateauRange = { unit: plateauUnit, start: startSchema, count: plateauCount, view: plateauView, metrics: metricsSchema }

/** The request body of one scheduler: `scheduler`, its timm parameters, the LR and the range. */
function scheduleVariant<const N extends SchedulerName, S extends z.ZodRawShape, R extends z.ZodRawShape> (name: N, parameters: S, range: R) {
  const scheduler = schedulers[name]
  const shape = { scheduler: z.literal(name), ...parameters, ...lrShape, ...range }
  return z.strictObject(shape, strictFor(name, () => Object.keys(shape)))
    .superRefine((request: any, ctx) => {
      scheduler.check(request, ctx)
      checkLr(request, ctx)
      checkRange(request, ctx)
    })
    .meta({ title: name, description: `${scheduler.timmClass}: ${scheduler.summary}` })
}

/** A range must stay within the steps that exist: safe integers, and plateau's epochs. */
function checkRange (request: { scheduler: SchedulerName, start: number, count?: number | undefined, metrics?: number[] }, ctx: z.RefinementCtx): void {
  if (request.count !== undefined && request.start + request.count - 1 > Number.MAX_SAFE_INTEGER) {
    ctx.addIssue({ code: 'custom', path: ['count'], message: `start + count must stay within ${Number.MAX_SAFE_INTEGER}` })
  }
  if (request.scheduler === 'plateau' && request.metrics !== undefined) {
    const epochs = request.metrics.length + 1
    if (request.start >= epochs) {
      ctx.addIssue({ code: 'custom', path: ['start'], message: `start is ${request.start} but ${request.metrics.length} metrics give epochs 0 to ${epochs - 1}` })
    } else if (request.count !== undefined && request.start + request.count > epochs) {
      ctx.addIssue({ code: 'custom', path: ['count'], message: `start + count is ${request.start + request.count} but ${request.metrics.length} metrics give ${epochs} epochs (0 to ${epochs - 1})` })
    }
  }
}

/**
 * How an answer is written, asked in the query of every schedule and plan route
 * (a GET route's query holds it beside the request's own fields).
 */
export const outputShape = {
  format: z.enum(formats).optional()
    .describe('The answer\'s format: json, csv (t,lr; a column per param group) or svg (a line chart). Overrides the Accept header (application/json, text/csv, image/svg+xml); JSON when neither asks.'),
  log_scale: z.boolean().default(false)
    .describe('svg only: a log-scale LR axis (steps whose value is <= 0 are left out). Ignored by json and csv.')
}

export type OutputOptions = z.output<z.ZodObject<typeof outputShape>>

/** The query of a POST route: how to write the answer, nothing else. */
export const outputQuerySchema = z.strictObject(outputShape).meta({ style: 'form', explode: false })

export const scheduleVariants = {
  step: scheduleVariant('step', schedulers.step.shape, periodicRange(requiredCountSchema)),
  multistep: scheduleVariant('multistep', schedulers.multistep.shape, periodicRange(requiredCountSchema)),
  cosine: scheduleVariant('cosine', schedulers.cosine.shape, periodicRange(cycleCountSchema)),
  tanh: scheduleVariant('tanh', schedulers.tanh.shape, periodicRange(cycleCountSchema)),
  poly: scheduleVariant('poly', schedulers.poly.shape, periodicRange(cycleCountSchema)),
  plateau: scheduleVariant('plateau', schedulers.plateau.shape, plateauRange)
} satisfies Record<SchedulerName, z.ZodType>

/**
 * The examples of timm's StepLR tutorial (timm docs: a 1e-4 Adam over 50 epochs), as
 * bodies; the document shows them by name.
 */
export const tutorialExamples = {
  constant: {
    summary: 'StepLR, decay_t=5, decay_rate=1.0: constant',
    value: { scheduler: 'step', decay_t: 5, decay_rate: 1.0, lr: 1e-4, count: 50 }
  },
  halving: {
    summary: 'StepLR, decay_t=5, decay_rate=0.5: halved every 5 epochs',
    value: { scheduler: 'step', decay_t: 5, decay_rate: 0.5, lr: 1e-4, count: 50 }
  },
  warmup: {
    summary: 'StepLR, warmup_t=2 from warmup_lr_init=1e-5, decay_rate=0.8',
    value: { scheduler: 'step', decay_t: 5, decay_rate: 0.8, warmup_t: 2, warmup_lr_init: 1e-5, lr: 1e-4, count: 50 }
  },
  perUpdate: {
    summary: 'StepLR, t_in_epochs=false: no values per epoch (view raw), the schedule runs per update',
    value: { scheduler: 'step', decay_t: 5, decay_rate: 0.5, t_in_epochs: false, lr: 1e-4, count: 50, view: 'raw' }
  }
} as const

/** `POST /v1/schedules`: any scheduler, told apart by `scheduler`. */
export const scheduleRequestSchema = z.discriminatedUnion('scheduler', [
  scheduleVariants.step,
  scheduleVariants.multistep,
  scheduleVariants.cosine,
  scheduleVariants.tanh,
  scheduleVariants.poly,
  scheduleVariants.plateau
], {
  error: (issue) => issue.code === 'invalid_union' ? `scheduler must be one of ${schedulerNames.join(', ')}` : undefined
}).meta({
  discriminator: { propertyName: 'scheduler' },
  description: "A scheduler (timm's names and defaults at the top level), the base LR and the steps to compute.",
  'x-examples': tutorialExamples
})

export type ScheduleRequest = z.output<typeof scheduleRequestSchema>

/** The most series one chart of `POST /v1/plots` draws: more lines than this are not read apart. */
export const MAX_SERIES = 10

const nameRequired = 'a name is required: the legend entry of this series'
const seriesName = z.string().min(1, { error: nameRequired, abort: true }).max(100)
  .refine((name) => name.trim() !== '', { error: nameRequired })
  .describe('The legend entry of this series, such as "With warmup". Every series has its own.')

/** A `/v1/schedules` body with a name: a series of `POST /v1/plots`. */
const seriesVariant = <const N extends SchedulerName, S extends z.ZodRawShape, R extends z.ZodRawShape> (name: N, parameters: S, range: R) =>
  scheduleVariant(name, { name: seriesName, ...parameters }, range)

export const plotSeriesSchema = z.discriminatedUnion('scheduler', [
  seriesVariant('step', schedulers.step.shape, periodicRange(requiredCountSchema)),
  seriesVariant('multistep', schedulers.multistep.shape, periodicRange(requiredCountSchema)),
  seriesVariant('cosine', schedulers.cosine.shape, periodicRange(cycleCountSchema)),
  seriesVariant('tanh', schedulers.tanh.shape, periodicRange(cycleCountSchema)),
  seriesVariant('poly', schedulers.poly.shape, periodicRange(cycleCountSchema)),
  seriesVariant('plateau', schedulers.plateau.shape, plateauRange)
], {
  error: (issue) => issue.code === 'invalid_union' ? `scheduler must be one of ${schedulerNames.join(', ')}` : undefined
}).meta({
  discriminator: { propertyName: 'scheduler' },
  description: 'A POST /v1/schedules body with a name for the legend.'
})

/** `POST /v1/plots`: named schedules drawn on one chart. */
export const plotRequestSchema = z.strictObject({
  series: z.array(plotSeriesSchema).min(1).max(MAX_SERIES)
    .describe(`The schedules to draw, 1 to ${MAX_SERIES}, each a POST /v1/schedules body with a name. They share the x axis, so they share a unit. At most MAX_VALUES values in all, counting every series and param group.`),
  log_scale: z.boolean().default(false)
    .describe('A log-scale LR axis (steps whose value is <= 0 are left out).')
}, strictFor('a plot', () => ['series', 'log_scale']))
  .superRefine((request, ctx) => {
    const named = new Map<string, number>()
    request.series.forEach((series, i) => {
      const first = named.get(series.name)
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['series', i, 'name'], message: `series ${first} is named ${JSON.stringify(series.name)} too: each series needs its own legend entry` })
      } else named.set(series.name, i)
      if (series.unit !== request.series[0].unit) {
        ctx.addIssue({ code: 'custom', path: ['series', i, 'unit'], message: `the series share the x axis: series 0 is per ${request.series[0].unit}, this one per ${series.unit}` })
      }
    })
  })
  .meta({
    description: 'Named schedules on one chart, with a legend.',
    'x-examples': {
      warmup: {
        summary: "The StepLR tutorial's figure: decay_rate=0.8 with and without a 2-epoch warmup",
        value: {
          series: [
            { name: 'With warmup', scheduler: 'step', decay_t: 5, decay_rate: 0.8, warmup_t: 2, warmup_lr_init: 1e-5, lr: 1e-4, count: 50, view: 'raw' },
            { name: 'Without warmup', scheduler: 'step', decay_t: 5, decay_rate: 0.8, lr: 1e-4, count: 50, view: 'raw' }
          ]
        }
      }
    }
  })

export type PlotRequest = z.output<typeof plotRequestSchema>

/**
 * What a GET route takes in its query: the same fields as the body, except that
 * param_groups cannot be written in a query; `lr`, with `lr_scale` and `initial_lr`,
 * make one group. Lists are comma-separated. Used for the document; the values are
 * checked by the body's own schema (see `query.ts`).
 */
export function queryShape (name: SchedulerName, mode: 'range' | 'point') {
  const body = scheduleVariants[name].shape
  const { scheduler: _scheduler, lr: _lr, param_groups: _groups, start, count, ...rest } = body as typeof body & { count: z.ZodType }
  return {
    ...(mode === 'range' ? { start, count } : { t: pointSchema }),
    ...rest,
    lr: paramGroupSchema.shape.lr,
    lr_scale: paramGroupSchema.shape.lr_scale,
    initial_lr: paramGroupSchema.shape.initial_lr,
    ...outputShape
  }
}

export const pointSchema = z.number().int().nonnegative()
  .describe('The step: an epoch, or an update with unit=update.')

export function querySchema (name: SchedulerName, mode: 'range' | 'point') {
  // Lists are written once, comma-separated: decay_t=30,60,90.
  return z.strictObject(queryShape(name, mode)).meta({ style: 'form', explode: false })
}

/** `POST /v1/plans`: train.py's arguments, the LR, updates_per_epoch and plateau's metrics. */
export const planRequestSchema = z.strictObject({
  ...trainArgsShape,
  ...lrShape,
  updates_per_epoch: z.number().int().positive()
    .describe("Optimizer updates per epoch: len(loader) // grad_accum_steps, as train.py computes it."),
  metrics: metricsSchema.optional()
    .describe('plateau only: the eval metric after each epoch (train.py steps with it), one per epoch but the last at least.')
}, strictFor('a plan', () => [...Object.keys(trainArgsShape), 'lr', 'param_groups', 'updates_per_epoch', 'metrics']))
  .superRefine((request, ctx) => {
    checkTrainArgs(request, ctx)
    checkLr(request, ctx)
  })
  .meta({
    description: "timm train.py's scheduler arguments, by train.py's names and with its defaults.",
    'x-examples': {
      tutorial: {
        summary: "train.py --sched step --epochs 50 --decay-epochs 5 --decay-rate 0.8 --warmup-epochs 2 --warmup-lr 1e-5 --lr 1e-4, 10 batches an epoch",
        value: { sched: 'step', epochs: 50, decay_epochs: 5, decay_rate: 0.8, warmup_epochs: 2, warmup_lr: 1e-5, lr: 1e-4, updates_per_epoch: 10 }
      },
      cosineOnUpdates: {
        summary: 'train.py --sched cosine --epochs 10 --warmup-epochs 1 --sched-on-updates --lr 0.1, 100 batches an epoch',
        value: { sched: 'cosine', epochs: 10, warmup_epochs: 1, lr: 0.1, updates_per_epoch: 100, sched_on_updates: true }
      }
    }
  })

export type PlanRequest = z.output<typeof planRequestSchema>

// Answers, for the document. The handlers write them with their own serializer (answer.ts).

const valuesSchema = z.array(z.number().nullable())
  .describe("One value per step, the shortest decimal that reads back as the same double; null where timm yields none in this unit (view raw or noisy).")

const groupsSchema = z.array(z.object({ lr: valuesSchema }))
  .describe('Every param group, in order.')

export const scheduleResponseSchema = z.object({
  scheduler: z.enum(schedulerNames),
  unit: z.enum(['epoch', 'update']),
  start: z.number().int().nonnegative(),
  count: z.number().int().nonnegative(),
  lr: valuesSchema.describe("Param group 0's values."),
  param_groups: groupsSchema
}).meta({ examples: [{ scheduler: 'step', unit: 'epoch', start: 0, count: 6, lr: [1e-5, 5.5e-5, 0.0001, 0.0001, 0.0001, 0.0001], param_groups: [{ lr: [1e-5, 5.5e-5, 0.0001, 0.0001, 0.0001, 0.0001] }] }] })

export const pointResponseSchema = z.object({
  t: z.number().int().nonnegative(),
  lr: z.number().nullable().describe("Param group 0's value."),
  param_groups: z.array(z.object({ lr: z.number().nullable() }))
}).meta({ examples: [{ t: 7, lr: 0.00008, param_groups: [{ lr: 0.00008 }] }] })

export const planResponseSchema = z.object({
  num_epochs: z.number().int().nonnegative().describe('The epochs train.py runs: cycles, warmup prefix and cooldown included.'),
  updates_per_epoch: z.number().int().positive(),
  scheduler_class: z.string().describe("timm's class, as create_scheduler_v2 builds it."),
  lr: z.array(z.number()).describe('The LR of every optimizer update (param group 0), in order.'),
  param_groups: z.array(z.object({ lr: z.array(z.number()) }))
})

export const problemSchema = z.object({
  type: z.string().describe('What kind of problem: /problems/invalid-request, /problems/schedule-refused, /problems/too-many-values, or about:blank for a plain HTTP error.'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().describe('What went wrong, in a sentence.'),
  errors: z.array(z.object({
    path: z.string().describe('The field at fault, as a JSON pointer into the body or the query ("/decay_t", "/param_groups/0/lr"); "" for the whole request.'),
    message: z.string()
  })).describe('Each field at fault.')
}).meta({ description: 'An RFC 9457 problem (application/problem+json).' })

/** A CSV answer, for the document. */
export const csvSchema = z.string()
  .describe('A header row (t,lr; t,lr_0,lr_1,... for several param groups; update instead of t for a plan), then a row per step. Values in the shortest text that reads back as the same double; an empty cell where timm yields none. Lines end in \\n.')

/** An SVG answer, for the document. */
export const svgSchema = z.string()
  .describe('A self-contained SVG line chart: a title naming the scheduler and its parameters, labelled axes, a line per param group (per series for a plot) and a legend when there are several.')

export const healthSchema = z.object({ status: z.literal('ok') })

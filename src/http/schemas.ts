/**
 * The request and response schemas of API v1, derived from the registry: each
 * scheduler's request is its definition's fields plus what belongs to the API (the
 * LR or param groups, `start` and `count`), so every parameter is described,
 * defaulted and bounded once, in its scheduler's file, and the same object
 * validates requests, types the handlers and writes the OpenAPI document.
 */
import { z } from 'zod'
import type { AnySchedulerDefinition } from '../schedules/core/define.js'
import { learningRate } from '../schedules/core/groups.js'
import { registeredSchedulers } from '../schedules/index.js'
import { timmGroupShape } from '../schedules/timm/base.js'
import { checkTrainArgs, trainArgsShape } from '../schedules/timm/plan.js'
import { formats } from './negotiate.js'

/** The most param groups a request may have: each is a line of a chart and a column of a table. */
export const MAX_PARAM_GROUPS = 1000

/** The base LR, as one number or as the optimizer's param groups: exactly one of them. */
export function lrShape (groupShape: z.ZodRawShape) {
  return {
    lr: learningRate.optional()
      .describe('The base LR of a single param group. Give lr or param_groups, not both.'),
    param_groups: z.array(z.strictObject(groupShape)).min(1).max(MAX_PARAM_GROUPS).optional()
      .describe(`The optimizer's param groups (1 to ${MAX_PARAM_GROUPS}), in order. Give lr or param_groups, not both.`)
  }
}

/** `lr` xor `param_groups`, reported at the field to fix. */
export function checkLr (request: { lr?: number | undefined, param_groups?: unknown[] | undefined }, ctx: z.RefinementCtx): void {
  if (request.lr === undefined && request.param_groups === undefined) {
    ctx.addIssue({ code: 'custom', path: ['lr'], message: 'lr is required (or param_groups)' })
  } else if (request.lr !== undefined && request.param_groups !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['param_groups'], message: 'give lr or param_groups, not both' })
  }
}

/** How many groups a request has (1 while its groups are still invalid). */
export function groupCount (request: { param_groups?: unknown[] | undefined }): number {
  return Array.isArray(request.param_groups) ? request.param_groups.length : 1
}

export const startSchema = z.number().int().nonnegative().default(0)
  .describe('The first step t of the answer.')

const countDescription = 'How many steps, from start. At most MAX_VALUES values computed in all, counting every param group (and, for a fold, every step before start).'

function countSchema (definition: AnySchedulerDefinition) {
  const count = z.number().int().positive()
  if (definition.stepCount !== undefined) return count.optional().describe(`${countDescription} Default: every step to the end of the inputs.`)
  if (definition.defaultCount !== undefined) return count.optional().describe(`${countDescription} Default: the schedule's own length (${definition.reference.library === 'timm' ? "timm's get_cycle_length(), warmup prefix included" : 'see the parameters'}).`)
  return count.describe(countDescription)
}

/** An unknown field is refused by name; the fields the request does take are listed once, in the problem's detail. */
export function strictFor (title: string, keys: () => string[]) {
  return {
    error: (issue: z.core.$ZodRawIssue) => issue.code === 'unrecognized_keys'
      ? `unknown field for ${title}, which takes ${keys().join(', ')}`
      : undefined
  }
}

/** A window within the steps that exist: exact integers, and the inputs' length. */
function checkRange (definition: AnySchedulerDefinition, request: any, ctx: z.RefinementCtx): void {
  if (request.count !== undefined && request.start + request.count - 1 > Number.MAX_SAFE_INTEGER) {
    ctx.addIssue({ code: 'custom', path: ['count'], message: `start + count - 1 must stay within ${Number.MAX_SAFE_INTEGER}, the last exact integer` })
  }
  if (definition.stepCount === undefined) return
  const steps = definition.stepCount(request)
  if (!Number.isSafeInteger(steps)) return
  if (request.start >= steps) {
    ctx.addIssue({ code: 'custom', path: ['start'], message: `start is ${request.start} but the inputs give steps 0 to ${steps - 1}` })
  } else if (request.count !== undefined && request.start + request.count > steps) {
    ctx.addIssue({ code: 'custom', path: ['count'], message: `start + count is ${request.start + request.count} but the inputs give ${steps} steps (0 to ${steps - 1})` })
  }
}

/** The fields of one scheduler's request, in the order the document lists them. */
export function requestShape (definition: AnySchedulerDefinition, extra: z.ZodRawShape = {}) {
  return {
    scheduler: z.literal(definition.name),
    ...extra,
    ...definition.shape,
    ...lrShape(definition.groupShape),
    start: startSchema,
    count: countSchema(definition)
  }
}

/** One scheduler's request body, with its cross-field rules. */
export function requestSchema (definition: AnySchedulerDefinition, extra: z.ZodRawShape = {}) {
  const shape = requestShape(definition, extra)
  return z.strictObject(shape, strictFor(definition.name, () => Object.keys(shape)))
    .superRefine((request: any, ctx) => {
      checkLr(request, ctx)
      definition.check?.(request, ctx, groupCount(request))
      checkRange(definition, request, ctx)
    })
    .meta({ title: definition.name, description: `${definition.reference.name} (${definition.reference.library}): ${definition.summary}` })
}

export type RequestSchema = ReturnType<typeof requestSchema>

/** The registry's schemas, built once per app (a scheduler registered later joins the next app). */
export interface Schemas {
  definitions: Map<string, AnySchedulerDefinition>
  /** One scheduler's body, by name. */
  variants: Map<string, RequestSchema>
  /** `POST /v1/schedules`: any scheduler, told apart by `scheduler`. */
  request: z.ZodType
  /** A series of `POST /v1/plots`: a body with a name. */
  series: z.ZodType
}

function union (variants: RequestSchema[], names: string[], description: string) {
  // zod wants at least two options; the registry always has more.
  return z.discriminatedUnion('scheduler', variants as unknown as [RequestSchema, RequestSchema, ...RequestSchema[]], {
    error: (issue) => issue.code === 'invalid_union' ? `scheduler must be one of ${names.join(', ')}` : undefined
  }).meta({ discriminator: { propertyName: 'scheduler' }, description })
}

/** `torch.StepLR` → `TorchStepLR`: a name for components and operation ids. */
export function pascal (name: string): string {
  return name.split(/[._-]/).map((part) => part[0].toUpperCase() + part.slice(1)).join('')
}

/**
 * Each scheduler's request and plot series, built once per process and named in zod's
 * registry (`StepRequest`, `TorchStepLRSeries`): the document then holds each once,
 * as a component, and the unions refer to them.
 */
const named = new WeakMap<AnySchedulerDefinition, { request: RequestSchema, series: RequestSchema }>()

function namedSchemas (definition: AnySchedulerDefinition): { request: RequestSchema, series: RequestSchema } {
  let schemas = named.get(definition)
  if (schemas === undefined) {
    const id = pascal(definition.name)
    schemas = {
      request: requestSchema(definition).meta({ id: `${id}Request` }),
      series: requestSchema(definition, { name: seriesName }).meta({ id: `${id}Series` })
    }
    named.set(definition, schemas)
  }
  return schemas
}

export function buildSchemas (): Schemas {
  const definitions = registeredSchedulers()
  const names = definitions.map((definition) => definition.name)
  const variants = new Map(definitions.map((definition) => [definition.name, namedSchemas(definition).request]))
  const examples = Object.fromEntries(definitions.map((definition) => [definition.name, {
    summary: definition.example.summary,
    value: { scheduler: definition.name, ...definition.example.value }
  }]))
  return {
    definitions: new Map(definitions.map((definition) => [definition.name, definition])),
    variants,
    request: union([...variants.values()], names, 'A scheduler (its library\'s parameter names and defaults at the top level), the base LR and the steps to compute.')
      .meta({ 'x-examples': examples }),
    series: union(definitions.map((definition) => namedSchemas(definition).series), names, 'A POST /v1/schedules body with a name for the legend.')
  }
}

/** The most lines one chart draws (series × param groups): more are not read apart. */
export const MAX_LINES = 24

/** The most series one chart of `POST /v1/plots` draws. */
export const MAX_SERIES = 10

const nameRequired = 'a name is required: the legend entry of this series'
const seriesName = z.string().min(1, { error: nameRequired, abort: true }).max(100)
  .refine((name) => name.trim() !== '', { error: nameRequired })
  .describe('The legend entry of this series, such as "With warmup". Every series has its own.')

/** `POST /v1/plots`: named schedules drawn on one chart. */
export function plotRequestSchema (series: z.ZodType) {
  return z.strictObject({
    series: z.array(series).min(1).max(MAX_SERIES)
      .describe(`The schedules to draw, 1 to ${MAX_SERIES}, each a POST /v1/schedules body with a name, at most ${MAX_LINES} lines in all (a line per series and param group). They share the x axis, so they share a unit. At most MAX_VALUES values computed in all.`),
    log_scale: z.boolean().default(false)
      .describe('A log-scale LR axis (steps whose value is <= 0 are left out).')
  }, strictFor('a plot', () => ['series', 'log_scale']))
    .superRefine((request: any, ctx) => {
      const named = new Map<string, number>()
      request.series.forEach((series: any, i: number) => {
        const first = named.get(series.name)
        if (first !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['series', i, 'name'], message: `series ${first} is named ${JSON.stringify(series.name)} too: each series needs its own legend entry` })
        } else named.set(series.name, i)
        const unit = series.unit ?? 'step'
        const firstUnit = request.series[0].unit ?? 'step'
        if (unit !== firstUnit) {
          ctx.addIssue({ code: 'custom', path: ['series', i, 'unit'], message: `the series share the x axis: series 0 is per ${firstUnit}, this one per ${unit}` })
        }
      })
      const lines = request.series.reduce((sum: number, series: any) => sum + groupCount(series), 0)
      if (lines > MAX_LINES) {
        ctx.addIssue({ code: 'custom', path: ['series'], message: `${lines} lines (a line per series and param group) are more than the ${MAX_LINES} one chart draws` })
      }
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
}

/**
 * How an answer is written, asked in the query of every schedule and plan route
 * (a GET route's query holds it beside the request's own fields).
 */
export const outputShape = {
  format: z.enum(formats).optional()
    .describe("The answer's format: json, csv (t,lr; a column per param group), npy (a NumPy float64 array of shape (groups, steps)), arrow (an Apache Arrow IPC stream: t and a float64 column per group) or svg (a line chart). Overrides the Accept header (application/json, text/csv, application/x-npy, application/vnd.apache.arrow.stream, image/svg+xml); JSON when neither asks."),
  log_scale: z.boolean().default(false)
    .describe('svg only: a log-scale LR axis (steps whose value is <= 0 are left out). Ignored by the other formats.')
}

export type OutputOptions = z.output<z.ZodObject<typeof outputShape>>

/** The query of a POST route: how to write the answer, nothing else. */
export const outputQuerySchema = z.strictObject(outputShape).meta({ style: 'form', explode: false })

/** The one param group a GET query can spell: `lr` and the group's other fields, by name. */
function queryGroupShape (groupShape: z.ZodRawShape): z.ZodRawShape {
  return Object.fromEntries(Object.entries(groupShape).map(([name, field]) => [name, name === 'lr' ? (field as z.ZodType).optional() : field]))
}

export const pointSchema = z.number().int().nonnegative()
  .describe('The step t.')

export type QueryMode = 'range' | 'point'

/**
 * What a GET route takes in its query: the body's fields, except that param_groups
 * cannot be written in a query: `lr` and the group's other fields make one group.
 * Lists are comma-separated. Used for the document; the values are checked by the
 * body's own schema (see `query.ts`).
 */
export function queryShape (definition: AnySchedulerDefinition, mode: QueryMode): z.ZodRawShape {
  const { scheduler: _scheduler, lr: _lr, param_groups: _groups, start, count, ...rest } = requestShape(definition)
  return {
    ...(mode === 'range' ? { start, count } : { t: pointSchema }),
    ...rest,
    ...queryGroupShape(definition.groupShape),
    ...outputShape
  }
}

export function querySchema (definition: AnySchedulerDefinition, mode: QueryMode) {
  // Lists are written once, comma-separated: decay_t=30,60,90.
  return z.strictObject(queryShape(definition, mode)).meta({ style: 'form', explode: false })
}

export const planWindowShape = {
  start: z.number().int().nonnegative().optional()
    .describe('The first update of the answer (from 0). Default 0.'),
  count: z.number().int().positive().optional()
    .describe('How many updates, from start. Default: to the end of the run. At most MAX_VALUES values in all, counting every param group.'),
  epoch_start: z.number().int().nonnegative().optional()
    .describe('The first epoch of the answer, instead of start: the updates from epoch_start × updates_per_epoch.'),
  epoch_count: z.number().int().positive().optional()
    .describe('How many epochs, from epoch_start (or 0), instead of count.')
}

const planBodyShape = {
  ...trainArgsShape,
  ...lrShape(timmGroupShape),
  updates_per_epoch: z.number().int().positive()
    .describe('Optimizer updates per epoch: len(loader) // grad_accum_steps, as train.py computes it.'),
  metrics: z.array(z.number()).optional()
    .describe('plateau only: the eval metric after each epoch (train.py steps with it), one per epoch but the last at least.'),
  start_epoch: z.number().int().nonnegative().default(0)
    .describe("train.py's start epoch when it resumes a run (--resume, --start-epoch): it steps the scheduler to that epoch first (step(start_epoch), or step_update(start_epoch * updates_per_epoch) on updates) and runs the epochs from there. The answer is the run from that epoch on."),
  ...planWindowShape
}

/** `POST /v1/plans`: train.py's arguments, the LR, updates_per_epoch, plateau's metrics and the window. */
export const planRequestSchema = z.strictObject(planBodyShape, strictFor('a plan', () => Object.keys(planBodyShape)))
  .superRefine((request, ctx) => {
    checkTrainArgs(request, ctx)
    checkLr(request, ctx)
    if (request.epoch_start !== undefined || request.epoch_count !== undefined) {
      for (const field of ['start', 'count'] as const) {
        if (request[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: `give the window in updates (start, count) or in epochs (epoch_start, epoch_count), not both` })
      }
    }
  })
  .meta({
    description: "timm train.py's scheduler arguments, by train.py's names and with its defaults, and the window of updates to answer.",
    'x-examples': {
      imagenet: {
        summary: 'The ImageNet recipe: train.py --sched cosine --epochs 300 --lr 0.5 --sched-on-updates, 5,005 batches an epoch, two param groups; epoch 10',
        value: { sched: 'cosine', epochs: 300, lr: 0.5, sched_on_updates: true, updates_per_epoch: 5005, epoch_start: 10, epoch_count: 1 }
      },
      tutorial: {
        summary: 'train.py --sched step --epochs 50 --decay-epochs 5 --decay-rate 0.8 --warmup-epochs 2 --warmup-lr 1e-5 --lr 1e-4, 10 batches an epoch',
        value: { sched: 'step', epochs: 50, decay_epochs: 5, decay_rate: 0.8, warmup_epochs: 2, warmup_lr: 1e-5, lr: 1e-4, updates_per_epoch: 10 }
      }
    }
  })

export type PlanBody = z.output<typeof planRequestSchema>

/** What `GET /v1/plans` takes in its query: the body's fields (one group) and the output's. */
export function planQueryShape (): z.ZodRawShape {
  const { lr: _lr, param_groups: _groups, ...rest } = planBodyShape
  return { ...rest, ...queryGroupShape(timmGroupShape), ...outputShape }
}

// Answers, for the document. The handlers write them with their own encoders (src/render).

const valueSchema = z.number().nullable()
const lrListSchema = z.union([z.array(valueSchema), z.array(z.array(valueSchema))])
  .describe('One entry per step, every value written once: a number with one param group; with several, a list of the groups\' values in order ([[g0, g1], ...], ready to set on the optimizer at that step). Shortest round-trip decimals; null where the library yields none in this unit (timm\'s view raw or noisy).')
const warningsSchema = z.array(z.string()).optional()
  .describe('Why the answer may not be what was meant: a schedule that yields nothing in the unit asked, say.')

export const scheduleResponseSchema = z.object({
  scheduler: z.string(),
  unit: z.enum(['epoch', 'update']).optional().describe("timm only: the unit asked."),
  start: z.number().int().nonnegative(),
  count: z.number().int().nonnegative(),
  warnings: warningsSchema,
  lr: lrListSchema
}).meta({ examples: [{ scheduler: 'step', unit: 'epoch', start: 0, count: 6, lr: [1e-5, 5.5e-5, 0.0001, 0.0001, 0.0001, 0.0001] }] })

export const pointResponseSchema = z.object({
  t: z.number().int().nonnegative(),
  warnings: warningsSchema,
  lr: z.union([valueSchema, z.array(valueSchema)]).describe("The value at t: a number with one param group, a list (one per group) with several.")
}).meta({ examples: [{ t: 7, lr: 0.00008 }] })

export const planResponseSchema = z.object({
  num_epochs: z.number().int().nonnegative().describe('The epochs train.py runs: cycles, warmup prefix and cooldown included.'),
  updates_per_epoch: z.number().int().positive(),
  total_updates: z.number().int().nonnegative().describe('num_epochs × updates_per_epoch: every update of the run, whatever the window.'),
  scheduler_class: z.string().describe("timm's class, as create_scheduler_v2 builds it."),
  start_epoch: z.number().int().positive().optional().describe('The epoch a resumed run starts at, where the request gives one.'),
  start: z.number().int().nonnegative().describe('The first update of the answer.'),
  count: z.number().int().nonnegative().describe('The updates in the answer.'),
  lr: lrListSchema.describe('The LR of every update in the window, in order: a number per update with one param group, a list per update with several.')
})

export const problemSchema = z.object({
  type: z.string().describe('What kind of problem: a /problems/... URI of this API (GET it for an explanation), or about:blank for a plain HTTP error.'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().describe('What went wrong, in a sentence.'),
  errors: z.array(z.object({
    path: z.string().describe('The field at fault, as a JSON pointer into the body or the query ("/decay_t", "/param_groups/0/lr"); "" for the whole request.'),
    message: z.string()
  })).describe('Each field at fault, each once; at most 20 (the detail says how many more).'),
  exception: z.string().optional()
    .describe('A refusal (/problems/schedule-refused) only: the Python exception the library raises in the same situation (ValueError, KeyError, ZeroDivisionError, ...), so that a client can raise it.')
}).meta({ description: 'An RFC 9457 problem (application/problem+json).' })

/** A CSV answer, for the document. */
export const csvSchema = z.string()
  .describe('A header row (t,lr; t,lr_0,lr_1,... for several param groups; update instead of t for a plan), then a row per step. Values in the shortest text that reads back as the same double; an empty cell where the library yields none. Lines end in \\n.')

/** An SVG answer, for the document. */
export const svgSchema = z.string()
  .describe('A self-contained SVG line chart: a title naming the scheduler and its parameters, labelled axes, a line per param group (per series for a plot) drawn as steps, and a legend when there are several.')

export const npySchema = z.string().meta({ format: 'binary' })
  .describe('A NumPy .npy file (version 1.0): float64, shape (groups, steps), NaN where the library yields none. numpy.load reads it.')

export const arrowSchema = z.string().meta({ format: 'binary' })
  .describe('An Apache Arrow IPC stream: an int64 column t (update for a plan) and a float64 column per param group (lr, or lr_0, lr_1, ...), null where the library yields none; a record batch per chunk.')

export const healthSchema = z.object({ status: z.enum(['ok', 'draining']) })

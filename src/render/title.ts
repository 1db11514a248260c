/**
 * Chart titles that say what was computed: timm's class and the parameters that
 * differ from timm's defaults, written as in Python
 * (`StepLRScheduler · decay_t=5, decay_rate=0.5, warmup_t=2`).
 */
import { z } from 'zod'
import { schedulerNamed } from '../schedules/index.js'
import { trainArgsShape } from '../schedules/timm/plan.js'
import { pythonValue } from './numbers.js'

/** A validated schedule request: `scheduler`, its parameters, and the LR fields. */
export interface ScheduleRequest {
  scheduler: string
  lr?: number | undefined
  param_groups?: ReadonlyArray<{ lr: number, lr_scale?: number | undefined, initial_lr?: number | undefined }> | undefined
  view?: unknown
  [parameter: string]: unknown
}

/** Request fields that are not the constructor's: the answer's unit and view, and the inputs. */
const notConstructorArguments = new Set(['unit', 'view', 'metrics'])

/** The class (or function) a request's scheduler reproduces, and its constructor's fields. */
function schedulerOf (request: ScheduleRequest): { name: string, shape: z.ZodRawShape } {
  const definition = schedulerNamed(request.scheduler)
  if (definition === undefined) return { name: request.scheduler, shape: {} }
  const shape = Object.fromEntries(Object.entries(definition.shape).filter(([field]) => !notConstructorArguments.has(field)))
  return { name: definition.reference.name, shape }
}

export interface ChartTitle {
  /** Lines of the title: the class and its parameters, wrapped. */
  title: string[]
  subtitle?: string | undefined
}

/** Titles wrap between parameters past this many characters a line. */
const LINE_LENGTH = 80

/**
 * `name=value` for each of `shape`'s parameters that `params` sets to other than its
 * default, or that `given` names (a request that spells out a default, such as the
 * tutorial's `decay_rate=1.0`, sees it in the title), in the shape's order.
 */
export function changedParameters (shape: z.ZodRawShape, params: Record<string, unknown>, given: Iterable<string> = []): string[] {
  const explicit = new Set(given)
  const out: string[] = []
  for (const [name, field] of Object.entries(shape)) {
    if (!(name in params) || params[name] === undefined) continue
    const value = params[name]
    if (!explicit.has(name) && field instanceof z.ZodDefault && sameValue(value, (field.def as { defaultValue: unknown }).defaultValue)) continue
    out.push(`${name}=${titleValue(value)}`)
  }
  return out
}

/** A parameter's value in a title; nested schedulers (SequentialLR's) by their class. */
function titleValue (value: unknown): string {
  const nested = (item: unknown): item is { scheduler: string } => item !== null && typeof item === 'object' && typeof (item as { scheduler?: unknown }).scheduler === 'string'
  if (Array.isArray(value) && value.some(nested)) {
    return `[${value.map((item) => nested(item) ? schedulerNamed(item.scheduler)?.reference.name ?? item.scheduler : pythonValue(item)).join(', ')}]`
  }
  return pythonValue(value)
}

/**
 * `StepLRScheduler · decay_t=5, decay_rate=0.5`, and the base LR(s) as the subtitle.
 * `given`: the parameter names the client wrote, where known (see `changedParameters`).
 */
export function scheduleTitle (request: ScheduleRequest, given?: Iterable<string>): ChartTitle {
  const scheduler = schedulerOf(request)
  const subtitle = [lrSummary(request)]
  if (request.view !== undefined && request.view !== 'lr') subtitle.push(`view=${String(request.view)}`)
  return { title: wrap(scheduler.name, changedParameters(scheduler.shape, request, given)), subtitle: subtitle.filter(Boolean).join(' · ') }
}

/**
 * One title for several requests drawn together (`POST /v1/plots`): their classes,
 * and the parameters every one of them shares; what differs is in the legend.
 */
export function comparisonTitle (requests: readonly ScheduleRequest[]): ChartTitle {
  const classes = [...new Set(requests.map((request) => schedulerOf(request).name))]
  const perRequest = requests.map((request) => changedParameters(schedulerOf(request).shape, request))
  const shared = perRequest[0]?.filter((parameter) => perRequest.every((others) => others.includes(parameter))) ?? []
  const lrs = [...new Set(requests.map(lrSummary))]
  return { title: wrap(classes.join(' vs '), shared), subtitle: lrs.length === 1 ? lrs[0] : undefined }
}

/** `StepLRScheduler (train.py) · sched=step, epochs=50`, with the updates per epoch. */
export function planTitle (args: Record<string, unknown>, answer: { scheduler_class: string, updates_per_epoch: number, num_epochs: number }): ChartTitle {
  return {
    title: wrap(`${answer.scheduler_class} (train.py)`, changedParameters(trainArgsShape, args)),
    subtitle: [lrSummary(args), `${answer.num_epochs} epochs × ${answer.updates_per_epoch} updates`].filter(Boolean).join(' · ')
  }
}

function lrSummary (request: { lr?: unknown, param_groups?: unknown }): string {
  const groups = request.param_groups as ScheduleRequest['param_groups']
  if (groups !== undefined && groups.length > 0) {
    const parts = [`lr=${pythonValue(groups.length === 1 ? groups[0].lr : groups.map((group) => group.lr))}`]
    if (groups.some((group) => group.lr_scale !== undefined)) {
      parts.push(`lr_scale=${pythonValue(groups.map((group) => group.lr_scale ?? null))}`)
    }
    if (groups.some((group) => group.initial_lr !== undefined)) {
      parts.push(`initial_lr=${pythonValue(groups.map((group) => group.initial_lr ?? null))}`)
    }
    return parts.join(', ')
  }
  return typeof request.lr === 'number' ? `lr=${pythonValue(request.lr)}` : ''
}

/** The head, then the parameters, broken into lines of about `LINE_LENGTH` characters. */
function wrap (head: string, parameters: readonly string[]): string[] {
  if (parameters.length === 0) return [head]
  const lines: string[] = []
  let line = `${head} · `
  parameters.forEach((parameter, index) => {
    const piece = parameter + (index < parameters.length - 1 ? ',' : '')
    if (line.length + piece.length > LINE_LENGTH && !line.endsWith('· ')) {
      lines.push(line.trimEnd())
      line = ''
    }
    line += piece + ' '
  })
  lines.push(line.trimEnd())
  return lines
}

function sameValue (a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/**
 * The schedulers a composite (SequentialLR, ChainedScheduler) takes: each as
 * `{"scheduler": "torch.<Class>", ...its parameters}`, validated by that scheduler's
 * own shape, built on the same optimizer in order, as users write them.
 *
 * Nesting: a composite's scheduler may itself be a SequentialLR or ChainedScheduler
 * of plain schedulers (torch takes any depth; one level covers what users write, such
 * as a ChainedScheduler inside a SequentialLR). ReduceLROnPlateau is accepted here
 * only to be refused as torch refuses it (ValueError): it steps on a metric.
 */
import { z } from 'zod'
import type { AnySchedulerDefinition, ParamGroup } from '../core/define.js'
import { pythonCall } from '../core/python.js'
import { lastEpochField } from './base.js'
import { constantLR } from './constant-lr.js'
import { cosineAnnealingLR } from './cosine-annealing-lr.js'
import { cosineAnnealingWarmRestarts } from './cosine-annealing-warm-restarts.js'
import { cyclicLR } from './cyclic-lr.js'
import { exponentialLR } from './exponential-lr.js'
import { linearLR } from './linear-lr.js'
import { multiStepLR } from './multi-step-lr.js'
import { oneCycleLR } from './one-cycle-lr.js'
import { polynomialLR } from './polynomial-lr.js'
import { reduceLROnPlateau, reduceLROnPlateauParameters } from './reduce-lr-on-plateau.js'
import { stepLR } from './step-lr.js'

/** The schedulers that take no other scheduler, ReduceLROnPlateau aside. */
export const plainDefinitions = [
  stepLR, multiStepLR, constantLR, linearLR, exponentialLR, polynomialLR,
  cosineAnnealingLR, cosineAnnealingWarmRestarts, cyclicLR, oneCycleLR
] as const

const compositeNames = ['torch.SequentialLR', 'torch.ChainedScheduler']

function entry<const Name extends string, Shape extends z.ZodRawShape> (name: Name, shape: Shape) {
  return z.strictObject({ scheduler: z.literal(name), ...shape })
}

const plainEntries = [
  entry(stepLR.name, stepLR.shape),
  entry(multiStepLR.name, multiStepLR.shape),
  entry(constantLR.name, constantLR.shape),
  entry(linearLR.name, linearLR.shape),
  entry(exponentialLR.name, exponentialLR.shape),
  entry(polynomialLR.name, polynomialLR.shape),
  entry(cosineAnnealingLR.name, cosineAnnealingLR.shape),
  entry(cosineAnnealingWarmRestarts.name, cosineAnnealingWarmRestarts.shape),
  entry(cyclicLR.name, cyclicLR.shape),
  entry(oneCycleLR.name, oneCycleLR.shape),
  entry(reduceLROnPlateau.name, reduceLROnPlateauParameters)
] as const

const plainNames = plainEntries.map((option) => option.shape.scheduler.value)

/** A scheduler inside a composite that is itself inside a composite: a plain one. */
export const plainChild = z.discriminatedUnion('scheduler', plainEntries, {
  error: (issue) => {
    const name = (issue.input as { scheduler?: unknown } | undefined)?.scheduler
    if (typeof name === 'string' && compositeNames.includes(name)) {
      return `${name} is nested two composites deep here: a composite's schedulers may be composites of plain schedulers, one level, no deeper`
    }
    return `scheduler must be one of ${plainNames.join(', ')}`
  }
}).meta({ discriminator: { propertyName: 'scheduler' } })

/** SequentialLR's parameters, for schedulers of the `child` schema. */
export function sequentialFields<Child extends z.ZodType> (child: Child) {
  return {
    schedulers: z.array(child)
      .describe('The schedulers, in order, each {"scheduler": "torch.<Class>", ...its parameters}, built on the same optimizer as users write them.'),
    milestones: z.array(z.number().int())
      .describe('The steps at which the next scheduler takes over: one fewer than the schedulers (ValueError otherwise).'),
    last_epoch: lastEpochField
  }
}

/** ChainedScheduler's parameters, for schedulers of the `child` schema. */
export function chainedFields<Child extends z.ZodType> (child: Child) {
  return {
    schedulers: z.array(child)
      .describe('The schedulers, each {"scheduler": "torch.<Class>", ...its parameters}, built on the same optimizer in order; every step() steps each in turn.')
  }
}

const nestedSequential = z.strictObject({ scheduler: z.literal('torch.SequentialLR'), ...sequentialFields(plainChild) })
const nestedChained = z.strictObject({ scheduler: z.literal('torch.ChainedScheduler'), ...chainedFields(plainChild) })

/** A scheduler inside a composite: a plain one, or a composite of plain ones. */
export const child = z.discriminatedUnion('scheduler', [...plainEntries, nestedSequential, nestedChained], {
  error: () => `scheduler must be one of ${[...plainNames, ...compositeNames].join(', ')}`
}).meta({ discriminator: { propertyName: 'scheduler' } })

export type ChildParams = z.output<typeof child>
export type SequentialParams = { schedulers: readonly ChildParams[], milestones: number[], last_epoch: number }
export type ChainedParams = { schedulers: readonly ChildParams[] }

const definitionsByName = new Map<string, AnySchedulerDefinition>(
  [...plainDefinitions, reduceLROnPlateau].map((definition) => [definition.name, definition]))

/** A child's constructor call, as a torch user writes it. */
export function childPython (params: ChildParams, groups: readonly ParamGroup[]): string {
  if (params.scheduler === 'torch.SequentialLR') return sequentialPython(params, groups)
  if (params.scheduler === 'torch.ChainedScheduler') return chainedPython(params, groups)
  return definitionsByName.get(params.scheduler)!.python(params, groups)
}

/** `SequentialLR(optimizer, schedulers=[...], milestones=[...])`. */
export function sequentialPython (params: SequentialParams, groups: readonly ParamGroup[]): string {
  const schedulers = `[${params.schedulers.map((s) => childPython(s, groups)).join(', ')}]`
  const lastEpoch: Array<[string, unknown]> = params.last_epoch === -1 ? [] : [['last_epoch', params.last_epoch]]
  return pythonCall('SequentialLR', ['optimizer', `schedulers=${schedulers}`], [['milestones', params.milestones], ...lastEpoch])
}

/** `ChainedScheduler([...], optimizer=optimizer)`, as torch's own example writes it. */
export function chainedPython (params: ChainedParams, groups: readonly ParamGroup[]): string {
  const schedulers = `[${params.schedulers.map((s) => childPython(s, groups)).join(', ')}]`
  return pythonCall('ChainedScheduler', [schedulers, 'optimizer=optimizer'], [])
}

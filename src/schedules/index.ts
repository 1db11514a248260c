/**
 * The registry: every scheduler the service computes, one line each, by library.
 * The request schemas, GET queries, the OpenAPI document, the playground's list and
 * the table-driven tests are derived from it; a new scheduler is one file and one
 * line here.
 */
import type { AnySchedulerDefinition } from './core/define.js'
import { cosine } from './timm/cosine.js'
import { multistep } from './timm/multistep.js'
import { plateau } from './timm/plateau.js'
import { poly } from './timm/poly.js'
import { step } from './timm/step.js'
import { tanh } from './timm/tanh.js'

const builtIn: readonly AnySchedulerDefinition[] = [
  // timm.scheduler
  step,
  multistep,
  cosine,
  tanh,
  poly,
  plateau
]

const byName = new Map<string, AnySchedulerDefinition>(builtIn.map((definition) => [definition.name, definition]))

/** Every registered scheduler, in registration order. */
export function registeredSchedulers (): AnySchedulerDefinition[] {
  return [...byName.values()]
}

/** The scheduler registered under `name`, if any. */
export function schedulerNamed (name: string): AnySchedulerDefinition | undefined {
  return byName.get(name)
}

/**
 * Adds a scheduler defined outside this list (a plug-in, or a test's). Call it at
 * the top level of the module that defines the scheduler, before the app is built;
 * the worker threads import the same module (`buildApp`'s `schedulerModules`).
 */
export function register (definition: AnySchedulerDefinition): void {
  if (byName.has(definition.name)) throw new Error(`a scheduler named ${definition.name} is registered already`)
  byName.set(definition.name, definition)
}

export type { AnySchedulerDefinition, ParamGroup, Schedule, SchedulerDefinition } from './core/define.js'
export { ScheduleError } from './core/errors.js'

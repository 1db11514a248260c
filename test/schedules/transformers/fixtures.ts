/**
 * The golden vectors computed by transformers' `get_scheduler` on PyTorch, read from
 * `../shared/fixtures/transformers.json` beside the repository at run time (they are
 * not part of it).
 */
import type { AnySchedulerDefinition } from '../../../src/schedules/core/define.js'
import { ScheduleError } from '../../../src/schedules/core/errors.js'
import { registeredSchedulers, schedulerNamed } from '../../../src/schedules/index.js'
import { schedulerType } from '../../../src/schedules/transformers/base.js'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export interface TransformersCase {
  id: string
  kind: 'transformers'
  /** The `SchedulerType` name given to get_scheduler. */
  scheduler: string
  /** num_warmup_steps, num_training_steps and the scheduler_specific_kwargs, flat. */
  kwargs: Record<string, unknown>
  param_groups: Array<{ lr: number, initial_lr?: number }>
  steps: number
  metrics?: number[]
  /** `lr[t]`: every group's LR after t calls of step(); with `error`, the values before `at_step`. */
  expected: { lr: number[][] } | { error: string, at_step: number | null, lr?: number[][] }
}

export const fixturePath = fileURLToPath(new URL('../../../../shared/fixtures/transformers.json', import.meta.url))

export const fixtures: { meta: { scheduler_types: string[], source: { commit: string } } & Record<string, unknown>, cases: TransformersCase[] } =
  JSON.parse(readFileSync(fixturePath, 'utf8'))

/**
 * The definition `get_scheduler(type, ...)` builds, by transformers' type name
 * (`cosine`, not `transformers.cosine`); a name that is no `SchedulerType` is
 * transformers' own ValueError (`constant_schedule`, say: that is the function
 * `get_constant_schedule`, whose type is `constant`).
 */
export function transformersScheduler (type: string): AnySchedulerDefinition {
  const definition = schedulerNamed(`transformers.${schedulerType(type)}`)
  if (definition === undefined) throw new ScheduleError(`no definition for transformers.${type}`, null)
  return definition
}

/** Every registered transformers type, in the registry's order. */
export const transformersSchedulers = registeredSchedulers().filter((definition) => definition.reference.library === 'transformers')

/**
 * Hugging Face transformers' schedules: one definition per `SchedulerType` of
 * `get_scheduler`, under the wire name `transformers.<type>`, in transformers' order.
 */
import type { AnySchedulerDefinition } from '../core/define.js'
import { ScheduleError } from '../core/errors.js'
import { schedulerType, type SchedulerType } from './base.js'
import { constant } from './constant.js'
import { constantWithWarmup } from './constant-with-warmup.js'
import { cosine } from './cosine.js'
import { cosineWarmupWithMinLr } from './cosine-warmup-with-min-lr.js'
import { cosineWithMinLr } from './cosine-with-min-lr.js'
import { cosineWithRestarts } from './cosine-with-restarts.js'
import { inverseSqrt } from './inverse-sqrt.js'
import { linear } from './linear.js'
import { polynomial } from './polynomial.js'
import { reduceLrOnPlateau } from './reduce-lr-on-plateau.js'
import { warmupStableDecay } from './warmup-stable-decay.js'

export const transformersSchedulers = [
  linear,
  cosine,
  cosineWithRestarts,
  polynomial,
  constant,
  constantWithWarmup,
  inverseSqrt,
  reduceLrOnPlateau,
  cosineWithMinLr,
  cosineWarmupWithMinLr,
  warmupStableDecay
] as const

export type TransformersSchedulerName = typeof transformersSchedulers[number]['name']

// Every SchedulerType has exactly one definition: the compiler refuses a missing or an extra one.
transformersSchedulers satisfies ReadonlyArray<{ name: `transformers.${SchedulerType}` }>
type Missing = Exclude<`transformers.${SchedulerType}`, TransformersSchedulerName>
const complete: [Missing] extends [never] ? true : Missing = true
void complete

/**
 * The definition `get_scheduler(type, ...)` builds, by transformers' type name
 * (`cosine`, not `transformers.cosine`); a name that is no `SchedulerType` is
 * transformers' own ValueError (`constant_schedule`, say: that is the function
 * `get_constant_schedule`, whose type is `constant`).
 */
export function transformersScheduler (type: string): AnySchedulerDefinition {
  const name = `transformers.${schedulerType(type)}`
  const definition = transformersSchedulers.find((d) => d.name === name)
  if (definition === undefined) throw new ScheduleError(`no definition for ${name}`, null)
  return definition
}

export { schedulerTypes, type SchedulerType } from './base.js'
export { plateauInitial, plateauOptions, plateauStep, type PlateauOptions, type PlateauState } from './reduce-lr-on-plateau.js'

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
import { chainedScheduler } from './torch/chained-scheduler.js'
import { constantLR } from './torch/constant-lr.js'
import { cosineAnnealingLR } from './torch/cosine-annealing-lr.js'
import { cosineAnnealingWarmRestarts } from './torch/cosine-annealing-warm-restarts.js'
import { cyclicLR } from './torch/cyclic-lr.js'
import { exponentialLR } from './torch/exponential-lr.js'
import { linearLR } from './torch/linear-lr.js'
import { multiStepLR } from './torch/multi-step-lr.js'
import { oneCycleLR } from './torch/one-cycle-lr.js'
import { polynomialLR } from './torch/polynomial-lr.js'
import { reduceLROnPlateau } from './torch/reduce-lr-on-plateau.js'
import { sequentialLR } from './torch/sequential-lr.js'
import { stepLR } from './torch/step-lr.js'
import { constant as transformersConstant } from './transformers/constant.js'
import { constantWithWarmup } from './transformers/constant-with-warmup.js'
import { cosine as transformersCosine } from './transformers/cosine.js'
import { cosineWarmupWithMinLr } from './transformers/cosine-warmup-with-min-lr.js'
import { cosineWithMinLr } from './transformers/cosine-with-min-lr.js'
import { cosineWithRestarts } from './transformers/cosine-with-restarts.js'
import { inverseSqrt } from './transformers/inverse-sqrt.js'
import { linear as transformersLinear } from './transformers/linear.js'
import { polynomial as transformersPolynomial } from './transformers/polynomial.js'
import { reduceLrOnPlateau as transformersReduceLrOnPlateau } from './transformers/reduce-lr-on-plateau.js'
import { warmupStableDecay } from './transformers/warmup-stable-decay.js'

const builtIn = [
  // timm.scheduler
  step,
  multistep,
  cosine,
  tanh,
  poly,
  plateau,
  // torch.optim.lr_scheduler
  stepLR,
  multiStepLR,
  constantLR,
  linearLR,
  exponentialLR,
  polynomialLR,
  cosineAnnealingLR,
  cosineAnnealingWarmRestarts,
  cyclicLR,
  oneCycleLR,
  reduceLROnPlateau,
  sequentialLR,
  chainedScheduler,
  // transformers.get_scheduler
  transformersLinear,
  transformersCosine,
  cosineWithRestarts,
  transformersPolynomial,
  transformersConstant,
  constantWithWarmup,
  inverseSqrt,
  transformersReduceLrOnPlateau,
  cosineWithMinLr,
  cosineWarmupWithMinLr,
  warmupStableDecay
] as const satisfies readonly AnySchedulerDefinition[]

/** The name of a built-in scheduler. */
export type SchedulerName = typeof builtIn[number]['name']

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

/**
 * What every Hugging Face transformers schedule shares: `get_scheduler`'s argument
 * rules, torch's `LambdaLR` underneath (`lr = base_lr * lr_lambda(last_epoch)`), the
 * warmup fraction most lambdas start with, and Python's arithmetic where the lambdas
 * rely on it. Each `transformers.<type>` file composes these.
 *
 * The reference is `transformers/optimization.py` at commit
 * 005edacb6b5dabbf0843e92c6623de9e07ca6241, on torch's `lr_scheduler.py` at
 * 008f727ece1520e12c25089a7969d5b8fca75f8e.
 *
 * On the wire, `get_scheduler(name, optimizer, num_warmup_steps, num_training_steps,
 * scheduler_specific_kwargs)` is flattened: `num_warmup_steps`, `num_training_steps`
 * and every key of `scheduler_specific_kwargs` are top-level fields of the request.
 */
import { z } from 'zod'
import { cos } from '../../math/index.js'
import type { ClosedSchedule, ParamGroup, Reference } from '../core/define.js'
import { ScheduleError } from '../core/errors.js'
import { keywordArguments, pythonValue } from '../core/python.js'

/** Every `SchedulerType` of the reference commit's `trainer_utils.py`, in its order. */
export const schedulerTypes = [
  'linear',
  'cosine',
  'cosine_with_restarts',
  'polynomial',
  'constant',
  'constant_with_warmup',
  'inverse_sqrt',
  'reduce_lr_on_plateau',
  'cosine_with_min_lr',
  'cosine_warmup_with_min_lr',
  'warmup_stable_decay'
] as const

export type SchedulerType = typeof schedulerTypes[number]

/**
 * `SchedulerType(name)`, the first line of `get_scheduler`: a name that is not a type
 * is transformers' ValueError (`ExplicitEnum._missing_`), with its message.
 */
export function schedulerType (name: string): SchedulerType {
  if ((schedulerTypes as readonly string[]).includes(name)) return name as SchedulerType
  throw new ScheduleError(
    `${name} is not a valid SchedulerType, please select one of [${schedulerTypes.map((type) => `'${type}'`).join(', ')}]`,
    'ValueError'
  )
}

/** Every transformers definition names `get_scheduler`: the service reproduces its argument rules, not only the lambdas. */
export const reference: Reference = {
  library: 'transformers',
  name: 'get_scheduler',
  importLine: 'from transformers import get_scheduler'
}

/** A step count as transformers takes it: a Python int, here a safe integer that is not negative. */
export const stepsField = z.number().int().nonnegative()

export const warmupStepsField = stepsField.optional()
  .describe("get_scheduler's num_warmup_steps: steps of warmup from 0 to the base LR. Required: transformers raises ValueError without it.")

export const trainingStepsField = stepsField.optional()
  .describe("get_scheduler's num_training_steps: the length of the run, warmup included. Required: transformers raises ValueError without it.")

export const lastEpochField = z.number().int().min(-1).default(-1)
  .describe('LambdaLR last_epoch (a scheduler_specific_kwargs key): -1 starts the schedule; k resumes after step k, and every param group must then carry initial_lr.')

/** `get_scheduler`'s check that a type which needs `num_warmup_steps` got it. */
export function requireWarmupSteps (type: SchedulerType, params: { num_warmup_steps?: number | undefined }): number {
  if (params.num_warmup_steps === undefined) {
    throw new ScheduleError(`${type} requires \`num_warmup_steps\`, please provide that argument.`, 'ValueError', ['num_warmup_steps'])
  }
  return params.num_warmup_steps
}

/** `get_scheduler`'s check that a type which needs `num_training_steps` got it (after `num_warmup_steps`, as it checks them). */
export function requireTrainingSteps (type: SchedulerType, params: { num_warmup_steps?: number | undefined, num_training_steps?: number | undefined }): { warmup: number, training: number } {
  const warmup = requireWarmupSteps(type, params)
  if (params.num_training_steps === undefined) {
    throw new ScheduleError(`${type} requires \`num_training_steps\`, please provide that argument.`, 'ValueError', ['num_training_steps'])
  }
  return { warmup, training: params.num_training_steps }
}

/**
 * `optimizer.defaults["lr"]`, which polynomial and the min-LR cosines read instead of
 * each group's LR. The golden vectors' optimizer is `SGD(param_groups,
 * lr=param_groups[0]["lr"])`, and so is the service's: the first group's `lr`.
 */
export function optimizerDefaultLr (groups: readonly ParamGroup[]): number {
  return groups[0].lr
}

/**
 * torch's `LambdaLR` over one lambda shared by every group: the base LRs are the
 * groups' `initial_lr` (`setdefault` from `lr` when `last_epoch` is -1; required
 * otherwise, torch's KeyError), the constructor takes one step, so value `t` is
 * `base_lr * lr_lambda(last_epoch + 1 + t)`. The lambda is called once per step, as
 * torch calls it once per step and group with the same result.
 */
export function lambdaLR (groups: readonly ParamGroup[], lastEpoch: number, lrLambda: (step: number) => number): ClosedSchedule {
  const baseLrs = groups.map((group, i) => {
    if (group.initial_lr !== undefined) return group.initial_lr
    if (lastEpoch !== -1) {
      throw new ScheduleError(`param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer (last_epoch = ${lastEpoch})`, 'KeyError', ['last_epoch'])
    }
    return group.lr
  })
  const first = lastEpoch + 1
  return {
    kind: 'closed',
    fill (from, to, out) {
      if (to > from && !Number.isSafeInteger(first + to - 1)) {
        throw new ScheduleError(`step ${first + to - 1} is beyond 2^53 - 1, where a double no longer holds Python's int exactly`, null, ['last_epoch'])
      }
      let i = 0
      for (let t = from; t < to; t++) {
        const factor = lrLambda(first + t)
        for (const base of baseLrs) out[i++] = base * factor
      }
    }
  }
}

/** `float(current_step) / float(max(1, num_warmup_steps))`: the warmup every lambda but two starts with. */
export function warmupFraction (step: number, warmup: number): number {
  return step / Math.max(1, warmup)
}

/** Python's `max(floor, x)`: `x` only if it is greater, so NaN and -0.0 give `floor`. */
export function atLeast (floor: number, x: number): number {
  return x > floor ? x : floor
}

/**
 * Python's float `x % y` (CPython `float_rem`): `fmod`, then the result takes the
 * sign of `y`, and a zero result is a zero of `y`'s sign.
 */
export function pyMod (x: number, y: number): number {
  if (y === 0) throw new ScheduleError('float modulo by zero', 'ZeroDivisionError')
  let mod = x % y
  if (mod !== 0) {
    if ((y < 0) !== (mod < 0)) mod += y
  } else {
    mod = y < 0 ? -0 : 0
  }
  return mod
}

/**
 * `math.cos(x)`, which raises for an infinite argument (a product with a huge
 * num_cycles that overflowed) and gives NaN for NaN (the same product times a
 * progress of 0), which the lambdas' `max(0, ...)` then turns into 0.
 */
export function pyCos (x: number): number {
  if (x === Infinity || x === -Infinity) throw new ScheduleError(`math.cos(${x}) is a math domain error: num_cycles is too large`, 'ValueError', ['num_cycles'])
  return cos(x)
}

/** Python `a / b` for a float divisor: a ZeroDivisionError at 0. */
export function pyDiv (a: number, b: number, why: string): number {
  if (b === 0) throw new ScheduleError(`float division by zero: ${why}`, 'ZeroDivisionError')
  return a / b
}

/** A Python int sum or difference, refused where a double would no longer hold it exactly. */
export function exactInt (value: number, what: string): number {
  if (!Number.isSafeInteger(value)) throw new ScheduleError(`${what} is ${value}, beyond 2^53 - 1, where a double no longer holds Python's int exactly`, null)
  return value
}

/** The top-level arguments of `get_scheduler`; every other field is a `scheduler_specific_kwargs` key. */
const topLevel = ['num_warmup_steps', 'num_training_steps'] as const

/**
 * The `get_scheduler` call for validated `params`: `num_warmup_steps` and
 * `num_training_steps` as given, and the other fields of `shape` that are set and
 * differ from their defaults as `scheduler_specific_kwargs`. Inputs that are not
 * arguments (`metrics`) are skipped.
 */
export function getSchedulerCall (type: SchedulerType, shape: Readonly<Record<string, { _zod: { def: unknown } }>>, params: Readonly<Record<string, unknown>>, skip: readonly string[] = []): string {
  const args = [pythonValue(type), 'optimizer']
  for (const name of topLevel) {
    if (name in shape && params[name] !== undefined) args.push(`${name}=${pythonValue(params[name])}`)
  }
  const specific = keywordArguments(shape, params, [...topLevel, ...skip])
  if (specific.length > 0) {
    args.push(`scheduler_specific_kwargs={${specific.map(([name, value]) => `${pythonValue(name)}: ${pythonValue(value)}`).join(', ')}}`)
  }
  return `get_scheduler(${args.join(', ')})`
}

/**
 * The steps of a run of `num_training_steps` that are left after `last_epoch`: what an
 * answer has when `count` is not given. Step t of the answer is the LR that optimizer
 * step t uses, so a run of T steps uses values 0 .. T - 1 (the value after the last
 * step, which no update uses, is one more step away). At least one value.
 */
export function remainingSteps (trainingSteps: number | undefined, lastEpoch = -1): number {
  // A missing num_training_steps is refused by create before any value is computed.
  return Math.max(1, (trainingSteps ?? 0) - (lastEpoch + 1))
}

/** A note for a field that `get_scheduler` accepts and then never passes on. */
export function ignoredFields (type: SchedulerType, params: Readonly<Record<string, unknown>>, fields: readonly string[], why: string): string[] {
  const given = fields.filter((name) => params[name] !== undefined)
  if (given.length === 0) return []
  return [`get_scheduler('${type}') ignores ${given.join(' and ')}: ${why}`]
}

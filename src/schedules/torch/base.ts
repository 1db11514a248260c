/**
 * What torch.optim.lr_scheduler's classes share: `LRScheduler`'s constructor and
 * step machinery, the optimizer's param groups as the state that every scheduler
 * built on it reads and writes, `_format_param` for per-group parameters, and
 * Python's float division and modulo where torch's arithmetic raises.
 *
 * A torch scheduler is modelled as a `TorchScheduler`: the methods torch calls on it
 * (the constructor, `step()`, `_initial_step()`, `_update_lr(0)` as SequentialLR calls
 * it at a milestone, and SequentialLR's `recursive_undo`), each acting on a state of
 * plain data and on the shared `Optimizer`. Parameters live in the closures; every
 * value that changes lives in the state, so a fold can be cloned mid-run.
 *
 * Numbers arrive as JSON, which does not tell `5` from `5.0`: where torch checks for
 * a Python int (`T_0`, `T_mult`, `total_steps`, `epochs`, `steps_per_epoch`), an
 * integral number is one; where it checks for a float (`pct_start`), any number is.
 */
import { z } from 'zod'
import type { FoldSchedule, ParamGroup, Reference } from '../core/define.js'
import { ScheduleError } from '../core/errors.js'
import { keywordArguments, pythonCall } from '../core/python.js'

/** Where a parameter sits in the request: `['schedulers', 1, 'T_max']`. */
export type Path = ReadonlyArray<string | number>

/**
 * The optimizer's param groups, as torch's schedulers see them: `lr`, and the keys
 * that schedulers add to a group (`initial_lr` by every LRScheduler, `max_lr` and
 * `min_lr` by OneCycleLR). null is a key the group does not have.
 */
export interface Optimizer {
  lr: number[]
  initial_lr: Array<number | null>
  max_lr: Array<number | null>
  min_lr: Array<number | null>
  /** Whether the groups carry `max_momentum` and `base_momentum` (CyclicLR and OneCycleLR set them with `cycle_momentum`). */
  momentum_keys: boolean
}

export function optimizerOf (groups: readonly ParamGroup[]): Optimizer {
  return {
    lr: groups.map((group) => group.lr),
    initial_lr: groups.map((group) => group.initial_lr ?? null),
    max_lr: groups.map(() => null),
    min_lr: groups.map(() => null),
    momentum_keys: false
  }
}

/**
 * One torch scheduler on an optimizer. `S` is its state: plain data only.
 */
export interface TorchScheduler<S = any> {
  /** torch's class name: composites refuse `ReduceLROnPlateau` by it. */
  readonly className: string
  /** The Python constructor, its initial step included; throws where torch raises. */
  readonly construct: (opt: Optimizer) => S
  /** `scheduler.step()`. */
  readonly step: (state: S, opt: Optimizer) => void
  /** `scheduler._initial_step()`, which SequentialLR calls again on its first scheduler. */
  readonly initialStep: (state: S, opt: Optimizer) => void
  /** `scheduler._update_lr(0)`, SequentialLR's hand-over at a milestone: the closed form where the class has one, else `get_lr()`. */
  readonly restart: (state: S, opt: Optimizer) => void
  /** SequentialLR's `recursive_undo`: `last_epoch -= 1`, or the same for every child of a composite. */
  readonly undo: (state: S) => void
}

/** The state of every `LRScheduler` subclass. */
export interface LRState {
  last_epoch: number
  /** `_step_count`: 1 right after the constructor. */
  step_count: number
  base_lrs: number[]
}

/**
 * A subclass of `LRScheduler`: what it adds to the base constructor and its
 * `get_lr()`. `E` is its own state beside `LRState`.
 */
export interface LRSchedulerClass<E extends object> {
  readonly className: string
  readonly lastEpoch: number
  /** Where the scheduler sits in the request, for errors. */
  readonly path: Path
  /** The subclass constructor's work before `super().__init__()`: checks, group keys; returns its own state. */
  readonly before?: ((opt: Optimizer) => E) | undefined
  /** The subclass constructor's work after `super().__init__()` (CyclicLR replaces `base_lrs` there). */
  readonly after?: ((state: LRState & E, opt: Optimizer) => void) | undefined
  /** `get_lr()`, writing every group's new LR into `opt.lr`; `initial` is torch's `_is_initial`. */
  readonly getLr: (state: LRState & E, opt: Optimizer, initial: boolean) => void
  /** `_get_closed_form_lr()`, where the class has one, writing into `opt.lr`. */
  readonly closedForm?: ((state: LRState & E, opt: Optimizer) => void) | undefined
  /** The class's own `step()` where it overrides LRScheduler's (CosineAnnealingWarmRestarts). */
  readonly step?: ((state: LRState & E, opt: Optimizer) => void) | undefined
}

/**
 * `LRScheduler.__init__(optimizer, last_epoch)` and the methods it gives every
 * subclass:
 * - constructor: with `last_epoch == -1` every group gets `initial_lr` (a `setdefault`:
 *   an `initial_lr` already there is kept, so the second scheduler on an optimizer
 *   reads the first one's); otherwise every group must already have one (KeyError).
 *   `base_lrs` are the groups' `initial_lr`, then `_initial_step()`.
 * - `step()`: `_step_count += 1`, `last_epoch += 1`, `get_lr()` into the groups.
 * - `_initial_step()`: `_step_count = 0`, then `step()` with `_is_initial` set.
 * - `_update_lr(0)`: `last_epoch = 0`, then the closed form if the class has one, else `get_lr()`.
 */
export function lrScheduler<E extends object> (cls: LRSchedulerClass<E>): TorchScheduler<LRState & E> {
  const { getLr, closedForm } = cls
  const baseStep = (state: LRState & E, opt: Optimizer, initial: boolean): void => {
    state.step_count += 1
    state.last_epoch += 1
    getLr(state, opt, initial)
  }
  const step = cls.step ?? ((state: LRState & E, opt: Optimizer) => baseStep(state, opt, false))
  const initialStep = (state: LRState & E, opt: Optimizer): void => {
    state.step_count = 0
    if (cls.step !== undefined) cls.step(state, opt)
    else baseStep(state, opt, true)
  }
  return {
    className: cls.className,
    construct (opt) {
      const own = cls.before?.(opt) ?? ({} as E)
      const state = { ...own, last_epoch: cls.lastEpoch, step_count: 0, base_lrs: baseLrs(opt, cls.lastEpoch) }
      initialStep(state, opt)
      cls.after?.(state, opt)
      return state
    },
    step,
    initialStep,
    restart (state, opt) {
      state.last_epoch = 0
      if (closedForm !== undefined) closedForm(state, opt)
      else getLr(state, opt, false)
    },
    undo (state) {
      state.last_epoch -= 1
    }
  }
}

/** The `initial_lr` part of LRScheduler's constructor; returns `base_lrs`. */
function baseLrs (opt: Optimizer, lastEpoch: number): number[] {
  const initial = opt.initial_lr
  for (let g = 0; g < initial.length; g++) {
    if (initial[g] !== null) continue
    if (lastEpoch === -1) {
      initial[g] = opt.lr[g]
    } else {
      throw new ScheduleError(
        `param 'initial_lr' is not specified in param_groups[${g}] when resuming an optimizer (last_epoch=${lastEpoch}): torch raises KeyError; give every param group its initial_lr`,
        'KeyError', ['param_groups', g, 'initial_lr'])
    }
  }
  return initial.slice() as number[]
}

/**
 * torch's `_format_param`: a per-group parameter given as one number (every group
 * gets it) or as a list with one value per param group (ValueError otherwise).
 */
export function formatParam (name: string, value: number | readonly number[], groups: number, path: Path): number[] {
  if (typeof value === 'number') return new Array<number>(groups).fill(value)
  if (value.length !== groups) {
    throw new ScheduleError(
      `${name} must have the same length as optimizer.param_groups. ${name} has ${value.length} values, param_groups has ${groups}.`,
      'ValueError', [...path, name])
  }
  return value.slice()
}

/** Python's ZeroDivisionError, for a division or modulo by a zero that torch's arithmetic reaches. */
export function zeroDivision (what: string, path: Path): ScheduleError {
  return new ScheduleError(`${what} divides by zero (Python raises ZeroDivisionError)`, 'ZeroDivisionError', path)
}

/**
 * Python's `bisect.bisect_right`, the binary search exactly as CPython runs it, so
 * that a list that is not sorted gives what torch gets from it.
 */
export function bisectRight (list: readonly number[], x: number): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (x < list[mid]) hi = mid
    else lo = mid + 1
  }
  return lo
}

/** The fold of a top-level torch scheduler: its state and the optimizer's groups. */
export interface TorchFoldState<S> {
  opt: Optimizer
  scheduler: S
}

/**
 * A torch scheduler as a fold: construction runs here, so that what torch's
 * constructor refuses throws from `create`; every run starts from a copy of the
 * constructed state, and each `advance` is one `step()`.
 */
export function torchFold<S> (scheduler: TorchScheduler<S>, groups: readonly ParamGroup[]): FoldSchedule<TorchFoldState<S>> {
  const opt = optimizerOf(groups)
  const constructed: TorchFoldState<S> = { opt, scheduler: scheduler.construct(opt) }
  return {
    kind: 'fold',
    initial: () => structuredClone(constructed),
    advance (state) {
      scheduler.step(state.scheduler, state.opt)
    },
    read (state, out, offset) {
      const lr = state.opt.lr
      for (let g = 0; g < lr.length; g++) out[offset + g] = lr[g]
    }
  }
}

export function torchReference (name: string): Reference {
  return { library: 'torch', name, importLine: `from torch.optim.lr_scheduler import ${name}` }
}

/** The constructor call as a torch user writes it: `StepLR(optimizer, step_size=30, gamma=0.1)`. */
export function torchCall (className: string, shape: Readonly<Record<string, { _zod: { def: unknown } }>>, params: Readonly<Record<string, unknown>>, skip: readonly string[] = []): string {
  return pythonCall(className, ['optimizer'], keywordArguments(shape, params, skip))
}

/** `last_epoch`, as every LRScheduler takes it. */
export const lastEpochField = z.number().int().min(-1).default(-1)
  .describe('-1 (the default) starts the schedule; n >= 0 resumes it after n steps, as torch does: every param group then needs its initial_lr.')

/** A parameter that torch takes per param group: one number for every group, or a list with one per group. */
export function perGroup () {
  return z.union([z.number(), z.array(z.number())])
}

/**
 * timm's training plan: `create_scheduler_v2` (scheduler_factory.py) and the loop of
 * timm's train.py around it, so a client gets the number of epochs timm would run
 * and the LR of every optimizer update.
 */
import { z } from 'zod'
import { MIN_NORMAL_NOISE_PCT } from './noise.js'
import type { ClosedSchedule, FoldSchedule, ParamGroup, Schedule } from '../core/define.js'
import { byGroup, scheduleValues } from '../core/evaluate.js'
import { ScheduleError } from '../core/errors.js'
import { learningRate } from '../core/groups.js'
import { floorDiv } from '../core/python.js'
import { baseValuesOf, type PeriodicParams } from './base.js'
import { cosine, type CosineParams } from './cosine.js'
import { multistep, type MultistepParams } from './multistep.js'
import { checkAscending, type NoiseParams } from './params.js'
import { plateau, plateauFold, type PlateauParams } from './plateau.js'
import { poly, type PolyParams } from './poly.js'
import { step, type StepParams } from './step.js'
import { tanh, type TanhParams } from './tanh.js'
import { constructorValues } from './warmup.js'

/** timm train.py's scheduler arguments, by train.py's names and with its defaults. */
export const trainArgsShape = {
  sched: z.enum(['cosine', 'tanh', 'step', 'multistep', 'plateau', 'poly']).default('cosine')
    .describe('--sched: the scheduler.'),
  epochs: z.number().int().positive().default(300)
    .describe('--epochs: epochs to train before cycles, warmup prefix and cooldown are added.'),
  decay_epochs: z.number().positive().default(90)
    .describe('--decay-epochs: epochs between step decays (a fraction such as 2.4 is common).'),
  decay_milestones: z.array(z.number()).min(1).default([90, 180, 270])
    .describe('--decay-milestones: the multistep milestones, in epochs, ascending.'),
  warmup_epochs: z.number().int().nonnegative().default(5)
    .describe('--warmup-epochs: epochs of linear warmup.'),
  warmup_lr: learningRate.default(1e-5)
    .describe('--warmup-lr: the LR at the start of warmup.'),
  min_lr: learningRate.default(0)
    .describe('--min-lr: the floor of cyclic schedules and of plateau decays.'),
  cooldown_epochs: z.number().int().nonnegative().default(0)
    .describe('--cooldown-epochs: epochs at min_lr after the cycles (cosine, tanh, poly).'),
  patience_epochs: z.number().int().nonnegative().default(10)
    .describe('--patience-epochs: plateau patience.'),
  decay_rate: z.number().default(0.1)
    .describe('--decay-rate: step, multistep and plateau factor; the power of poly.'),
  lr_noise: z.union([z.number(), z.tuple([z.number()]), z.tuple([z.number(), z.number()])]).nullable().default(null)
    .describe('--lr-noise: where noise is on, as one or two fractions of the schedule length. null: no noise.'),
  lr_noise_pct: z.number().nonnegative().default(0.67)
    .describe('--lr-noise-pct: the noise limit, as a fraction of the LR.'),
  lr_noise_std: z.number().default(1)
    .describe('--lr-noise-std: accepted for parity; timm ignores it.'),
  seed: z.number().int().default(42)
    .describe('--seed: the noise seed.'),
  lr_cycle_mul: z.number().positive().default(1)
    .describe('--lr-cycle-mul: cycle length multiplier.'),
  lr_cycle_decay: z.number().nonnegative().default(0.5)
    .describe('--lr-cycle-decay: peak decay per cycle.'),
  lr_cycle_limit: z.number().int().nonnegative().default(1)
    .describe('--lr-cycle-limit: how many cycles.'),
  lr_k_decay: z.number().positive().default(1)
    .describe('--lr-k-decay: k-decay (cosine, poly).'),
  warmup_prefix: z.boolean().default(false)
    .describe('--warmup-prefix: the warmup comes before the schedule instead of inside it.'),
  sched_on_updates: z.boolean().default(false)
    .describe('--sched-on-updates: step the schedule per optimizer update instead of per epoch.'),
  eval_metric: z.string().min(1).default('top1')
    .describe('--eval-metric: a name containing "loss" makes plateau minimise it, anything else maximise.'),
  plateau_mode: z.enum(['min', 'max']).optional()
    .describe('Plateau mode outright, instead of deriving it from eval_metric.')
}

export type TrainArgs = z.infer<z.ZodObject<typeof trainArgsShape>>

/** Rules across train.py's arguments, at their paths. */
export function checkTrainArgs (args: TrainArgs, ctx: z.RefinementCtx): void {
  if (args.lr_noise !== null && args.lr_noise_pct < MIN_NORMAL_NOISE_PCT) {
    ctx.addIssue({ code: 'custom', path: ['lr_noise_pct'], message: `lr_noise_pct must be at least ${MIN_NORMAL_NOISE_PCT} when lr_noise is set: timm redraws normal noise until |noise| < lr_noise_pct` })
  }
  checkAscending('decay_milestones', args.decay_milestones, ctx)
}

/** `create_scheduler_v2`'s keyword arguments, as train.py's `scheduler_kwargs` fills them. */
export interface SchedulerV2Kwargs {
  sched: TrainArgs['sched']
  num_epochs: number
  decay_epochs: number
  decay_milestones: number[]
  cooldown_epochs: number
  patience_epochs: number
  decay_rate: number
  min_lr: number
  warmup_lr: number
  warmup_epochs: number
  warmup_prefix: boolean
  noise: number | number[] | null
  noise_pct: number
  noise_std: number
  noise_seed: number
  cycle_mul: number
  cycle_decay: number
  cycle_limit: number
  k_decay: number
  plateau_mode: 'min' | 'max'
  step_on_epochs: boolean
}

/** train.py's `scheduler_kwargs(args)`: the renaming, and the plateau mode from the metric's name. */
export function schedulerV2Kwargs (args: TrainArgs): SchedulerV2Kwargs {
  return {
    sched: args.sched,
    num_epochs: args.epochs,
    decay_epochs: args.decay_epochs,
    decay_milestones: args.decay_milestones,
    cooldown_epochs: args.cooldown_epochs,
    patience_epochs: args.patience_epochs,
    decay_rate: args.decay_rate,
    min_lr: args.min_lr,
    warmup_lr: args.warmup_lr,
    warmup_epochs: args.warmup_epochs,
    warmup_prefix: args.warmup_prefix,
    noise: args.lr_noise,
    noise_pct: args.lr_noise_pct,
    noise_std: args.lr_noise_std,
    noise_seed: args.seed,
    cycle_mul: args.lr_cycle_mul,
    cycle_decay: args.lr_cycle_decay,
    cycle_limit: args.lr_cycle_limit,
    k_decay: args.lr_k_decay,
    plateau_mode: args.plateau_mode ?? (args.eval_metric.includes('loss') ? 'min' : 'max'),
    step_on_epochs: !args.sched_on_updates
  }
}

/** The timm schedulers train.py's `--sched` names, but plateau. */
type Periodic = typeof cosine | typeof tanh | typeof poly | typeof step | typeof multistep

/** What `create_scheduler_v2` returns: a scheduler with its arguments, and `num_epochs`. */
export type CreatedScheduler =
  | { kind: 'periodic', scheduler: Periodic, params: PeriodicParams, timmClass: string, numEpochs: number }
  | { kind: 'plateau', params: PlateauParams, timmClass: string, numEpochs: number }

/**
 * `create_scheduler_v2`: on updates, every length is multiplied by
 * `updates_per_epoch`; noise fractions become steps of the schedule; cosine, tanh and
 * poly run `get_cycle_length() + cooldown` (in epochs: `// updates_per_epoch`), the
 * others `num_epochs`, plus the warmup when it is a prefix.
 */
export function createSchedulerV2 (kwargs: SchedulerV2Kwargs, updatesPerEpoch: number): CreatedScheduler {
  const onEpochs = kwargs.step_on_epochs
  if (!onEpochs && !(updatesPerEpoch > 0)) {
    throw new ScheduleError('updates_per_epoch must be set to the number of dataloader batches when the schedule steps on updates', 'AssertionError', ['updates_per_epoch'])
  }
  const scale = onEpochs ? 1 : updatesPerEpoch
  const tInitial = kwargs.num_epochs * scale
  const warmup = { warmup_lr_init: kwargs.warmup_lr, warmup_t: kwargs.warmup_epochs * scale, warmup_prefix: kwargs.warmup_prefix }
  const noise: NoiseParams = {
    noise_range_t: noiseRange(kwargs.noise, tInitial),
    noise_type: 'normal',
    noise_pct: kwargs.noise_pct,
    noise_std: kwargs.noise_std,
    noise_seed: kwargs.noise_seed
  }
  const cycles = { t_initial: tInitial, lr_min: kwargs.min_lr, cycle_mul: kwargs.cycle_mul, cycle_decay: kwargs.cycle_decay, cycle_limit: kwargs.cycle_limit }
  const common = { ...warmup, ...noise, t_in_epochs: onEpochs }
  const plainLength = kwargs.num_epochs + (kwargs.warmup_prefix ? kwargs.warmup_epochs : 0)

  const cyclic = (scheduler: typeof cosine | typeof tanh | typeof poly, params: CosineParams | TanhParams | PolyParams): CreatedScheduler => {
    const t = scheduler.defaultCount!(params as any) + kwargs.cooldown_epochs * scale
    return { kind: 'periodic', scheduler, params, timmClass: scheduler.reference.name, numEpochs: onEpochs ? t : floorDiv(t, updatesPerEpoch) }
  }

  switch (kwargs.sched) {
    case 'cosine':
      return cyclic(cosine, { ...cycles, ...common, k_decay: kwargs.k_decay } satisfies CosineParams)
    case 'tanh':
      return cyclic(tanh, { ...cycles, ...common, lb: -7, ub: 3 } satisfies TanhParams)
    case 'poly':
      // create_scheduler_v2 overloads decay_rate as the polynomial power.
      return cyclic(poly, { ...cycles, ...common, k_decay: kwargs.k_decay, power: kwargs.decay_rate } satisfies PolyParams)
    case 'step': {
      const params: StepParams = { ...common, decay_t: kwargs.decay_epochs * scale, decay_rate: kwargs.decay_rate }
      return { kind: 'periodic', scheduler: step, params, timmClass: step.reference.name, numEpochs: plainLength }
    }
    case 'multistep': {
      const params: MultistepParams = { ...common, decay_t: kwargs.decay_milestones.map((m) => m * scale), decay_rate: kwargs.decay_rate }
      return { kind: 'periodic', scheduler: multistep, params, timmClass: multistep.reference.name, numEpochs: plainLength }
    }
    case 'plateau':
      if (!onEpochs) throw new ScheduleError('the plateau schedule steps per epoch only: timm asserts step_on_epochs (set sched_on_updates to false)', 'AssertionError', ['sched_on_updates'])
      return {
        kind: 'plateau',
        timmClass: plateau.reference.name,
        numEpochs: plainLength,
        params: {
          ...noise,
          decay_rate: kwargs.decay_rate,
          patience_t: kwargs.patience_epochs,
          // create_scheduler_v2 passes cooldown_t=0 to plateau, whatever cooldown_epochs says.
          cooldown_t: 0,
          threshold: 1e-4,
          warmup_t: warmup.warmup_t,
          warmup_lr_init: warmup.warmup_lr_init,
          lr_min: kwargs.min_lr,
          mode: kwargs.plateau_mode
        }
      }
  }
}

/** `noise * t_initial`, element-wise for a list; a list of one is a single step. */
function noiseRange (noise: number | number[] | null, tInitial: number): NoiseParams['noise_range_t'] {
  if (noise === null) return null
  if (typeof noise === 'number') return noise * tInitial
  if (noise.length === 1) return noise[0] * tInitial
  return [noise[0] * tInitial, noise[1] * tInitial]
}

/** A run as train.py drives it: the schedule of every optimizer update, with its length. */
export interface PlanSchedule {
  numEpochs: number
  totalUpdates: number
  timmClass: string
  /** Value `u`: every group's LR during optimizer update `u`. */
  schedule: Schedule
  /** Refuses, before any work, a window of updates whose noise would take too many draws. */
  checkCost: (start: number, count: number) => void
}

/**
 * The LR of every optimizer update in timm's train.py: update `u` of epoch `e` runs
 * with the LR the loop left in the param group: the constructor's for the first, then
 * `step_update(u)`'s after each update and `step(e)`'s after each epoch, whichever
 * the schedule answers to. Plateau reads `metrics[e]` at the end of epoch `e`.
 */
export function planSchedule (
  kwargs: SchedulerV2Kwargs,
  groups: readonly ParamGroup[],
  updatesPerEpoch: number,
  metrics: readonly number[] | null
): PlanSchedule {
  const created = createSchedulerV2(kwargs, updatesPerEpoch)
  const epochs = created.numEpochs
  const totalUpdates = epochs * updatesPerEpoch
  const plan = { numEpochs: epochs, totalUpdates, timmClass: created.timmClass }
  if (created.kind === 'plateau') {
    // The metric after the last epoch steps a scheduler nobody uses again, so it may be left out.
    if (metrics === null || metrics.length < epochs - 1) {
      throw new ScheduleError(`the plateau plan runs ${epochs} epochs and needs a metric for each epoch but the last (${Math.max(epochs - 1, 0)}); got ${metrics?.length ?? 0}`, null, ['metrics'])
    }
    const params = { ...created.params, metrics: metrics.slice(0, Math.max(epochs - 1, 0)), unit: 'epoch' as const, view: 'lr' as const, initialize: true }
    return {
      ...plan,
      schedule: perUpdateFold(plateauFold(params, groups, params.metrics), updatesPerEpoch),
      checkCost: (start, count) => plateau.checkCost!(params, 0, floorDiv(start + count - 1, updatesPerEpoch) + 1)
    }
  }
  const { scheduler, params } = created
  const unit = params.t_in_epochs ? 'epoch' : 'update'
  const request = { ...params, unit, view: 'lr', initialize: true } as any
  const inner = scheduler.create(request, groups) as ClosedSchedule
  const initial = constructorValues(groups, baseValuesOf(groups), params)
  return {
    ...plan,
    schedule: params.t_in_epochs ? perEpochPlan(inner, initial, updatesPerEpoch) : perUpdatePlan(inner, initial),
    // The noise of the steps the window reads: epochs (or updates) from 1, since step 0 is the constructor's.
    checkCost (start, count) {
      const [first, last] = params.t_in_epochs
        ? [floorDiv(start, updatesPerEpoch), floorDiv(start + count - 1, updatesPerEpoch)]
        : [start, start + count - 1]
      if (last >= Math.max(first, 1)) scheduler.checkCost!(request, Math.max(first, 1), last - Math.max(first, 1) + 1)
    }
  }
}

/** Update 0 holds the constructor's values; update `u` the values `step_update(u)` set. */
function perUpdatePlan (inner: ClosedSchedule, initial: readonly number[]): ClosedSchedule {
  const n = initial.length
  return {
    kind: 'closed',
    fill (from, to, out) {
      if (from === 0 && to > 0) out.set(initial, 0)
      const first = Math.max(from, 1)
      if (first < to) inner.fill(first, to, first === from ? out : out.subarray(n))
    }
  }
}

/**
 * Epoch 0's updates hold the constructor's values; epoch `e`'s the values `step(e)`
 * set. Each epoch is evaluated once and copied to its updates.
 */
function perEpochPlan (inner: ClosedSchedule, initial: readonly number[], updatesPerEpoch: number): ClosedSchedule {
  const n = initial.length
  return {
    kind: 'closed',
    fill (from, to, out) {
      const firstEpoch = floorDiv(from, updatesPerEpoch)
      const lastEpoch = floorDiv(to - 1, updatesPerEpoch)
      const epochs = new Float64Array((lastEpoch - firstEpoch + 1) * n)
      if (firstEpoch === 0) epochs.set(initial, 0)
      const computed = Math.max(firstEpoch, 1)
      if (computed <= lastEpoch) inner.fill(computed, lastEpoch + 1, epochs.subarray((computed - firstEpoch) * n))
      for (let u = from, i = 0; u < to; u++, i += n) {
        const e = floorDiv(u, updatesPerEpoch) - firstEpoch
        for (let g = 0; g < n; g++) out[i + g] = epochs[e * n + g]
      }
    }
  }
}

/** A per-epoch fold read per update: it steps at the end of each epoch's last update. */
function perUpdateFold<S> (perEpoch: FoldSchedule<S>, updatesPerEpoch: number): FoldSchedule<S> {
  return {
    kind: 'fold',
    initial: perEpoch.initial,
    advance (state, u) {
      if ((u + 1) % updatesPerEpoch === 0) perEpoch.advance(state, (u + 1) / updatesPerEpoch - 1)
    },
    read: perEpoch.read
  }
}

export interface TrainingPlan {
  numEpochs: number
  timmClass: string
  /** Per group, the LR that each optimizer update uses, in order. */
  perUpdate: Float64Array[]
}

/** The whole plan at once, a list per group (tests and small callers; the service pages it). */
export function trainingPlan (
  kwargs: SchedulerV2Kwargs,
  groups: readonly ParamGroup[],
  updatesPerEpoch: number,
  metrics: readonly number[] | null
): TrainingPlan {
  const plan = planSchedule(kwargs, groups, updatesPerEpoch, metrics)
  plan.checkCost(0, plan.totalUpdates)
  const values = scheduleValues(plan.schedule, groups.length, 0, plan.totalUpdates)
  return { numEpochs: plan.numEpochs, timmClass: plan.timmClass, perUpdate: byGroup(values, groups.length) }
}

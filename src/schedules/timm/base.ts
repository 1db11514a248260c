/**
 * timm's `Scheduler` base class, written once and wrapped around each of timm's
 * periodic schedulers (step, multistep, cosine, tanh, poly): what an optimizer's
 * param group holds after `step(t)` / `step_update(t)`, in three views.
 *
 * - `raw`: `_get_values(t)`, the scheduler's own formula (warmup included);
 * - `noisy`: `raw` after `_add_noise` (`v + v * noise` where `noise_range_t` says);
 * - `lr`: `noisy` times the group's `lr_scale` where it has one, as `update_groups`
 *   sets it; and where the scheduler does not step in the unit asked (`t_in_epochs`),
 *   the value the constructor left in the group.
 */
import { z } from 'zod'
import { type ClosedSchedule, defineScheduler, type Example, type ParamGroup, type Schedule } from '../core/define.js'
import { ScheduleError } from '../core/errors.js'
import { groupShape } from '../core/groups.js'
import { keywordArguments, pythonCall } from '../core/python.js'
import { checkNoiseBudget, NoiseSteps, noisyRun } from './noise.js'
import { checkNoise, type NoiseParams, type WarmupParams } from './params.js'
import { constructorValues } from './warmup.js'

/**
 * A schedule without noise: timm's `_get_lr(t)` for steps `from .. to - 1`, every
 * group's value of a step together, `out[offset + (t - from) * groups + g]`. A
 * scheduler fills a run of steps at once, so what is constant over the run (the
 * cycle, its decay, each group's amplitude) is computed once for it, not once a step.
 * Throws where `_get_lr(t)` raises, at the first such step.
 */
export type LrFill = (from: number, to: number, out: Float64Array, offset: number) => void

/** What the base class reads of every periodic scheduler's parameters. */
export type PeriodicParams = NoiseParams & WarmupParams & { t_in_epochs: boolean }

/** timm's param group: `lr`, a resumed optimizer's `initial_lr`, and `lr_scale`. */
export const timmGroupShape = {
  ...groupShape,
  lr_scale: z.number().optional()
    .describe('timm multiplies every value it sets in this group by lr_scale (layer-wise LR decay).')
}

export const unitSchema = z.enum(['epoch', 'update']).default('epoch')
  .describe('epoch: the values step(t) sets (get_epoch_values); update: the values step_update(t) sets (get_update_values).')

export const viewSchema = z.enum(['lr', 'noisy', 'raw']).default('lr')
  .describe("lr: what the param group holds (noise and lr_scale applied, the constructor's value where the schedule yields none); noisy: before lr_scale; raw: without noise, null where the schedule yields none.")

/** The fields every periodic timm request has besides the scheduler's parameters. */
export const rangeShape = { unit: unitSchema, view: viewSchema }

/** The base class's own constructor argument. */
export const initializeShape = {
  initialize: z.boolean().default(true)
    .describe("true: each group's initial_lr is set from its lr where missing (setdefault); false: every param group must carry initial_lr already (a resumed optimizer), as timm requires.")
}

/**
 * timm's `Scheduler.__init__` with `initialize=False`: every group must carry
 * `initial_lr` already, else timm raises KeyError naming the group.
 */
export function checkInitialized (initialize: boolean, groups: readonly ParamGroup[]): void {
  if (initialize) return
  groups.forEach((group, g) => {
    if (group.initial_lr === undefined) {
      throw new ScheduleError(`initialize is false, so every param group must carry initial_lr already, and param group ${g} does not (timm raises KeyError: initial_lr missing from param_groups[${g}])`, 'KeyError', ['param_groups', g, 'initial_lr'])
    }
  })
}

export type View = z.output<typeof viewSchema>
export type Unit = z.output<typeof unitSchema>

/** The base LR of each group: `initial_lr` where present (timm's `setdefault`), else `lr`. */
export function baseValuesOf (groups: readonly ParamGroup[]): number[] {
  return groups.map((group) => group.initial_lr ?? group.lr)
}

/** Whether a scheduler stepping per epoch (`t_in_epochs`) yields values in `unit`. */
export function yieldsIn (unit: Unit, tInEpochs: boolean): boolean {
  return (unit === 'epoch') === tInEpochs
}

/** A timm scheduler as its file writes it: the parameters and `_get_lr`. */
export interface TimmSchedulerSpec<Name extends string, Shape extends z.ZodRawShape> {
  name: Name
  /** timm's class, as `create_scheduler_v2` reports it. */
  className: string
  summary: string
  /** The constructor's arguments by timm's names (spreading the shared families of params.ts). */
  shape: Shape
  check?: (params: z.output<z.ZodObject<Shape>>, ctx: z.RefinementCtx) => void
  /**
   * `_get_lr` from validated parameters and the groups' base LRs. Throws
   * `ScheduleError` where timm's constructor raises (or, from the returned function,
   * where `_get_lr(t)` raises).
   */
  lrFill: (params: z.output<z.ZodObject<Shape>>, baseValues: readonly number[]) => LrFill
  /** timm's `get_cycle_length()`, where the class has one: the default count. */
  cycleLength?: (params: z.output<z.ZodObject<Shape>>) => number
  example: Example
}

/**
 * A timm scheduler definition: the spec's parameters plus `unit` and `view`, timm's
 * param groups, noise, `lr_scale` and units around its `_get_lr`.
 */
export function defineTimmScheduler<const Name extends string, Shape extends z.ZodRawShape> (spec: TimmSchedulerSpec<Name, Shape>) {
  const constructorShape = { ...spec.shape, ...initializeShape }
  const shape = { ...constructorShape, ...rangeShape }
  type Params = z.output<z.ZodObject<Shape>> & PeriodicParams & { unit: Unit, view: View, initialize: boolean }
  const { cycleLength } = spec
  return defineScheduler({
    name: spec.name,
    reference: { library: 'timm', name: spec.className, importLine: `from timm.scheduler import ${spec.className}` },
    summary: spec.summary,
    shape,
    groupShape: timmGroupShape,
    check (params, ctx) {
      checkNoise(params as unknown as NoiseParams, ctx)
      spec.check?.(params as z.output<z.ZodObject<Shape>>, ctx)
    },
    evaluation: 'closed',
    create: (params, groups) => timmSchedule(spec.lrFill, params as unknown as Params, groups),
    defaultCount: cycleLength === undefined ? undefined : (params) => cycleLength(params as z.output<z.ZodObject<Shape>>),
    checkCost (params, start, count) {
      const p = params as unknown as Params
      if (p.view !== 'raw' && yieldsIn(p.unit, p.t_in_epochs)) checkNoiseBudget(p, start, count)
    },
    warnings (params) {
      const p = params as unknown as Params
      if (yieldsIn(p.unit, p.t_in_epochs)) return []
      const stepsIn = p.t_in_epochs ? 'epoch' : 'update'
      return [`${spec.className} with t_in_epochs=${p.t_in_epochs ? 'True' : 'False'} steps per ${stepsIn} only; asked per ${p.unit}, it yields nothing: ` +
        (p.view === 'lr' ? "every value is the one the constructor set. Ask with unit=" + stepsIn + ' for the schedule.' : `every value is null. Ask with unit=${stepsIn} for the schedule.`)]
    },
    python: (params) => pythonCall(spec.className, ['optimizer'], keywordArguments(constructorShape, params as Record<string, unknown>)),
    example: spec.example
  })
}

/** Every group's constructor value at every step. */
function constant (values: readonly number[]): ClosedSchedule {
  const n = values.length
  return {
    kind: 'closed',
    fill (from, to, out) {
      for (let i = 0; i < (to - from) * n; i += n) {
        for (let g = 0; g < n; g++) out[i + g] = values[g]
      }
    }
  }
}

/**
 * The schedule a request asks for: timm's `_get_lr` in the unit it steps in, with
 * noise (views `noisy` and `lr`) and `lr_scale` (view `lr`); in the other unit,
 * nothing (`raw`, `noisy`) or the constructor's values (`lr`).
 *
 * A window is filled in three passes, each in step order, as timm's values are
 * composed: `_get_lr` for every step, then the noise where it applies, then
 * `lr_scale`. So where timm raises, the first step (and the first reason) is
 * timm's.
 */
export function timmSchedule<P extends PeriodicParams & { unit: Unit, view: View, initialize: boolean }> (
  lrFillOf: (params: P, baseValues: readonly number[]) => LrFill,
  params: P,
  groups: readonly ParamGroup[]
): Schedule {
  checkInitialized(params.initialize, groups)
  const baseValues = baseValuesOf(groups)
  const lrFill = lrFillOf(params, baseValues)
  if (!yieldsIn(params.unit, params.t_in_epochs)) {
    return params.view === 'lr' ? constant(constructorValues(groups, baseValues, params)) : { kind: 'empty' }
  }
  const n = groups.length
  const scales = groups.map((group) => params.view === 'lr' ? group.lr_scale : undefined)
  const scaled = scales.some((scale) => scale !== undefined)
  const noiseRange = params.view === 'raw' ? null : params.noise_range_t
  const noise = noiseRange === null ? null : new NoiseSteps(params)
  return {
    kind: 'closed',
    fill (from, to, out) {
      lrFill(from, to, out, 0)
      if (noise !== null) {
        const [first, last] = noisyRun(noiseRange, from, to)
        if (first < last) noise.apply(first, last, out, (first - from) * n, n)
      }
      if (scaled) {
        for (let g = 0; g < n; g++) {
          const scale = scales[g]
          if (scale === undefined) continue
          for (let i = g; i < (to - from) * n; i += n) out[i] = out[i] * scale
        }
      }
    }
  }
}

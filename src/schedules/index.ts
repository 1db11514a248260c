/**
 * The registry: every scheduler the service computes, by the name clients use.
 * A new scheduler is one file and one line here.
 */
import { z } from 'zod'
import { cosine } from './timm/cosine.js'
import { multistep } from './timm/multistep.js'
import { plateau } from './timm/plateau.js'
import { poly } from './timm/poly.js'
import type { PeriodicScheduler } from './timm/scheduler.js'
import { step } from './timm/step.js'
import { tanh } from './timm/tanh.js'

export const schedulerNames = ['step', 'multistep', 'cosine', 'tanh', 'poly', 'plateau'] as const
export type SchedulerName = typeof schedulerNames[number]
export type PeriodicSchedulerName = Exclude<SchedulerName, 'plateau'>

export const periodicSchedulers = {
  step,
  multistep,
  cosine,
  tanh,
  poly
} satisfies Record<PeriodicSchedulerName, PeriodicScheduler<any>>

export const schedulers = {
  ...periodicSchedulers,
  plateau
} satisfies Record<SchedulerName, { timmClass: string, summary: string }>

export { ScheduleError } from './core/errors.js'
export { evaluateSchedule, type ScheduleRange, type ParamGroup, type View, type Unit } from './timm/evaluate.js'
export { plateau, plateauSchedule, type PlateauParams } from './timm/plateau.js'
export type { PeriodicScheduler, PeriodicParams, LrAt } from './timm/scheduler.js'

/**
 * A scheduler's constructor arguments as one zod schema: unknown names refused (a
 * misspelt parameter must not silently fall back to its default), defaults filled,
 * cross-field rules checked.
 */
export function parametersSchema<Shape extends z.ZodRawShape> (scheduler: { shape: Shape, check: (params: any, ctx: z.RefinementCtx) => void }) {
  return z.strictObject(scheduler.shape).superRefine((params, ctx) => scheduler.check(params, ctx))
}

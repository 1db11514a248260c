/**
 * The one entry from a validated request to values: `computationOf` turns a
 * schedule or plan request into a `Computation` (the schedule, its window, its
 * cost and the fields its answer states), on the main thread to refuse it before
 * any work and in the worker threads to compute it. Requests travel to the workers
 * as the plain data that validation produced; nothing else is shared.
 */
import type { ParamGroup, Schedule } from '../schedules/core/define.js'
import { ScheduleError } from '../schedules/core/errors.js'
import { schedulerNamed } from '../schedules/index.js'
import { planSchedule, schedulerV2Kwargs, type TrainArgs } from '../schedules/timm/plan.js'

/** A validated `POST /v1/schedules` body (or GET query): the scheduler, its fields, the groups and the window. */
export interface ScheduleRequest {
  scheduler: string
  lr?: number | undefined
  param_groups?: ParamGroup[] | undefined
  start: number
  count?: number | undefined
  [field: string]: unknown
}

/** A validated `POST /v1/plans` body: train.py's arguments, the groups, the run's shape and the window. */
export type PlanRequest = TrainArgs & {
  lr?: number | undefined
  param_groups?: ParamGroup[] | undefined
  updates_per_epoch: number
  metrics?: number[] | undefined
  start_epoch?: number | undefined
  start?: number | undefined
  count?: number | undefined
  epoch_start?: number | undefined
  epoch_count?: number | undefined
}

/** What a worker is asked to compute: plain data. */
export type Job =
  | { kind: 'schedule', request: ScheduleRequest }
  | { kind: 'plan', request: PlanRequest }

export interface Computation {
  schedule: Schedule
  groups: number
  /** The window: steps (or updates) `start .. start + count - 1`. */
  start: number
  count: number
  /** The values computed to answer: the window's, and for a fold every step before it. */
  cost: number
  /** The fields an answer states before its values, in order. */
  head: Record<string, unknown>
  /** Work beyond the values that the window would take, refused before it starts (noise redraws). */
  checkCost: () => void
}

/** The groups a request stands for: its param_groups, or one group of `lr`. */
export function groupsOf (request: { lr?: number | undefined, param_groups?: ParamGroup[] | undefined }): ParamGroup[] {
  return request.param_groups ?? [{ lr: request.lr as number }]
}

/** The last step a window may reach: t stays an exact integer. */
export const LAST_STEP = Number.MAX_SAFE_INTEGER

function checkWindow (start: number, count: number, path: string): void {
  if (start + count - 1 > LAST_STEP) {
    throw new ScheduleError(`start + count - 1 = ${start + count - 1} is past ${LAST_STEP}, the last step that is an exact integer`, null, [path])
  }
}

export function computationOf (job: Job): Computation {
  return job.kind === 'schedule' ? scheduleComputation(job.request) : planComputation(job.request)
}

function scheduleComputation (request: ScheduleRequest): Computation {
  const definition = schedulerNamed(request.scheduler)
  if (definition === undefined) throw new ScheduleError(`there is no scheduler named ${request.scheduler}`, null, ['scheduler'])
  const groups = groupsOf(request)
  const start = request.start
  const count = request.count ?? (definition.stepCount !== undefined
    ? definition.stepCount(request) - start
    : definition.defaultCount!(request))
  checkWindow(start, count, request.count === undefined ? 'start' : 'count')
  const schedule = definition.create(request, groups)
  const warnings = definition.warnings?.(request) ?? []
  return {
    schedule,
    groups: groups.length,
    start,
    count,
    cost: (definition.evaluation === 'fold' ? start + count : count) * groups.length,
    head: {
      scheduler: request.scheduler,
      ...(typeof request.unit === 'string' ? { unit: request.unit } : {}),
      start,
      count,
      ...(warnings.length > 0 ? { warnings } : {})
    },
    checkCost: () => definition.checkCost?.(request, start, count)
  }
}

function planComputation (request: PlanRequest): Computation {
  const groups = groupsOf(request)
  const upe = request.updates_per_epoch
  const plan = planSchedule(schedulerV2Kwargs(request), groups, upe, request.metrics ?? null)
  const resumed = request.start_epoch ?? 0
  if (resumed > 0) checkResume(request, resumed, plan.numEpochs)
  const start = request.epoch_start !== undefined ? request.epoch_start * upe : request.start ?? resumed * upe
  const count = request.epoch_count !== undefined
    ? request.epoch_count * upe
    : request.count ?? Math.max(plan.totalUpdates - start, 0)
  const byEpoch = request.epoch_start !== undefined || request.epoch_count !== undefined
  if (start < resumed * upe) {
    throw new ScheduleError(`the run resumes at epoch ${resumed} (update ${resumed * upe}); update ${start} comes before it`, null, [byEpoch ? 'epoch_start' : 'start'])
  }
  if (start + count > plan.totalUpdates) {
    const path = byEpoch ? (request.epoch_count !== undefined ? 'epoch_count' : 'epoch_start') : (request.count !== undefined ? 'count' : 'start')
    throw new ScheduleError(`the run has ${plan.numEpochs} epochs × ${upe} updates = ${plan.totalUpdates} updates (0 to ${plan.totalUpdates - 1}); ` +
      `updates ${start} to ${start + count - 1} run past its end`, null, [path])
  }
  return {
    schedule: plan.schedule,
    groups: groups.length,
    start,
    count,
    cost: (plan.schedule.kind === 'fold' ? start + count : count) * groups.length,
    head: {
      num_epochs: plan.numEpochs,
      updates_per_epoch: upe,
      total_updates: plan.totalUpdates,
      scheduler_class: plan.timmClass,
      ...(resumed > 0 ? { start_epoch: resumed } : {}),
      start,
      count
    },
    checkCost: () => { if (count > 0) plan.checkCost(start, count) }
  }
}

/**
 * A resumed run: train.py steps a fresh scheduler to `start_epoch` before its loop,
 * which sets the same LRs the whole run has from there on, so the resumed run is the
 * tail of the whole one. But plateau is stepped without a metric there: past its
 * warmup, ReduceLROnPlateau raises TypeError.
 */
function checkResume (request: PlanRequest, startEpoch: number, numEpochs: number): void {
  if (startEpoch >= numEpochs) {
    throw new ScheduleError(`the run has ${numEpochs} epochs (0 to ${numEpochs - 1}); resumed at epoch ${startEpoch}, train.py runs none`, null, ['start_epoch'])
  }
  if (request.sched === 'plateau' && startEpoch > request.warmup_epochs) {
    throw new ScheduleError(`train.py resumes by calling the scheduler's step(${startEpoch}) without a metric, and past its warmup timm's plateau passes that None to ReduceLROnPlateau, which raises TypeError (float() argument must be a string or a real number, not 'NoneType')`, 'TypeError', ['start_epoch'])
  }
}

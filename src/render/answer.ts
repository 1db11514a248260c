/**
 * The answers the renderers read, as the HTTP layer builds them (SPEC §3). Structural
 * types only, so a plain JSON answer and one holding Float64Arrays both fit.
 */

/** One value per step; null where timm yields none in that unit. */
export type Values = ArrayLike<number | null>

/** `POST /v1/schedules` and `GET /v1/schedules/{scheduler}`. */
export interface ScheduleAnswer {
  scheduler: string
  unit: 'epoch' | 'update'
  start: number
  count: number
  /** Group 0's values. */
  lr: Values
  param_groups: ReadonlyArray<{ lr: Values }>
}

/** `POST /v1/plans`: the LR of every optimizer update, in order. */
export interface PlanAnswer {
  num_epochs: number
  updates_per_epoch: number
  scheduler_class: string
  lr: Values
  param_groups: ReadonlyArray<{ lr: Values }>
}

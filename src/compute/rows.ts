/**
 * A window's values, row-major (`out[(t - from) * groups + g]`), checked: a value
 * that is not a finite number is refused where it first happens, never answered as
 * a null. Folds resume from a checkpoint (the state at some step, plain data), so a
 * long fold answered in chunks runs once, not once per chunk.
 */
import type { Schedule } from '../schedules/core/define.js'
import { ScheduleError } from '../schedules/core/errors.js'

/** A fold's state at step `t` (after `t` calls of `step()`). */
export interface FoldCheckpoint {
  t: number
  state: unknown
}

/** A deadline passed: the work stops between two steps. */
export class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded'
}

/** How many fold steps run between two looks at the clock. */
const STEPS_BETWEEN_CLOCK_CHECKS = 4096

/**
 * Fills `out` with steps `from .. to - 1` and checks them. For a fold, starts from
 * `resume` when it is at or before `from` (else from step 0) and returns the state
 * at `to - 1`, from which the next window resumes. `deadline` (ms since the epoch)
 * stops a long fold between steps.
 */
export function computeRows (schedule: Schedule, groups: number, from: number, to: number, out: Float64Array, resume?: FoldCheckpoint, deadline = Infinity): FoldCheckpoint | undefined {
  switch (schedule.kind) {
    case 'empty':
      out.fill(NaN, 0, (to - from) * groups)
      return undefined
    case 'closed':
      schedule.fill(from, to, out)
      checkFinite(out, groups, from, to)
      return undefined
    case 'fold': {
      let t: number
      let state: unknown
      if (resume !== undefined && resume.t <= from) {
        t = resume.t
        state = resume.state
      } else {
        t = 0
        state = schedule.initial()
      }
      for (; t < from; t++) {
        if ((t & (STEPS_BETWEEN_CLOCK_CHECKS - 1)) === 0 && Date.now() > deadline) throw new DeadlineExceeded(`the deadline passed at step ${t}`)
        schedule.advance(state, t)
      }
      for (let i = 0; t < to; t++, i += groups) {
        if (t > from) schedule.advance(state, t - 1)
        schedule.read(state, out, i)
      }
      checkFinite(out, groups, from, to)
      return { t: to - 1, state }
    }
  }
}

function checkFinite (out: Float64Array, groups: number, from: number, to: number): void {
  const n = (to - from) * groups
  for (let i = 0; i < n; i++) {
    const value = out[i]
    // value - value is 0 for every finite number, NaN for ±Infinity and NaN.
    if (value - value !== 0) {
      const t = from + Math.floor(i / groups)
      const g = i % groups
      throw new ScheduleError(`the schedule reaches ${value} at t = ${t} (param group ${g}): no learning rate can be that`, Number.isNaN(value) ? null : 'OverflowError')
    }
  }
}

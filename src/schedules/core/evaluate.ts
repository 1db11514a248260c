/**
 * A schedule's values over a window, computed in one piece: the simple evaluator
 * that tests and small callers use. (The service computes in chunks, in worker
 * threads, with fold checkpoints: src/compute.)
 */
import type { Schedule } from './define.js'

/**
 * Steps `start .. start + count - 1` of `schedule`, row-major (`out[n * groups + g]`);
 * NaN everywhere for a schedule that yields nothing. A fold runs from step 0.
 */
export function scheduleValues (schedule: Schedule, groups: number, start: number, count: number): Float64Array {
  const out = new Float64Array(count * groups)
  switch (schedule.kind) {
    case 'empty':
      out.fill(NaN)
      break
    case 'closed':
      schedule.fill(start, start + count, out)
      break
    case 'fold': {
      const state = schedule.initial()
      for (let t = 0; t < start; t++) schedule.advance(state, t)
      for (let n = 0; n < count; n++) {
        if (n > 0) schedule.advance(state, start + n - 1)
        schedule.read(state, out, n * groups)
      }
      break
    }
  }
  return out
}

/** Row-major values as one array per group. */
export function byGroup (values: Float64Array, groups: number): Float64Array[] {
  const steps = values.length / groups
  return Array.from({ length: groups }, (_, g) => {
    const column = new Float64Array(steps)
    for (let n = 0; n < steps; n++) column[n] = values[n * groups + g]
    return column
  })
}

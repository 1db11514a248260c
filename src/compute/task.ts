/**
 * The work a worker thread does for one piece of an answer: compute a window of
 * rows and encode it in the answer's format. Tasks and results are plain data (a
 * refusal comes back as data too: an Error does not survive the trip between
 * threads with its class and fields).
 */
import { ScheduleError } from '../schedules/core/errors.js'
import { arrowRows } from '../render/arrow.js'
import { csvRows } from '../render/csv.js'
import { jsonRows } from '../render/json.js'
import { npyRows } from '../render/npy.js'
import { computationOf, type Job } from './computation.js'
import { computeRows, DeadlineExceeded, type FoldCheckpoint } from './rows.js'

/** How rows are encoded: a format's body, or the raw doubles (for an answer the main thread writes itself). */
export type Encoding = 'json' | 'csv' | 'npy' | 'arrow' | 'doubles'

export interface RowsTask {
  kind: 'rows'
  job: Job
  /** Rows `from .. to - 1`. */
  from: number
  to: number
  encoding: Encoding
  /** The first column's name (CSV, Arrow): `t`, or `update` for a plan. */
  stepColumn: string
  /** JSON: whether a comma goes before these rows. */
  continued: boolean
  /** A fold's state at or before `from`, to resume from. */
  resume?: FoldCheckpoint | undefined
  /** When to give up (ms since the epoch). */
  deadline: number
}

/**
 * Check a whole window without keeping it: compute steps `from .. to - 1` a chunk at
 * a time, so that a refusal at any step is known before the first byte is sent; a
 * fold records its state at each chunk's start on the way.
 */
export interface CheckTask {
  kind: 'check'
  job: Job
  from: number
  to: number
  chunkRows: number
  deadline: number
  /** A fold's state at or before `from`, to resume from. */
  resume?: FoldCheckpoint | undefined
  /**
   * Keep every chunk too, encoded as a rows task would (`continued`: whether a
   * comma goes before the first): for a window small enough to hold, so that it is
   * computed once instead of checked and then computed again.
   */
  keep?: { encoding: Encoding, stepColumn: string, continued: boolean } | undefined
}

export type TaskFailure =
  | { kind: 'refused', message: string, pythonError: string | null, path: Array<string | number> }
  | { kind: 'deadline', message: string }

export interface RowsResult {
  bytes?: Uint8Array
  /** A check task's fold states: the state before each chunk (at its start - 1), from the first chunk on (from the second when the window starts at 0). */
  checkpoints?: FoldCheckpoint[] | undefined
  /** A check task's chunks, encoded, when it was asked to keep them. */
  chunks?: Uint8Array[] | undefined
  /** A rows task's fold state at its last step, for a later window to resume from. */
  checkpoint?: FoldCheckpoint | undefined
  failure?: TaskFailure
  /** Milliseconds the worker spent on the task (set by the worker). */
  busyMs?: number
}

const encoder = new TextEncoder()

function encode (task: RowsTask, values: Float64Array, groups: number, rows: number): Uint8Array {
  switch (task.encoding) {
    case 'json': {
      const text = jsonRows(values, groups, rows)
      return encoder.encode(task.continued && rows > 0 ? ',' + text : text)
    }
    case 'csv':
      return encoder.encode(csvRows(values, groups, rows, task.from))
    case 'npy':
    case 'doubles':
      return npyRows(values, groups, rows)
    case 'arrow':
      return arrowRows(task.stepColumn, values, groups, rows, task.from)
  }
}

/** Runs a rows task; a refusal or a passed deadline is returned as a failure. */
export function runRowsTask (task: RowsTask): RowsResult {
  try {
    if (Date.now() > task.deadline) throw new DeadlineExceeded('the deadline passed before the work began')
    const { schedule, groups } = computationOf(task.job)
    const rows = task.to - task.from
    const values = new Float64Array(rows * groups)
    const resume = task.resume === undefined ? undefined : structuredClone(task.resume)
    const checkpoint = computeRows(schedule, groups, task.from, task.to, values, resume, task.deadline)
    return { bytes: encode(task, values, groups, rows), checkpoint }
  } catch (error) {
    return { failure: failureOf(error) }
  }
}

/** Runs a check task: every value of the window computed and checked, kept only when asked. */
export function runCheckTask (task: CheckTask): RowsResult {
  try {
    if (Date.now() > task.deadline) throw new DeadlineExceeded('the deadline passed before the work began')
    const { schedule, groups } = computationOf(task.job)
    const scratch = new Float64Array(task.chunkRows * groups)
    const checkpoints: FoldCheckpoint[] = []
    let state: FoldCheckpoint | undefined = task.resume === undefined ? undefined : structuredClone(task.resume)
    // A fold's state before the window too, so that its first chunk need not replay it.
    if (schedule.kind === 'fold' && task.from > 0) state = computeRows(schedule, groups, task.from - 1, task.from, scratch, state, task.deadline)
    const chunks: Uint8Array[] = []
    for (let from = task.from; from < task.to; from += task.chunkRows) {
      if (state !== undefined) checkpoints.push(structuredClone(state))
      const to = Math.min(from + task.chunkRows, task.to)
      state = computeRows(schedule, groups, from, to, scratch, state, task.deadline)
      if (task.keep !== undefined) {
        const { encoding, stepColumn, continued } = task.keep
        chunks.push(encode({ kind: 'rows', job: task.job, from, to, encoding, stepColumn, continued: continued || from > task.from, deadline: task.deadline }, scratch, groups, to - from))
      }
      if (Date.now() > task.deadline) throw new DeadlineExceeded(`the deadline passed while checking step ${from}`)
    }
    return { checkpoints: schedule.kind === 'fold' ? checkpoints : undefined, chunks: task.keep === undefined ? undefined : chunks }
  } catch (error) {
    return { failure: failureOf(error) }
  }
}

export function failureOf (error: unknown): TaskFailure {
  if (error instanceof ScheduleError) return { kind: 'refused', message: error.message, pythonError: error.pythonError, path: [...error.path] }
  if (error instanceof DeadlineExceeded) return { kind: 'deadline', message: error.message }
  throw error
}

/**
 * A worker thread of the compute pool (piscina): runs one task, and hands the
 * encoded bytes back without copying them.
 */
import { move, transferableSymbol, valueSymbol, workerData } from 'piscina'
import type { ChartTask } from './chart-task.js'
import { runChartTask } from './chart-task.js'
import { type CheckTask, type RowsResult, type RowsTask, runCheckTask, runRowsTask } from './task.js'

// Modules that register schedulers beyond the built-in ones, as the main thread
// imported them; loaded before the first task (not at the top level, which would
// make this module asynchronous for loaders that need it synchronous).
let ready: Promise<unknown> | undefined

export type Task = RowsTask | CheckTask | ChartTask

export default async function run (task: Task): Promise<unknown> {
  await (ready ??= Promise.all(((workerData?.modules ?? []) as string[]).map(async (url) => await import(url))))
  const started = performance.now()
  const result: RowsResult = task.kind === 'rows' ? runRowsTask(task) : task.kind === 'check' ? runCheckTask(task) : await runChartTask(task)
  result.busyMs = performance.now() - started
  const buffer = result.bytes?.buffer
  return buffer === undefined ? result : move({ [transferableSymbol]: buffer, [valueSymbol]: result } as never)
}

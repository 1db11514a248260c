/**
 * The compute pool: worker threads (piscina) that run the engine and the encoders,
 * so that the main thread only parses, validates, queues and streams. Its size is
 * `os.availableParallelism()` unless `WORKERS` says otherwise; `WORKERS=0` computes
 * on the main thread (for debugging only: a long request then holds up every other).
 */
import { availableParallelism } from 'node:os'
import { Piscina } from 'piscina'
import { runChartTask } from './chart-task.js'
import { runRowsTask, type RowsResult } from './task.js'
import type { Task } from './worker.js'

export interface PoolOptions {
  /** Worker threads; 0 computes on the main thread. */
  workers: number
  /** Tasks that may wait for a worker; past it, requests are shed (503). */
  maxQueue: number
  /** Modules the workers import first: schedulers registered outside the built-in list. */
  modules?: readonly string[]
}

/** The pool is full: the request is shed, to be retried later. */
export class PoolBusy extends Error {
  override readonly name = 'PoolBusy'
}

const workerFile = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url).href

export class ComputePool {
  private piscina: Piscina | undefined
  private busyMs = 0
  readonly workers: number
  readonly maxQueue: number

  constructor (private readonly options: PoolOptions) {
    this.workers = options.workers
    this.maxQueue = options.maxQueue
  }

  /** The pool's threads start with the first task, so an app that computes nothing starts none. */
  private get threads (): Piscina {
    this.piscina ??= new Piscina({
      filename: workerFile,
      minThreads: this.options.workers,
      maxThreads: this.options.workers,
      maxQueue: this.options.maxQueue,
      idleTimeout: Infinity,
      workerData: { modules: this.options.modules ?? [] }
    })
    return this.piscina
  }

  /** Tasks waiting for a worker. */
  get queued (): number {
    return this.piscina?.queueSize ?? 0
  }

  /** Whether one more request would wait beyond the bound. */
  get full (): boolean {
    return this.workers > 0 && this.queued >= this.maxQueue
  }

  /**
   * Milliseconds the workers have spent on tasks, by their own clocks (not counting a
   * task's wait in the queue); the main thread's, with no workers.
   */
  get busyTime (): number {
    return this.busyMs
  }

  async run (task: Task, signal?: AbortSignal): Promise<RowsResult> {
    if (this.workers === 0) {
      const started = performance.now()
      try {
        return task.kind === 'rows' ? runRowsTask(task) : await runChartTask(task)
      } finally {
        this.busyMs += performance.now() - started
      }
    }
    if (this.full) throw new PoolBusy(`${this.queued} tasks are waiting for ${this.workers} workers`)
    const result: RowsResult = await this.threads.run(task, { signal: signal ?? null })
    this.busyMs += result.busyMs ?? 0
    return result
  }

  async close (): Promise<void> {
    await this.piscina?.destroy()
    this.piscina = undefined
  }
}

/** `WORKERS` from the environment, else one a core. */
export function workersFromEnv (env: NodeJS.ProcessEnv = process.env): number {
  const text = env.WORKERS
  if (text === undefined || text === '') return availableParallelism()
  if (!/^\d+$/.test(text)) throw new Error(`WORKERS must be a whole number (0: compute on the main thread); got ${JSON.stringify(text)}`)
  return Number(text)
}

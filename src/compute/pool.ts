/**
 * The compute pool: worker threads (piscina) that run the engine and the encoders,
 * so that the main thread only parses, validates, queues and streams. Its size is
 * `os.availableParallelism()` unless `WORKERS` says otherwise; `WORKERS=0` computes
 * on the main thread (for debugging only: a long request then holds up every other).
 */
import { Piscina } from 'piscina'
import { runChartTask } from './chart-task.js'
import { runCheckTask, runRowsTask, type RowsResult } from './task.js'
import type { Task } from './worker.js'

export interface PoolOptions {
  /** Worker threads; 0 computes on the main thread. */
  workers: number
  /** Requests that may wait for a worker; past it, requests are shed (503). */
  maxQueue: number
  /** Modules the workers import first: schedulers registered outside the built-in list. */
  modules?: readonly string[]
}

/** The pool is full: the request is shed, to be retried later. */
export class PoolBusy extends Error {
  override readonly name = 'PoolBusy'
}

const fromSource = import.meta.url.endsWith('.ts')
const workerFile = new URL(fromSource ? './worker.ts' : './worker.js', import.meta.url).href

export class ComputePool {
  private piscina: Piscina | undefined
  private busyMs = 0
  private tasks = 0
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
      // Admission is bounded here (`full`); the tasks of admitted requests may queue beyond it.
      maxQueue: Infinity,
      idleTimeout: Infinity,
      // Run from the TypeScript sources (development, tests), a worker loads them with
      // tsx, whatever loader the main thread has: it compiles in milliseconds.
      ...(fromSource ? { execArgv: ['--import', 'tsx'] } : {}),
      workerData: { modules: this.options.modules ?? [] }
    })
    return this.piscina
  }

  /** Starts the worker threads now rather than with the first task (a server about to listen). */
  start (): void {
    if (this.workers > 0) void this.threads
  }

  /** Tasks waiting for a worker. */
  get queued (): number {
    return this.piscina?.queueSize ?? 0
  }

  /** Requests whose first task has not come back yet: those waiting for a worker, and those on one. */
  private starting = 0

  /** Whether one more request would wait beyond the bound: every worker busy and `maxQueue` requests waiting. */
  get full (): boolean {
    return this.workers > 0 && this.starting >= this.workers + this.maxQueue
  }

  /** Tasks run so far. */
  get taskCount (): number {
    return this.tasks
  }

  /**
   * Milliseconds the workers have spent on tasks, by their own clocks (not counting a
   * task's wait in the queue); the main thread's, with no workers.
   */
  get busyTime (): number {
    return this.busyMs
  }

  /**
   * Runs a task. A request's first task is refused when the queue is full (the
   * request is shed); `admitted` marks the later tasks of a request already under
   * way, which are never shed, so an answer begun is never cut for load.
   */
  async run (task: Task, options: { admitted?: boolean } = {}): Promise<RowsResult> {
    this.tasks++
    if (this.workers === 0) {
      const started = performance.now()
      try {
        return await runHere(task)
      } finally {
        this.busyMs += performance.now() - started
      }
    }
    let result: RowsResult
    if (options.admitted === true) {
      result = await this.threads.run(task)
    } else {
      if (this.full) throw new PoolBusy(`${this.starting - this.workers} requests are waiting for ${this.workers} busy workers`)
      this.starting++
      try {
        result = await this.threads.run(task)
      } finally {
        this.starting--
      }
    }
    this.busyMs += result.busyMs ?? 0
    return result
  }

  /**
   * Runs a task on the calling thread, counted as busy time: an answer too small to be
   * worth the trip to a worker.
   */
  async runHere (task: Task): Promise<RowsResult> {
    this.tasks++
    const started = performance.now()
    try {
      return await runHere(task)
    } finally {
      this.busyMs += performance.now() - started
    }
  }

  async close (): Promise<void> {
    await this.piscina?.destroy()
    this.piscina = undefined
  }
}

/** A task on the calling thread: with no workers, or for an answer too small to be worth a thread hop. */
export async function runHere (task: Task): Promise<RowsResult> {
  return task.kind === 'rows' ? runRowsTask(task) : task.kind === 'check' ? runCheckTask(task) : await runChartTask(task)
}

/**
 * A bounded cache of fold states, so that a schedule computed step by step (torch's
 * recursive schedulers, plateau) is not replayed from step 0 for every request: a
 * window starting at t resumes from the latest state kept at or before t. States are
 * keyed by the request without its window (the same scheduler, parameters, groups and
 * inputs), kept as the workers hand them back, and never changed once kept (a task
 * resumes from a copy).
 */
import type { Job } from './computation.js'
import type { FoldCheckpoint } from './rows.js'

/** A fold's identity: its request without the window. */
export function foldKey (job: Job): string {
  const { start: _start, count: _count, epoch_start: _epochStart, epoch_count: _epochCount, ...rest } = job.request as Record<string, unknown>
  return `${job.kind}\n${JSON.stringify(rest)}`
}

export class CheckpointCache {
  private readonly folds = new Map<string, FoldCheckpoint[]>()
  hits = 0

  constructor (readonly maxFolds = 256, readonly perFold = 64) {}

  /** The latest state kept at or before step `t`. */
  nearest (key: string, t: number): FoldCheckpoint | undefined {
    const states = this.folds.get(key)
    if (states === undefined) return undefined
    let best: FoldCheckpoint | undefined
    for (const state of states) if (state.t <= t && (best === undefined || state.t > best.t)) best = state
    if (best !== undefined) {
      this.hits++
      // Most recently used last.
      this.folds.delete(key)
      this.folds.set(key, states)
    }
    return best
  }

  add (key: string, states: readonly FoldCheckpoint[]): void {
    if (states.length === 0 || this.maxFolds === 0) return
    const kept = this.folds.get(key) ?? []
    for (const state of states) if (!kept.some((other) => other.t === state.t)) kept.push(state)
    kept.sort((a, b) => a.t - b.t)
    // Past the bound, every other state goes: the spacing doubles, the reach stays.
    while (kept.length > this.perFold) kept.splice(1, kept.length - 1, ...kept.slice(1).filter((_, i) => i % 2 === 1))
    this.folds.delete(key)
    this.folds.set(key, kept)
    for (const oldest of this.folds.keys()) {
      if (this.folds.size <= this.maxFolds) break
      this.folds.delete(oldest)
    }
  }
}

/**
 * The golden vectors computed by timm on PyTorch, read from `../shared/` beside the
 * repository at run time (they are not part of it).
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export interface FixtureGroup { lr: number, lr_scale?: number, initial_lr?: number }
type PerGroup = number[] | null

export interface ScheduleCase {
  id: string
  kind: 'schedule'
  scheduler: 'step' | 'multistep' | 'cosine' | 'tanh' | 'poly'
  kwargs: Record<string, unknown>
  param_groups: FixtureGroup[]
  call: 'step' | 'step_update'
  t_count: number
  expected: { error: string } | { initial: number[], raw: PerGroup[], noisy: PerGroup[], lr: PerGroup[] }
}

export interface PlateauCase {
  id: string
  kind: 'plateau'
  kwargs: Record<string, unknown>
  param_groups: FixtureGroup[]
  metrics: number[]
  expected: { error: string } | { initial: number[], lr: number[][] }
}

export interface TrainLoopCase {
  id: string
  kind: 'train_loop'
  create_scheduler_v2: Record<string, unknown>
  updates_per_epoch: number
  param_groups: FixtureGroup[]
  metrics: number[] | null
  expected: { error: string } | { num_epochs: number, scheduler_class: string, per_update: number[][] }
}

export type Case = ScheduleCase | PlateauCase | TrainLoopCase

export const fixturePath = fileURLToPath(new URL('../../shared/fixtures/timm.json', import.meta.url))

export const fixtures: { meta: Record<string, unknown>, cases: Case[] } = JSON.parse(readFileSync(fixturePath, 'utf8'))

export const scheduleCases = fixtures.cases.filter((c): c is ScheduleCase => c.kind === 'schedule')
export const plateauCases = fixtures.cases.filter((c): c is PlateauCase => c.kind === 'plateau')
export const trainLoopCases = fixtures.cases.filter((c): c is TrainLoopCase => c.kind === 'train_loop')

/** The distance from `a` to `b` in units in the last place of `b` (1 for neighbours). */
export function ulpDistance (a: number, b: number): number {
  const bits = (x: number) => new BigInt64Array(new Float64Array([x]).buffer)[0]
  // Doubles of one sign are ordered like their bit patterns read as integers.
  const ordered = (x: number) => { const i = bits(x); return i < 0n ? -(i & 0x7fffffffffffffffn) : i }
  const d = ordered(a) - ordered(b)
  return Number(d < 0n ? -d : d)
}

/**
 * Compares the engine's values with timm's: each must be the same double, except
 * the known differences (see schedules/known-differences.ts), where glibc's libm
 * call is 1 ulp from the engine's and the value at most MAX_CARRIED_ULPS. Counts the exact matches and keeps the worst unexplained difference.
 */
const MAX_CARRIED_ULPS = 4

export class Agreement {
  values = 0
  exact = 0
  listed = 0
  unexplained = 0
  maxRelativeError = 0
  worst = ''
  /** Listed values that turned out equal: the list has gone stale there. */
  readonly staleListings: string[] = []
  /**
   * Listed values further away than a 1-ulp difference in one libm call can carry
   * through timm's few operations after it (noise, lr_scale): 4 ulp.
   */
  readonly farListings: string[] = []

  constructor (private readonly knownDifferences: ReadonlySet<string> = new Set()) {}

  /** `key` is `id/view/t/group`, the form the known differences are listed in. */
  compare (actual: number, expected: number, key: string): void {
    this.values++
    const listed = this.knownDifferences.has(key)
    if (Object.is(actual, expected)) {
      this.exact++
      if (listed) this.staleListings.push(key)
      return
    }
    if (listed) {
      this.listed++
      if (ulpDistance(actual, expected) > MAX_CARRIED_ULPS) this.farListings.push(`${key}: ${actual} vs ${expected}`)
      return
    }
    this.unexplained++
    const error = expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected)
    if (!(error <= this.maxRelativeError)) {
      this.maxRelativeError = Number.isNaN(error) ? Infinity : error
      this.worst = `${key}: ${actual} vs timm's ${expected}`
    }
  }

  get summary (): string {
    const rate = this.values === 0 ? 1 : this.exact / this.values
    return `${this.exact}/${this.values} values bit-for-bit equal (${(rate * 100).toFixed(3)}%); ` +
      `${this.listed} known differences (${(this.listed / Math.max(this.values, 1) * 100).toFixed(4)}%, where glibc is not correctly rounded); ` +
      `${this.unexplained} other differences, largest relative error ${this.maxRelativeError.toExponential(3)}${this.worst ? ` at ${this.worst}` : ''}`
  }
}

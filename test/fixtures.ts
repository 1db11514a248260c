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

/**
 * Counts how many values are the same double as timm's, and the largest relative
 * error among the others.
 */
export class Agreement {
  values = 0
  exact = 0
  maxRelativeError = 0
  worst = ''

  compare (actual: number, expected: number, where: string): void {
    this.values++
    if (Object.is(actual, expected)) {
      this.exact++
      return
    }
    const error = expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected)
    if (!(error <= this.maxRelativeError)) {
      this.maxRelativeError = Number.isNaN(error) ? Infinity : error
      this.worst = `${where}: ${actual} vs timm's ${expected}`
    }
  }

  get summary (): string {
    const rate = this.values === 0 ? 1 : this.exact / this.values
    return `${this.exact}/${this.values} values bit-for-bit equal (${(rate * 100).toFixed(3)}%), largest relative error ${this.maxRelativeError.toExponential(3)}${this.worst ? ` at ${this.worst}` : ''}`
  }
}

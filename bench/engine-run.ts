/**
 * One run of the engine bench's measurements, printed as JSON. `engine.bench.ts`
 * runs it in child processes: with the engine's math (`times` and `ratios`), with
 * V8's Math.* in the engine's place (`times` only; see bench/baseline), and alone for
 * `memory`.
 *
 * Every schedule is computed as the service computes it: the request's fields parsed
 * by the scheduler's own shape, `definition.create(params, groups)`, then
 * `computeRows` a chunk of 65,536 steps at a time.
 */
import { z } from 'zod'
import { computeRows, type FoldCheckpoint } from '../src/compute/rows.js'
import { cos } from '../src/math/index.js'
import type { Schedule } from '../src/schedules/core/define.js'
import { schedulerNamed } from '../src/schedules/index.js'
import type { NoiseConfig } from '../src/schedules/timm/noise.js'
import { applySerialNoise } from './serial-noise.js'

export const VALUES = 1_000_000
const CHUNK = 65_536

interface Workload { scheduler: string, fields: Record<string, unknown> }

const perUpdate = { t_initial: VALUES, t_in_epochs: false, unit: 'update' }

export const workloads: Record<string, Workload> = {
  'cosine, 1M per update': { scheduler: 'cosine', fields: perUpdate },
  'cosine k_decay 1.5 + cycle_mul 2, 1M': { scheduler: 'cosine', fields: { t_initial: 100_000, cycle_mul: 2, cycle_limit: 4, k_decay: 1.5 } },
  'tanh, 1M': { scheduler: 'tanh', fields: { t_initial: VALUES } },
  'poly, 1M': { scheduler: 'poly', fields: { t_initial: VALUES, power: 0.9 } },
  'step, 1M': { scheduler: 'step', fields: { decay_t: 1000, decay_rate: 0.99 } },
  'multistep, 1M': { scheduler: 'multistep', fields: { decay_t: [300_000, 600_000, 900_000], decay_rate: 0.1 } },
  'cosine + normal noise, 1M': { scheduler: 'cosine', fields: { ...perUpdate, noise_range_t: 0 } },
  'cosine + uniform noise, 1M': { scheduler: 'cosine', fields: { ...perUpdate, noise_range_t: 0, noise_type: 'uniform' } },
  'plateau + normal noise, 1M epochs': { scheduler: 'plateau', fields: { metrics: Array.from({ length: VALUES - 1 }, (_, e) => 1 / (1 + e % 977)), mode: 'min', noise_range_t: 0 } }
}

function create (workload: Workload): { schedule: Schedule, params: any } {
  const definition = schedulerNamed(workload.scheduler)
  if (definition === undefined) throw new Error(`no scheduler ${workload.scheduler}`)
  const params = z.strictObject(definition.shape).parse(workload.fields)
  return { schedule: definition.create(params, [{ lr: 0.1 }]), params }
}

/**
 * Steps `0 .. VALUES - 1` of a one-group schedule, a chunk at a time, into `out`
 * (every value kept) or into one chunk reused; `after` runs on each chunk once
 * computed.
 */
function computeAll (schedule: Schedule, out?: Float64Array, after?: (from: number, to: number, chunk: Float64Array) => void): void {
  const scratch = out === undefined ? new Float64Array(CHUNK) : undefined
  let checkpoint: FoldCheckpoint | undefined
  for (let from = 0; from < VALUES; from += CHUNK) {
    const to = Math.min(VALUES, from + CHUNK)
    const chunk = out === undefined ? scratch!.subarray(0, to - from) : out.subarray(from, to)
    checkpoint = computeRows(schedule, 1, from, to, chunk, checkpoint)
    after?.(from, to, chunk)
  }
}

function ms (work: () => unknown): number {
  const start = process.hrtime.bigint()
  work()
  return Number(process.hrtime.bigint() - start) / 1e6
}

/** Milliseconds per workload, the best of `repeats` runs after one to warm up. */
export function runWorkloads (repeats = 5): Record<string, number> {
  const times: Record<string, number> = {}
  for (const [name, workload] of Object.entries(workloads)) {
    const { schedule } = create(workload)
    computeAll(schedule)
    let best = Infinity
    for (let i = 0; i < repeats; i++) best = Math.min(best, ms(() => computeAll(schedule)))
    times[name] = best
  }
  return times
}

/** `a` and `b` in turns, `rounds` times each after one warm-up of each: the best time of each. */
function alternate (rounds: number, a: () => unknown, b: () => unknown): [number, number] {
  a()
  b()
  let bestA = Infinity
  let bestB = Infinity
  for (let i = 0; i < rounds; i++) {
    bestA = Math.min(bestA, ms(a))
    bestB = Math.min(bestB, ms(b))
  }
  return [bestA, bestB]
}

function firstDifference (a: Float64Array, b: Float64Array): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i
  return -1
}

export interface Ratio { measure: string, ms: number, baseline: string, baselineMs: number }

/**
 * The two ratios, each side measured in turns in this one process:
 * - the 1M per-update cosine through the engine against a tight loop of the
 *   engine's own `cos` over the same angles, `Math.PI * t / t_initial`;
 * - the 1M per-update cosine with normal noise at every step through the engine
 *   against the same raw values with the serial noise loop from before the noise
 *   was seeded in blocks (bench/serial-noise.ts).
 * Each pair is first checked to give the same bits.
 */
export function runRatios (rounds = 7): Ratio[] {
  const cosine = create(workloads['cosine, 1M per update']).schedule
  const values = new Float64Array(VALUES)
  computeAll(cosine, values)
  const expected = new Float64Array(VALUES)
  for (let t = 0; t < VALUES; t++) expected[t] = 0 + 0.5 * (0.1 * 1 - 0) * (1 + cos(Math.PI * t / VALUES))
  const cosineAt = firstDifference(values, expected)
  if (cosineAt >= 0) throw new Error(`the engine's cosine differs from 0.05 * (1 + cos(pi t / T)) at t = ${cosineAt}`)
  const [engine, loop] = alternate(rounds, () => computeAll(cosine), () => {
    let sum = 0
    for (let t = 0; t < VALUES; t++) sum += cos(Math.PI * t / VALUES)
    return sum
  })

  const noisyWorkload = workloads['cosine + normal noise, 1M']
  const noisy = create(noisyWorkload).schedule
  const { schedule: raw, params } = create({ ...noisyWorkload, fields: { ...noisyWorkload.fields, view: 'raw' } })
  const config = params as NoiseConfig
  const serial = (out?: Float64Array): void => computeAll(raw, out, (from, to, chunk) => applySerialNoise(config, from, to, chunk, 1))
  const fromEngine = new Float64Array(VALUES)
  const fromSerial = new Float64Array(VALUES)
  computeAll(noisy, fromEngine)
  serial(fromSerial)
  const noisyAt = firstDifference(fromEngine, fromSerial)
  if (noisyAt >= 0) throw new Error(`the engine's noisy cosine differs from the serial loop's at t = ${noisyAt}: ${fromEngine[noisyAt]}, ${fromSerial[noisyAt]}`)
  const [batched, serialMs] = alternate(rounds, () => computeAll(noisy), () => serial())

  return [
    { measure: 'cosine, 1M per update, through the engine', ms: engine, baseline: "a tight loop of the engine's cos over the same angles", baselineMs: loop },
    { measure: 'cosine + normal noise at every step, 1M, through the engine', ms: batched, baseline: 'the same with the serial reseeding loop (bench/serial-noise.ts)', baselineMs: serialMs }
  ]
}

/**
 * What a 1,000,000-value noisy cosine takes beyond its output, computed a chunk at a
 * time into one 8 MB answer: right after the computation (garbage included) and
 * after a collection (what stays). Run with --expose-gc. The schedule is made (and
 * the code warmed up, and the SIMD generators' 64 KiB page made, once per thread)
 * before the measurement.
 */
export function memoryBeyondOutput (): { outputMB: number, retainedMB: number, peakMB: number } {
  const workload = workloads['cosine + normal noise, 1M']
  computeAll(create(workload).schedule)
  const { schedule } = create(workload)
  const gc = globalThis.gc ?? (() => {})
  const used = (): number => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers }
  gc()
  gc()
  const before = used()
  const out = new Float64Array(VALUES)
  computeAll(schedule, out)
  const peak = used()
  gc()
  const after = used()
  const output = out.byteLength
  return { outputMB: output / 1e6, retainedMB: (after - before - output) / 1e6, peakMB: (peak - before - output) / 1e6 }
}

if (process.argv[1]?.endsWith('engine-run.ts')) {
  const mode = process.argv[2] ?? 'times'
  const result = mode === 'memory'
    ? memoryBeyondOutput()
    : mode === 'ratios' ? runRatios() : runWorkloads()
  console.log(JSON.stringify(result))
}

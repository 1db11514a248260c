/**
 * The engine fills a window in runs (a cycle, a decay interval, a block of noise
 * generators at a time); here, for every timm scheduler, a window cut into random
 * chunks equals the same steps evaluated one at a time, with the noise drawn
 * serially (noiseAt, a generator seeded per step), bit for bit, errors included.
 */
import t from 'tap'
import fc from 'fast-check'
import { computeRows } from '../../../src/compute/rows.js'
import type { ClosedSchedule, ParamGroup, Schedule } from '../../../src/schedules/core/define.js'
import { schedulerNamed } from '../../../src/schedules/index.js'
import { isNoiseApplied, noiseAt } from '../../../src/schedules/timm/noise.js'
import { paramsOf } from '../run.js'

const noise = fc.oneof(
  fc.constant({}),
  fc.record({
    noise_range_t: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.double({ min: 0, max: 50, noNaN: true }),
      fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 30, max: 300 }))),
    noise_type: fc.constantFrom('normal', 'uniform'),
    noise_pct: fc.constantFrom(0.67, 0.05, 0.3, 1.5),
    noise_seed: fc.oneof(fc.integer(), fc.constantFrom(2 ** 32 - 3, -5, 2 ** 53 - 100, -(2 ** 53) + 3))
  })
)
const warmup = fc.oneof(fc.constant({}), fc.record({
  warmup_t: fc.integer({ min: 0, max: 20 }),
  warmup_lr_init: fc.constantFrom(0, 1e-4, 0.2),
  warmup_prefix: fc.boolean()
}))
const range = fc.record({ t_in_epochs: fc.boolean(), unit: fc.constantFrom('epoch', 'update'), view: fc.constantFrom('lr', 'noisy', 'raw') })
const cycles = fc.record({
  t_initial: fc.oneof(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 100_000 })),
  lr_min: fc.constantFrom(0, 1e-5, 0.01),
  cycle_mul: fc.constantFrom(1, 1, 2, 1.5, 0.5, 0.9, 1.1, 3.7, 1 + 2 ** -40),
  cycle_decay: fc.constantFrom(1, 0.5, 0.9, 2),
  cycle_limit: fc.integer({ min: 0, max: 6 })
})
const kDecay = fc.record({ k_decay: fc.constantFrom(1, 1, 0.5, 2, 1.5) })
const groups = fc.array(fc.record({
  lr: fc.constantFrom(0.1, 1, 0.05),
  lr_scale: fc.option(fc.constantFrom(0.5, 2), { nil: undefined })
}), { minLength: 1, maxLength: 3 })

const periodic: Record<string, fc.Arbitrary<object[]>> = {
  cosine: fc.tuple(cycles, kDecay, warmup, noise, range),
  tanh: fc.tuple(cycles, warmup, noise, range, fc.record({ lb: fc.constantFrom(-7, -3), ub: fc.constantFrom(3, 5) })),
  poly: fc.tuple(cycles, kDecay, warmup, noise, range, fc.record({ power: fc.constantFrom(0.5, 0.9, 2) })),
  step: fc.tuple(fc.record({ decay_t: fc.constantFrom(1, 2.4, 5, 7, 0.3, 30), decay_rate: fc.constantFrom(0.1, 0.9, 1, 3) }), warmup, noise, range),
  multistep: fc.tuple(fc.record({
    decay_t: fc.array(fc.constantFrom(1, 3, 5.5, 10, 30, 31, 100), { minLength: 1, maxLength: 5 }).map((a) => a.sort((x, y) => x - y)),
    decay_rate: fc.constantFrom(0.1, 0.5, 1, 3)
  }), warmup, noise, range)
}

/** Chunk sizes adding up to `count`. */
const chunksOf = (count: number) => fc.array(fc.integer({ min: 1, max: 70 }), { minLength: 1, maxLength: 20 }).map((sizes) => {
  const chunks: number[] = []
  let left = count
  for (let i = 0; left > 0; i++) {
    const size = Math.min(left, sizes[i % sizes.length])
    chunks.push(size)
    left -= size
  }
  return chunks
})

type Outcome = number[] | string

function attempt (work: (values: number[]) => void): Outcome {
  const values: number[] = []
  try {
    work(values)
  } catch (error) {
    return String(error)
  }
  return values
}

function fillOf (schedule: Schedule): ClosedSchedule['fill'] | null {
  return schedule.kind === 'closed' ? schedule.fill : null
}

/** The window in chunks, each filled at once. */
function windowed (schedule: Schedule, n: number, start: number, chunks: number[]): Outcome {
  const fill = fillOf(schedule)
  return attempt((values) => {
    let from = start
    for (const size of chunks) {
      const out = new Float64Array(size * n)
      if (fill === null) out.fill(Number.NaN)
      else fill(from, from + size, out)
      values.push(...out)
      from += size
    }
  })
}

/**
 * The same chunks step by step: each step's raw value alone (the raw view, filled one
 * step at a time), then the noise where it applies, drawn serially, then lr_scale,
 * in timm's order (every raw value of a chunk, then its noise).
 */
function stepByStep (name: string, fields: Record<string, unknown>, gs: ParamGroup[], start: number, chunks: number[]): Outcome {
  const definition = schedulerNamed(name)!
  const params = paramsOf(definition, fields, gs.length)
  const n = gs.length
  const same = definition.create(params, gs)
  const yields = (params.unit === 'epoch') === params.t_in_epochs
  const raw = fillOf(definition.create({ ...params, view: 'raw' }, gs))
  return attempt((values) => {
    let from = start
    for (const size of chunks) {
      const rows: Float64Array[] = []
      for (let t = from; t < from + size; t++) {
        const row = new Float64Array(n)
        if (!yields || raw === null) {
          const fill = fillOf(same)
          if (fill === null) row.fill(Number.NaN)
          else fill(t, t + 1, row)
        } else raw(t, t + 1, row)
        rows.push(row)
      }
      if (yields && params.view !== 'raw') {
        rows.forEach((row, i) => {
          const t = from + i
          if (!isNoiseApplied(params.noise_range_t, t)) return
          const noise = noiseAt(params, t)
          for (let g = 0; g < n; g++) row[g] = row[g] + row[g] * noise
        })
      }
      if (yields && params.view === 'lr') {
        for (const row of rows) gs.forEach((group, g) => { if (group.lr_scale !== undefined) row[g] = row[g] * group.lr_scale })
      }
      for (const row of rows) values.push(...row)
      from += size
    }
  })
}

const sameOutcome = (a: Outcome, b: Outcome): boolean =>
  typeof a === 'string' || typeof b === 'string' ? a === b : a.length === b.length && a.every((v, i) => Object.is(v, b[i]))

for (const [name, arbitrary] of Object.entries(periodic)) {
  t.test(`${name}: a window in random chunks equals step-by-step evaluation with serial noise, bit for bit`, async t => {
    let values = 0
    let errors = 0
    fc.assert(fc.property(
      arbitrary, groups,
      fc.oneof(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 1e9 })),
      fc.integer({ min: 1, max: 200 }).chain((count) => chunksOf(count)),
      (parts, gs, start, chunks) => {
        const fields = Object.assign({}, ...parts) as Record<string, unknown>
        let schedule: Schedule
        try {
          schedule = schedulerNamed(name)!.create(paramsOf(schedulerNamed(name)!, fields, gs.length), gs)
        } catch {
          return true // refused by the constructor: nothing to fill
        }
        const a = windowed(schedule, gs.length, start, chunks)
        const b = stepByStep(name, fields, gs, start, chunks)
        if (typeof a === 'string') errors++
        else values += a.length
        return sameOutcome(a, b)
      }
    ), { numRuns: 400 })
    t.comment(`${values} values, ${errors} windows refused alike`)
    t.pass()
  })
}

t.test('plateau: noisy epochs are the noise-free fold times 1 + noiseAt, in windows resumed from checkpoints', async t => {
  const plateau = schedulerNamed('plateau')!
  fc.assert(fc.property(
    fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 150 }),
    noise.filter((fields) => 'noise_range_t' in fields),
    fc.record({ mode: fc.constantFrom('min', 'max'), patience_t: fc.integer({ min: 0, max: 3 }), warmup_t: fc.integer({ min: 0, max: 5 }), warmup_lr_init: fc.constantFrom(0, 0.01) }),
    groups, fc.integer({ min: 1, max: 40 }),
    (metrics, noiseFields, rest, gs, chunk) => {
      const fields = { ...rest, metrics }
      const n = gs.length
      const steps = metrics.length + 1
      const run = (f: Record<string, unknown>): Float64Array => {
        const schedule = plateau.create(paramsOf(plateau, f, n), gs)
        const out = new Float64Array(steps * n)
        let checkpoint
        for (let from = 0; from < steps; from += chunk) {
          const to = Math.min(steps, from + chunk)
          const window = new Float64Array((to - from) * n)
          checkpoint = computeRows(schedule, n, from, to, window, checkpoint)
          out.set(window, from * n)
        }
        return out
      }
      const noisy = run({ ...fields, ...noiseFields })
      const clean = run(fields)
      const params = paramsOf(plateau, { ...fields, ...noiseFields }, n)
      for (let e = 0; e < steps; e++) {
        const applies = e > params.warmup_t && isNoiseApplied(params.noise_range_t, e)
        const factor = applies ? noiseAt(params, e) : 0
        for (let g = 0; g < n; g++) {
          const v = clean[e * n + g]
          if (!Object.is(noisy[e * n + g], applies ? v + v * factor : v)) return false
        }
      }
      return true
    }
  ), { numRuns: 200 })
  t.pass()
})

import t from 'tap'
import fc from 'fast-check'
import { type FirstOutputs, scalarFirstOutputs } from '../../../src/noise/mt19937-lanes.js'
import { simdFirstOutputs } from '../../../src/noise/mt19937-simd.js'
import { firstOutputsEngines, isNoiseApplied, NoiseSteps, noiseAt, noisyRun, type NoiseConfig } from '../../../src/schedules/timm/noise.js'
import { ScheduleError } from '../../../src/schedules/core/errors.js'

const engines: Array<[string, FirstOutputs]> = [['scalar', scalarFirstOutputs()]]
const simd = simdFirstOutputs()
if (simd !== null) engines.push(['simd', simd])

const config = (noise_type: 'normal' | 'uniform', noise_pct: number, noise_seed: number): NoiseConfig =>
  ({ noise_range_t: 0, noise_type, noise_pct, noise_seed })

// Seeds where noise_seed + t wraps: negative, near 2^32, near 2^53 and 2^63 (torchSeed32).
const seeds = [42, 0, -1, -8, -1000, 2 ** 32 - 5, 2 ** 32 + 3, 2 ** 31 - 2, 2 ** 53 - 20, -(2 ** 53) + 5, 12345]
// Normal noise from the default to the floor (125 draws a step), and a limit no sample misses.
const pcts = [0.67, 1, 0.3, 0.05, 0.01, 5]

/** What the serial path gives for steps from .. to - 1, or the error it throws first. */
function serial (c: NoiseConfig, from: number, to: number): number[] | string {
  const values: number[] = []
  try {
    for (let t = from; t < to; t++) values.push(noiseAt(c, t))
  } catch (error) {
    return String(error)
  }
  return values
}

/** The same through NoiseSteps.apply, on rows of one value 1 (so a row holds 1 + noise). */
function applied (steps: NoiseSteps, from: number, to: number): number[] | string {
  const out = new Float64Array(to - from).fill(1)
  try {
    steps.apply(from, to, out, 0, 1)
  } catch (error) {
    return String(error)
  }
  return Array.from(out)
}

t.test('the default engines are the SIMD ones', async t => {
  t.equal(firstOutputsEngines().lanes, 32)
})

for (const [name, e] of engines) {
  t.test(`${name}: NoiseSteps.at equals noiseAt at every step, normal and uniform, over many seeds`, async t => {
    let steps = 0
    for (const seed of seeds) {
      for (const [type, pct] of [...pcts.map((p) => ['normal', p] as const), ['uniform', 0.67] as const, ['uniform', 0.01] as const]) {
        const c = config(type, pct, seed)
        const noise = new NoiseSteps(c, e)
        const count = pct === 0.01 && type === 'normal' ? 150 : 600
        for (let t0 = 0; t0 < count; t0++) {
          const expected = noiseAt(c, t0)
          if (!Object.is(noise.at(t0), expected)) t.fail(`${type} ${pct}, seed ${seed}, t ${t0}: ${noise.at(t0)} != ${expected}`)
          steps++
        }
      }
    }
    t.comment(`${steps} steps`)
    t.pass()
  })

  t.test(`${name}: apply over random windows equals noiseAt, as v + v * noise`, async t => {
    fc.assert(fc.property(
      fc.constantFrom(...seeds), fc.constantFrom('normal' as const, 'uniform' as const), fc.constantFrom(...pcts),
      fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 2 ** 40 })), fc.integer({ min: 1, max: 100 }),
      (seed, type, pct, from, length) => {
        const c = config(type, pct, seed)
        const expected = serial(c, from, from + length)
        const got = applied(new NoiseSteps(c, e), from, from + length)
        if (typeof expected === 'string') return got === expected
        return typeof got !== 'string' && got.every((v, i) => Object.is(v, 1 + 1 * expected[i]))
      }
    ), { numRuns: 300 })
    t.pass()
  })

  t.test(`${name}: random access (the plateau's) equals noiseAt`, async t => {
    const c = config('normal', 0.67, 7)
    const noise = new NoiseSteps(c, e)
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 50 }), (ts) =>
      ts.every((t0) => Object.is(noise.at(t0), noiseAt(c, t0)))), { numRuns: 100 })
    t.pass()
  })

  t.test(`${name}: a noise_pct nothing passes throws noiseAt's error at the first step, not before`, async t => {
    for (const pct of [0, -1, Number.NaN, 1e-12]) {
      const c = config('normal', pct, 42)
      const expected = serial(c, 10, 20)
      t.type(expected, 'string')
      t.equal(applied(new NoiseSteps(c, e), 10, 20), expected, `noise_pct ${pct}`)
      t.throws(() => new NoiseSteps(c, e).at(3), ScheduleError)
    }
  })
}

t.test('noisyRun: the steps where isNoiseApplied holds, as one run', async t => {
  fc.assert(fc.property(
    fc.oneof(
      fc.constant(null),
      fc.double({ min: -10, max: 60, noNaN: true }),
      fc.tuple(fc.double({ min: -10, max: 60, noNaN: true }), fc.double({ min: -10, max: 60, noNaN: true })),
      fc.tuple(fc.integer({ min: 0, max: 50 }), fc.constant(Infinity))
    ),
    fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 30 }),
    (range, from, length) => {
      const [first, last] = noisyRun(range, from, from + length)
      for (let t0 = from; t0 < from + length; t0++) {
        if (isNoiseApplied(range, t0) !== (t0 >= first && t0 < last)) return false
      }
      return true
    }
  ), { numRuns: 2000 })
  t.pass()
})

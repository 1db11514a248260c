import t from 'tap'
import { MAX_NOISE_DRAWS, MIN_NORMAL_NOISE_PCT, isNoiseApplied, noiseAt, type NoiseConfig } from '../../../src/schedules/timm/noise.js'
import { TorchGenerator } from '../../../src/noise/torch-random.js'
import { ScheduleError } from '../../../src/schedules/core/errors.js'

const normal = (noise_pct: number, noise_seed: number): NoiseConfig =>
  ({ noise_range_t: 0, noise_type: 'normal', noise_pct, noise_seed })
const uniform = (noise_pct: number, noise_seed: number): NoiseConfig =>
  ({ noise_range_t: 0, noise_type: 'uniform', noise_pct, noise_seed })

t.test('isNoiseApplied: a number is the first noisy step', async t => {
  t.equal(isNoiseApplied(10, 9), false)
  t.equal(isNoiseApplied(10, 10), true)
  t.equal(isNoiseApplied(10, 1e6), true)
  t.equal(isNoiseApplied(0, 0), true)
  t.equal(isNoiseApplied(2.5, 2), false)
  t.equal(isNoiseApplied(2.5, 3), true)
})

t.test('isNoiseApplied: a pair is [lo, hi)', async t => {
  t.equal(isNoiseApplied([5, 8], 4), false)
  t.equal(isNoiseApplied([5, 8], 5), true, 'lo is inclusive')
  t.equal(isNoiseApplied([5, 8], 7), true)
  t.equal(isNoiseApplied([5, 8], 8), false, 'hi is exclusive')
  t.equal(isNoiseApplied([5, 5], 5), false, 'an empty range')
})

t.test('isNoiseApplied: no range, no noise', async t => {
  t.equal(isNoiseApplied(null, 0), false)
  t.equal(isNoiseApplied(undefined, 100), false)
})

t.test('normal noise: the first randn of a generator seeded with noise_seed + t', async t => {
  // |0.3367| < 0.67: accepted at once.
  t.equal(noiseAt(normal(0.67, 42), 0), 0.33669036626815796)
  t.equal(noiseAt(normal(0.67, 40), 2), 0.33669036626815796, 'seeded with the sum')
  t.equal(noiseAt(normal(0.67, 0), 42), 0.33669036626815796)
})

t.test('normal noise: a rejected first draw gives way to the cached sine sample', async t => {
  // Seed 32: randn gives 0.86510592699050903, then the cached 0.028435822576284409.
  const g = new TorchGenerator(32)
  const first = g.randn()
  const second = g.randn()
  t.equal(first, 0.86510592699050903)
  t.equal(second, 0.028435822576284409)
  t.ok(Math.abs(first) >= 0.05, 'the first draw is outside ±0.05')
  t.equal(noiseAt(normal(0.05, 30), 2), second)
  t.equal(noiseAt(normal(0.05, -8), 40), second, 'a negative seed wraps')
  t.equal(noiseAt(normal(1, 30), 2), first, 'a wider pct accepts the first draw')
})

t.test('normal noise: two rejections, then the next Box–Muller pair', async t => {
  // Seed 17: -1.41351318359375 and 0.23363074660301208 (its sine), then 0.034033183008432388.
  t.equal(noiseAt(normal(0.05, 17), 0), 0.034033183008432388)
  // Seed 56: both samples of the first pair rejected, the cosine of the second accepted.
  t.equal(noiseAt(normal(0.05, 56), 0), -0.038886900991201401)
})

t.test('uniform noise: 2 * (rand - 0.5) * noise_pct', async t => {
  // Seed 42: rand = 0.8822692632675171.
  t.equal(noiseAt(uniform(0.67, 42), 0), 0.5122408127784729)
  t.equal(noiseAt(uniform(0.67, 42), 0), 2 * (0.8822692632675171 - 0.5) * 0.67)
  // Seed 0: rand = 0.49625658988952637.
  t.equal(noiseAt(uniform(0.3, 0), 0), -0.0022460460662841798)
  t.equal(noiseAt(uniform(0.3, -1), 1), -0.0022460460662841798)
})

t.test('noise is a pure function of (config, t)', async t => {
  const config = normal(0.1, 12345)
  const first = Array.from({ length: 50 }, (_, i) => noiseAt(config, i))
  noiseAt(uniform(0.5, 3), 7) // interleaved calls share the generator
  const again = Array.from({ length: 50 }, (_, i) => noiseAt(config, 49 - i)).reverse()
  t.same(again, first)
  t.ok(first.every(x => Math.abs(x) < 0.1))
})

t.test('never hangs: MAX_NOISE_DRAWS rejected draws throw a ScheduleError', async t => {
  t.equal(MIN_NORMAL_NOISE_PCT, 0.01)
  t.equal(MAX_NOISE_DRAWS, 100_000)
  for (const pct of [1e-12, 0, -1, Number.NaN]) {
    let caught: unknown
    try {
      noiseAt(normal(pct, 42), 0)
    } catch (err) {
      caught = err
    }
    t.ok(caught instanceof ScheduleError, `noise_pct ${pct}: a ScheduleError`)
    if (!(caught instanceof ScheduleError)) continue
    t.equal(caught.pythonError, 'RuntimeError')
    t.same(caught.path, ['noise_pct'])
    t.match(caught.message, `in ${MAX_NOISE_DRAWS} draws`)
  }
  // The floor itself stays well within the limit.
  const config = normal(MIN_NORMAL_NOISE_PCT, 42)
  const noises = Array.from({ length: 200 }, (_, step) => noiseAt(config, step))
  t.ok(noises.every(x => Math.abs(x) < MIN_NORMAL_NOISE_PCT))
})

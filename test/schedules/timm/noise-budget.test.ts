/**
 * The noise work budget: a request whose normal noise would need too many redraws is
 * refused before the first draw, with a sentence naming noise_pct.
 */
import t from 'tap'
import { checkNoiseBudget, expectedDrawsPerStep, MAX_EXPECTED_NOISE_DRAWS, noisyStepCount } from '../../../src/schedules/timm/noise.js'
import { ScheduleError } from '../../../src/schedules/core/errors.js'

t.test('expected draws per step follow P(|N(0,1)| < noise_pct)', async (t) => {
  // P(|Z| < 0.67) = 0.4971..., P(|Z| < 0.05) = 0.03988..., P(|Z| < 0.01) = 0.007979...
  t.ok(Math.abs(expectedDrawsPerStep({ noise_type: 'normal', noise_pct: 0.67 }) - 1 / 0.49714) < 1e-3)
  t.ok(Math.abs(expectedDrawsPerStep({ noise_type: 'normal', noise_pct: 0.05 }) - 1 / 0.039878) < 1e-2)
  t.ok(Math.abs(expectedDrawsPerStep({ noise_type: 'normal', noise_pct: 0.01 }) - 1 / 0.0079788) < 0.1)
  t.equal(expectedDrawsPerStep({ noise_type: 'uniform', noise_pct: 0.001 }), 1, 'uniform noise draws once')
  t.equal(expectedDrawsPerStep({ noise_type: 'normal', noise_pct: 0 }), Infinity)
})

t.test('noisy steps in a range', async (t) => {
  t.equal(noisyStepCount(null, 0, 100), 0)
  t.equal(noisyStepCount(10, 0, 100), 90, 't >= 10')
  t.equal(noisyStepCount(10.5, 0, 100), 89, 't >= 10.5 starts at 11')
  t.equal(noisyStepCount([10, 40], 0, 100), 30, '10 <= t < 40')
  t.equal(noisyStepCount([10, 40.2], 0, 100), 31, 't < 40.2 includes 40')
  t.equal(noisyStepCount([10, 40], 50, 100), 0, 'a window past the range')
  t.equal(noisyStepCount([10, 40], 20, 5), 5, 'a window inside the range')
})

t.test('a request over the budget is refused at noise_pct', async (t) => {
  const config = { noise_range_t: 0, noise_type: 'normal' as const, noise_pct: 0.01, noise_seed: 42 }
  t.doesNotThrow(() => checkNoiseBudget(config, 0, 100_000), '100,000 steps at 0.01: about 12.5M draws')
  try {
    checkNoiseBudget(config, 0, 1_000_000)
    t.fail('1,000,000 steps at 0.01 should be refused')
  } catch (error) {
    t.ok(error instanceof ScheduleError)
    t.same((error as ScheduleError).path, ['noise_pct'])
    t.match((error as ScheduleError).message, /1000000 noisy steps at noise_pct 0.01 would take about 125,/)
    t.match((error as ScheduleError).message, new RegExp(MAX_EXPECTED_NOISE_DRAWS.toLocaleString('en-US')))
  }
  t.doesNotThrow(() => checkNoiseBudget({ ...config, noise_pct: 0.67 }, 0, 1_000_000), 'the default noise_pct fits 1,000,000 steps')
})

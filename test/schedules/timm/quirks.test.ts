/**
 * timm's quirks, each reproduced on purpose. The expected values are what timm's own
 * Python expressions give (CPython on glibc).
 */
import t from 'tap'
import { cosine } from '../../../src/schedules/timm/cosine.js'
import { cycleLength } from '../../../src/schedules/timm/cycles.js'
import { ScheduleError } from '../../../src/schedules/index.js'
import { plateau } from '../../../src/schedules/timm/plateau.js'
import type { AnySchedulerDefinition } from '../../../src/schedules/core/define.js'
import { paramsOf, run } from '../run.js'
import { multistep } from '../../../src/schedules/timm/multistep.js'
import { step } from '../../../src/schedules/timm/step.js'
import { tanh } from '../../../src/schedules/timm/tanh.js'

function values (scheduler: AnySchedulerDefinition, kwargs: Record<string, unknown>, count: number, groups = [{ lr: 0.1 }], view: 'raw' | 'lr' = 'raw') {
  return run(scheduler, { ...kwargs, view }, groups, 0, count)[0]
}

t.test('tanh without warmup_prefix warms toward its value at warmup_t, not the base LR', async (t) => {
  const lrs = values(tanh, { t_initial: 10, warmup_t: 3, warmup_lr_init: 0.001 }, 5)
  t.same(lrs, [0.001, 0.033988821662317786, 0.06697764332463557, 0.09996646498695336, 0.09975273768433653])
  const cosineLrs = values(cosine, { t_initial: 10, warmup_t: 3, warmup_lr_init: 0.001 }, 2)
  t.equal(cosineLrs[1], 0.001 + (0.1 - 0.001) / 3, 'cosine warms toward the base LR')
})

t.test('plateau keeps warming up while epoch <= warmup_t', async (t) => {
  const lrs = run(plateau, { warmup_t: 2, warmup_lr_init: 0, metrics: [1, 1, 1] }, [{ lr: 0.3 }], 0, 4)[0]
  t.same(lrs, [0, 0.15, 0.3, 0.3], 'epoch 2 is still warmup: 0 + 2 * 0.15')
})

t.test('multistep counts milestone m from t = m - 1', async (t) => {
  t.same(values(multistep, { decay_t: [3, 6], decay_rate: 0.1 }, 8),
    [0.1, 0.1, 0.010000000000000002, 0.010000000000000002, 0.010000000000000002, 0.0010000000000000002, 0.0010000000000000002, 0.0010000000000000002])
})

t.test('step with a fractional decay_t decays by Python floor division', async (t) => {
  t.same(values(step, { decay_t: 2.4, decay_rate: 0.5 }, 13),
    [0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125, 0.0125, 0.00625, 0.00625, 0.003125])
})

t.test('step and multistep default to warmup_prefix=true; cosine to false', async (t) => {
  t.same(values(step, { decay_t: 2, decay_rate: 0.5, warmup_t: 2, warmup_lr_init: 0 }, 5), [0, 0.05, 0.1, 0.1, 0.05], 'decay counted from the end of warmup')
  t.same(values(cosine, { t_initial: 4, warmup_t: 2, warmup_lr_init: 0 }, 4).slice(2), [0.05, 0.014644660940672627],
    'the cosine runs under the warmup: t = 2 is halfway down')
})

t.test('cosine restarts with cycle_mul 2 and cycle_decay 0.5', async (t) => {
  const lrs = values(cosine, { t_initial: 10, cycle_mul: 2, cycle_decay: 0.5, cycle_limit: 4 }, 71)
  const expected: Record<number, number> = { 0: 0.1, 9: 0.0024471741852423235, 10: 0.05, 29: 0.00030779148512155856, 30: 0.025, 35: 0.024048494156391084, 69: 3.853332833590045e-05, 70: 0.0125 }
  for (const [step, value] of Object.entries(expected)) t.equal(lrs[Number(step)], value, `t = ${step}`)
})

t.test('cycle_mul < 1 beyond the last cycle is timm\'s ValueError, with a sentence', async (t) => {
  // With t_initial 10 and cycle_mul 0.5 the cycles add up to 20 steps at most.
  t.equal(values(cosine, { t_initial: 10, cycle_mul: 0.5, cycle_limit: 5 }, 19).length, 19)
  try {
    values(cosine, { t_initial: 10, cycle_mul: 0.5, cycle_limit: 5 }, 21)
    t.fail('should raise')
  } catch (error) {
    t.ok(error instanceof ScheduleError)
    t.equal((error as ScheduleError).pythonError, 'ValueError')
    t.match((error as ScheduleError).message, /step 20 lies beyond it/)
  }
})

t.test('get_cycle_length', async (t) => {
  const base = { lr_min: 0, cycle_decay: 1, warmup_t: 0, warmup_lr_init: 0, warmup_prefix: false }
  t.equal(cycleLength({ ...base, t_initial: 10, cycle_mul: 1, cycle_limit: 3 }), 30)
  t.equal(cycleLength({ ...base, t_initial: 10, cycle_mul: 0.5, cycle_limit: 3 }), 17, 'floor(-10 * (0.5^3 - 1) / 0.5)')
  t.equal(cycleLength({ ...base, t_initial: 10, cycle_mul: 1.5, cycle_limit: 3 }), 47, 'floor(47.5)')
  t.equal(cycleLength({ ...base, t_initial: 10, cycle_mul: 1, cycle_limit: 0 }), 10, 'at least one cycle')
  t.equal(cycleLength({ ...base, t_initial: 10, cycle_mul: 1, cycle_limit: 1, warmup_t: 5, warmup_prefix: true }), 15, 'a warmup prefix adds to it')
})

t.test('lr_scale multiplies what the group holds, not the raw schedule', async (t) => {
  const groups = [{ lr: 0.1, lr_scale: 0.5 }]
  t.same(values(step, { decay_t: 10 }, 1, groups, 'raw'), [0.1])
  t.same(values(step, { decay_t: 10 }, 1, groups, 'lr'), [0.05])
})

t.test('an initial_lr outranks lr, as timm\'s setdefault makes it', async (t) => {
  t.same(values(step, { decay_t: 10 }, 1, [{ lr: 0.5, initial_lr: 0.1 }] as any), [0.1])
})

t.test('a schedule that overflows is refused, not answered with Infinity', async (t) => {
  t.throws(() => values(step, { decay_t: 1, decay_rate: 10 }, 400), ScheduleError)
})

t.test('plateau refuses a factor of 1 or more, as ReduceLROnPlateau does', async (t) => {
  t.throws(() => run(plateau, { decay_rate: 1, metrics: [1] }, [{ lr: 0.1 }], 0, 2), /Factor should be < 1.0/)
})

t.test('normal noise below the floor of noise_pct is refused at validation', async (t) => {
  t.throws(() => paramsOf(step, { decay_t: 10, noise_range_t: 0, noise_pct: 0.001 }), /noise_pct must be at least 0.01/)
  t.doesNotThrow(() => paramsOf(step, { decay_t: 10, noise_range_t: 0, noise_pct: 0.001, noise_type: 'uniform' }), 'uniform noise never loops')
})

t.test('unknown parameters are refused rather than ignored', async (t) => {
  t.throws(() => paramsOf(step, { decay_t: 10, decay_rat: 0.5 }), /decay_rat/)
})

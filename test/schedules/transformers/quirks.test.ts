/**
 * transformers' quirks, each reproduced on purpose and checked against the golden
 * vector that shows it (the fixture case named in each test and in the source's
 * one-line comment).
 */
import t from 'tap'
import { z } from 'zod'
import type { AnySchedulerDefinition, ParamGroup } from '../../../src/schedules/core/define.js'
import { ScheduleError } from '../../../src/schedules/core/errors.js'
import { scheduleValues } from '../../../src/schedules/core/evaluate.js'
import { transformersScheduler } from './fixtures.js'
import { fixtures, type TransformersCase } from './fixtures.js'

function fixture (id: string): TransformersCase & { expected: { lr: number[][] } } {
  const c = fixtures.cases.find((candidate) => candidate.id === id)
  if (c === undefined || !('lr' in c.expected)) throw new Error(`no values for ${id}`)
  return c as TransformersCase & { expected: { lr: number[][] } }
}

/** Steps `start .. start + count - 1` of a type, one array of group values per step. */
function run (type: string, fields: Record<string, unknown>, groups: ParamGroup[], count: number, start = 0): number[][] {
  const definition: AnySchedulerDefinition = transformersScheduler(type)
  const params = z.strictObject(definition.shape).parse(fields)
  const values = scheduleValues(definition.create(params, groups), groups.length, start, count)
  return Array.from({ length: count }, (_, n) => Array.from(values.subarray(n * groups.length, (n + 1) * groups.length)))
}

function pythonError (work: () => unknown): string | null {
  try {
    work()
    return null
  } catch (error) {
    if (error instanceof ScheduleError) return error.pythonError
    throw error
  }
}

t.test('polynomial scales by optimizer.defaults["lr"], the first group\'s LR, not by each group\'s', async (t) => {
  const c = fixture('polynomial-1-155-edge')
  t.same(c.param_groups, [{ lr: 0.001 }, { lr: 0.01 }])
  const values = run('polynomial', c.kwargs, c.param_groups, c.steps)
  t.same(values[100], [0.0005, 0.005], 'after num_training_steps the second group holds 10 x lr_end')
  t.same(values[100], c.expected.lr[100])
})

t.test('cosine_with_min_lr divides min_lr by the first group\'s LR', async (t) => {
  const c = fixture('cosine_with_min_lr-1-27-normal')
  t.same(c.param_groups, [{ lr: 4e-5 }, { lr: 4e-6 }])
  const values = run('cosine_with_min_lr', c.kwargs, c.param_groups, c.steps)
  t.same(values[200], [1e-7, 9.999999999999999e-9], 'min_lr 1e-7 is the floor of the first group only; the second ends at a tenth of it')
  t.same(values[200], c.expected.lr[200])
})

t.test('cosine_warmup_with_min_lr is one step ahead of cosine_with_min_lr', async (t) => {
  const c = fixture('tutorial-cosine_warmup_with_min_lr')
  t.same(c.kwargs, { num_warmup_steps: 100, num_training_steps: 1000, min_lr_rate: 0.1 })
  const ahead = run('cosine_with_min_lr', c.kwargs, c.param_groups, c.steps, 1)
  t.same(ahead, c.expected.lr, 'value t is cosine_with_min_lr\'s value t + 1, bit for bit, warmup and decay')
  t.equal(c.expected.lr[0][0], 5.000000000000001e-7, 'step 0 is already 1 / num_warmup_steps of the LR')
  t.equal(c.expected.lr[99][0], 5e-5, 'the top is reached at num_warmup_steps - 1')
  t.same(run('cosine_warmup_with_min_lr', c.kwargs, c.param_groups, c.steps), c.expected.lr)
})

t.test('cosine is the min-LR lambda with min_lr_rate 0.0, and climbs back past num_training_steps', async (t) => {
  const c = fixture('tutorial-cosine')
  const values = run('cosine', c.kwargs, c.param_groups, c.steps)
  t.same(values, c.expected.lr)
  t.same(run('cosine_with_min_lr', { ...c.kwargs, min_lr_rate: 0 }, c.param_groups, c.steps), values, 'the same bits as cosine_with_min_lr at min_lr_rate 0')
  t.equal(values[1000][0], 0, '0 at num_training_steps')
  t.equal(values[1009][0], 1.233599085671e-8, 'and rising after it: nothing clamps progress at 1')
})

t.test('constant ignores num_warmup_steps and num_training_steps', async (t) => {
  const c = fixture('constant-1-31-edge')
  t.same(c.kwargs, { num_warmup_steps: 10, num_training_steps: 37 })
  const values = run('constant', c.kwargs, c.param_groups, c.steps)
  t.ok(values.every((row) => row.every((lr, g) => lr === c.param_groups[g].lr)), 'the base LR at every step, no warmup')
  t.same(values, c.expected.lr)
  t.same(transformersScheduler('constant').warnings!({ num_warmup_steps: 10, num_training_steps: 37 }), [
    "get_scheduler('constant') ignores num_warmup_steps and num_training_steps: the LR stays at the base LR"
  ])
})

t.test('constant_with_warmup ignores num_training_steps', async (t) => {
  const c = fixture('constant_with_warmup-1-214-normal')
  t.equal(c.kwargs.num_training_steps, 441)
  const values = run('constant_with_warmup', c.kwargs, c.param_groups, c.steps)
  t.same(values[462], [3e-5, 1e-3], 'still the base LR past num_training_steps')
  t.same(values, c.expected.lr)
})

t.test('inverse_sqrt ignores timescale: get_scheduler passes num_warmup_steps alone', async (t) => {
  const c = fixture('inverse_sqrt-1-26-edge')
  t.equal(c.kwargs.timescale, 7)
  const values = run('inverse_sqrt', c.kwargs, c.param_groups, c.steps)
  const { timescale: _ignored, ...withoutTimescale } = c.kwargs
  t.same(values, run('inverse_sqrt', withoutTimescale, c.param_groups, c.steps), 'the same values as without timescale')
  t.same(values, c.expected.lr)
  t.equal(values[51][0], 8e-5 * (1.0 / Math.sqrt(51 / 50)), 'the timescale is num_warmup_steps = 50')
  t.same(transformersScheduler('inverse_sqrt').warnings!({ num_warmup_steps: 50, timescale: 7 }), [
    "get_scheduler('inverse_sqrt') ignores timescale: it passes num_warmup_steps alone, so the timescale is 50"
  ])
})

t.test('reduce_lr_on_plateau ignores num_warmup_steps', async (t) => {
  const c = fixture('reduce_lr_on_plateau-1-65-normal')
  t.equal(c.kwargs.num_warmup_steps, 50)
  const values = run('reduce_lr_on_plateau', { ...c.kwargs, metrics: c.metrics }, c.param_groups, c.steps)
  t.same(values[0], [4e-5], 'the base LR at step 0: no warmup')
  t.same(values, c.expected.lr)
})

t.test('polynomial with num_warmup_steps == num_training_steps divides by zero at that step', async (t) => {
  const c = fixture('polynomial-1-87-normal')
  t.same(c.expected, { ...c.expected, error: 'ZeroDivisionError', at_step: 300 })
  t.same(run('polynomial', c.kwargs, c.param_groups, 300), c.expected.lr, 'every step before it')
  t.equal(pythonError(() => run('polynomial', c.kwargs, c.param_groups, 1, 300)), 'ZeroDivisionError', 'step 300: (300 - 300) / 0')
  t.same(run('polynomial', c.kwargs, c.param_groups, 1, 301)[0], [1e-7 / 5e-6 * 5e-6, 1e-7 / 5e-6 * 5e-5, 1e-7 / 5e-6 * 5e-5], 'after it, lr_end / lr_init again')
})

t.test('warmup_stable_decay with a negative stable phase starts its decay mid-curve', async (t) => {
  const c = fixture('warmup_stable_decay-1-127-edge')
  t.same(c.kwargs, { num_warmup_steps: 25, num_training_steps: 50, num_decay_steps: 50, warmup_type: '1-sqrt', decay_type: '1-sqrt' })
  const values = run('warmup_stable_decay', c.kwargs, c.param_groups, c.steps)
  t.equal(values[25][0], 0.0002 * (1 - Math.sqrt(0.5)), 'step 25, right after warmup: the decay is halfway (stable phase 50 - 25 - 50 = -25)')
  t.same(values, c.expected.lr)
})

t.test('constant_schedule is no SchedulerType: transformers\' ValueError', async (t) => {
  const c = fixtures.cases.find((candidate) => candidate.id === 'constant-1-158-error')!
  t.equal(c.scheduler, 'constant_schedule')
  t.same(c.expected, { error: 'ValueError', at_step: null })
  t.throws(() => transformersScheduler('constant_schedule'), {
    pythonError: 'ValueError',
    message: "constant_schedule is not a valid SchedulerType, please select one of ['linear', 'cosine', 'cosine_with_restarts', 'polynomial', 'constant', 'constant_with_warmup', 'inverse_sqrt', 'reduce_lr_on_plateau', 'cosine_with_min_lr', 'cosine_warmup_with_min_lr', 'warmup_stable_decay']"
  })
})

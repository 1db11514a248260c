/**
 * torch's behaviours that a reader of its documentation would not expect, each
 * reproduced on purpose (a one-line comment in the source says why) and checked
 * against the golden case that shows it.
 */
import t from 'tap'
import { pow } from '../../../src/math/index.js'
import { ScheduleError } from '../../../src/schedules/core/errors.js'
import { oneCycleLR } from '../../../src/schedules/torch/one-cycle-lr.js'
import { engineRows, goldenCase, values } from './helpers.js'

function pythonError (run: () => unknown): string | null {
  try {
    run()
  } catch (error) {
    if (error instanceof ScheduleError) return error.pythonError
    throw error
  }
  return 'none'
}

t.test('a recursion is folded, not replaced by the documented closed form', async (t) => {
  // ExponentialLR-1-17-long: lr * 0.9995 at every step, 29482 steps.
  const c = goldenCase('ExponentialLR-1-17-long')
  const rows = engineRows(c)
  const closedForm = (step: number) => 0.0003 * pow(0.9995, step)
  const differ = rows.filter((row, step) => row[0] !== closedForm(step)).length
  t.same(rows, c.expected.lr, 'the fold gives every golden value')
  t.ok(differ > 29000, `the closed form differs from torch in ${differ} of ${rows.length} steps`)
})

t.test('ConstantLR undoes its factor as lr * (1.0 / factor), which need not give base_lr back', async (t) => {
  const c = goldenCase('ConstantLR-1-49-normal')
  const rows = engineRows(c)
  t.equal(rows[40][2], 5.000000000000001e-6, 'the group of 5e-06 comes back one ulp off at total_iters')
  t.same(rows[40], c.expected.lr[40])
})

t.test('ConstantLR with a fractional total_iters never undoes its factor', async (t) => {
  const c = goldenCase('ConstantLR-1-116-edge')
  const rows = engineRows(c)
  t.same(rows, c.expected.lr)
  t.ok(rows.every((row) => row[0] === rows[0][0]), 'last_epoch == 2.5 never holds')
})

t.test('StepLR with a negative step_size decays like its absolute value', async (t) => {
  const c = goldenCase('StepLR-1-51-edge')
  const rows = engineRows(c)
  t.same(rows, c.expected.lr)
  t.same(rows.slice(0, 7).map((row) => row[0]), [0.4, 0.4, 0.4, 0.2, 0.2, 0.2, 0.1], 'step_size -3: a decay every 3 steps')
})

t.test("CyclicLR's constructor step reads the groups' initial_lr as base_lrs", async (t) => {
  // base_lr 1e-4, but the resumed group's initial_lr 2e-5 gives the value at construction.
  const c = goldenCase('CyclicLR-1-36-resume')
  const rows = engineRows(c)
  t.same(rows, c.expected.lr)
  const scale = (1 + 6 / 4000 - 1) / 0.5
  t.equal(rows[0][0], 2e-5 + (0.006 - 2e-5) * scale, 'from initial_lr at step 0')
  t.not(rows[0][0], 1e-4 + (0.006 - 1e-4) * scale, 'not from base_lr')
  const again = engineRows(goldenCase('CyclicLR-1-37-resume'))
  t.equal(again[0][0], 0.024981000000000003, 'CyclicLR-1-37-resume: near the group\'s initial_lr 0.025, far above max_lr 0.006')
})

t.test('CyclicLR takes scale_mode from mode, whatever is passed', async (t) => {
  // triangular2 with scale_mode iterations would scale by 1 / 2 ** (t - 1): nothing left at t = 2000.
  const c = goldenCase('CyclicLR-1-50-normal')
  const rows = engineRows(c)
  t.same(rows, c.expected.lr)
  t.equal(rows[2000][0], 0.01, 'the first peak reaches max_lr: scaled per cycle')
  t.same(engineRows(goldenCase('CyclicLR-1-244-normal')), goldenCase('CyclicLR-1-244-normal').expected.lr)
})

t.test("OneCycleLR overwrites the groups' initial_lr, and SequentialLR resets the LR to it", async (t) => {
  // ConstantLR(0.25) then OneCycleLR(max_lr 0.1): groups of 0.01 and 0.02 both start at 0.1 / 25 * 0.25.
  const c = goldenCase('SequentialLR-1-215-edge')
  const rows = engineRows(c)
  t.same(rows, c.expected.lr)
  t.same(rows[0], [0.001, 0.001], 'both groups start from OneCycleLR\'s initial_lr, not their own LR')
  t.same(rows[10], [0.0040000000000000036, 0.0040000000000000036], 'OneCycleLR takes over at its step 0')
})

t.test('SequentialLR bisects the milestones as given, sorted or not', async (t) => {
  // milestones [25, 10]: bisect_right jumps from the first scheduler to the third at 10.
  const c = goldenCase('SequentialLR-1-72-edge')
  const rows = engineRows(c)
  t.same(rows, c.expected.lr)
  t.equal(rows[10][0], 1, "StepLR's closed form at 0 at t = 10: ExponentialLR never runs")
  t.equal(rows[20][0], 0.1, "StepLR's own step 10")
})

t.test('SequentialLR hands over by the next scheduler\'s closed form at 0, from base_lr', async (t) => {
  const tutorial = goldenCase('tutorial-SequentialLR')
  const rows = engineRows(tutorial)
  t.same(rows, tutorial.expected.lr)
  t.equal(rows[19][0], 0.005000000000000001, 'ConstantLR(0.1) until 20')
  t.equal(rows[20][0], 0.05, 'ExponentialLR starts at base_lr * 0.9 ** 0')
  // SequentialLR-1-251-edge: CyclicLR has no closed form, so its get_lr() at 0 gives base_lr.
  const cyclic = goldenCase('SequentialLR-1-251-edge')
  const cyclicRows = engineRows(cyclic)
  t.same(cyclicRows, cyclic.expected.lr)
  t.equal(cyclicRows[10][0], 0.0001, "CyclicLR's base_lr at the milestone")
})

t.test('a resumed SequentialLR shifts its milestones, while its schedulers start afresh', async (t) => {
  // last_epoch 29: the milestone 100 comes at t = 70, and ConstantLR starts from initial_lr.
  const c = goldenCase('SequentialLR-1-12-resume')
  const rows = engineRows(c)
  t.same(rows, c.expected.lr)
  t.same([rows[0][0], rows[69][0], rows[70][0]], [0.0003, 0.0003, 0.0006])
})

t.test('a ChainedScheduler cannot take over at a SequentialLR milestone: NotImplementedError', async (t) => {
  const c = goldenCase('SequentialLR-1-132-edge')
  t.equal(c.expected.at_step, 10)
  t.same(engineRows(c, 10), c.expected.lr, 'the values before the milestone')
  t.equal(pythonError(() => engineRows(c, 11)), 'NotImplementedError', 'torch calls get_lr() on the ChainedScheduler at 10')
})

t.test('a ChainedScheduler step of a scheduler that is not chainable overwrites the ones before it', async (t) => {
  // LinearLR then OneCycleLR: every value is OneCycleLR's alone.
  const c = goldenCase('ChainedScheduler-1-6-edge')
  t.same(engineRows(c), c.expected.lr)
  const alone = values(oneCycleLR, { max_lr: 0.1, total_steps: 23 }, c.param_groups, c.steps)
  t.same(alone[0], c.expected.lr.map((row) => row[0]), 'OneCycleLR on its own gives the same values')
})

t.test('a resumed OneCycleLR needs group keys that only its own start sets: KeyError', async (t) => {
  for (const id of ['OneCycleLR-1-1-resume', 'OneCycleLR-1-205-resume', 'OneCycleLR-1-236-resume', 'OneCycleLR-1-247-resume']) {
    const c = goldenCase(id)
    t.equal(c.expected.error, 'KeyError')
    t.equal(pythonError(() => engineRows(c, 1)), 'KeyError', `${id}: groups with initial_lr but no max_lr`)
  }
})

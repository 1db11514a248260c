/**
 * timm's train.py loop around create_scheduler_v2, against the golden `train_loop`
 * vectors, and the train.py argument names and defaults.
 */
import t from 'tap'
import { z } from 'zod'
import { checkTrainArgs, schedulerV2Kwargs, trainArgsShape, trainingPlan, type SchedulerV2Kwargs } from '../../../src/schedules/timm/plan.js'
import { ScheduleError } from '../../../src/schedules/index.js'
import { Agreement, trainLoopCases } from '../../fixtures.js'

t.test('train_loop cases', async (t) => {
  t.ok(trainLoopCases.length >= 40, 'the fixtures hold the train-loop cases')
  const agreement = new Agreement()
  for (const c of trainLoopCases) {
    const kwargs = c.create_scheduler_v2 as unknown as SchedulerV2Kwargs
    if ('error' in c.expected) {
      let raised: string | null = 'none'
      try {
        trainingPlan(kwargs, c.param_groups, c.updates_per_epoch, c.metrics)
      } catch (error) {
        if (!(error instanceof ScheduleError)) throw error
        raised = error.pythonError
      }
      t.equal(raised, c.expected.error, `${c.id}: timm raises ${c.expected.error}`)
      continue
    }
    const plan = trainingPlan(kwargs, c.param_groups, c.updates_per_epoch, c.metrics)
    t.equal(plan.numEpochs, c.expected.num_epochs, `${c.id}: num_epochs`)
    t.equal(plan.timmClass, c.expected.scheduler_class, `${c.id}: scheduler class`)
    t.equal(plan.perUpdate[0].length, c.expected.per_update.length, `${c.id}: one value per update`)
    c.expected.per_update.forEach((row, u) => row.forEach((value, g) => agreement.compare(plan.perUpdate[g][u], value, `${c.id}/per_update/${u}/${g}`)))
  }
  t.comment(agreement.summary)
  t.equal(agreement.exact, agreement.values, `every per-update value bit for bit${agreement.worst ? `; worst: ${agreement.worst}` : ''}`)
})

t.test('train.py names and defaults', async (t) => {
  const args = z.strictObject(trainArgsShape).superRefine(checkTrainArgs).parse({})
  const kwargs = schedulerV2Kwargs(args)
  t.match(kwargs, {
    sched: 'cosine', num_epochs: 300, decay_epochs: 90, decay_milestones: [90, 180, 270], warmup_epochs: 5,
    warmup_lr: 1e-5, min_lr: 0, cooldown_epochs: 0, patience_epochs: 10, decay_rate: 0.1, noise: null,
    noise_pct: 0.67, noise_std: 1, noise_seed: 42, cycle_mul: 1, cycle_decay: 0.5, cycle_limit: 1, k_decay: 1,
    warmup_prefix: false, step_on_epochs: true, plateau_mode: 'max'
  })
  t.equal(schedulerV2Kwargs({ ...args, eval_metric: 'loss' }).plateau_mode, 'min', 'a loss metric is minimised')
  t.equal(schedulerV2Kwargs({ ...args, eval_metric: 'top5' }).plateau_mode, 'max', 'an accuracy is maximised')
  t.equal(schedulerV2Kwargs({ ...args, eval_metric: 'loss', plateau_mode: 'max' }).plateau_mode, 'max', 'plateau_mode wins over eval_metric')
  t.equal(schedulerV2Kwargs({ ...args, sched_on_updates: true }).step_on_epochs, false)
})

t.test('plateau needs a metric per epoch but the last', async (t) => {
  const kwargs = schedulerV2Kwargs(z.strictObject(trainArgsShape).parse({ sched: 'plateau', epochs: 4, warmup_epochs: 0 }))
  t.throws(() => trainingPlan(kwargs, [{ lr: 0.1 }], 2, [1, 2]), /needs a metric for each epoch but the last \(3\); got 2/)
  t.equal(trainingPlan(kwargs, [{ lr: 0.1 }], 2, [1, 2, 3]).perUpdate[0].length, 8)
})

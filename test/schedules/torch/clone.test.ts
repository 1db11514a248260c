/**
 * Every fold's state is plain data: a `structuredClone` taken mid-run (as the service
 * checkpoints folds between worker threads) resumes to the same bits as a run that
 * was never interrupted, and the original run is not affected by the clone's steps.
 */
import t from 'tap'
import type { AnySchedulerDefinition, FoldSchedule, ParamGroup } from '../../../src/schedules/core/define.js'
import { torchSchedulers } from './fixtures.js'
import { exampleRequest } from './helpers.js'
import { parametersSchema } from './fixtures.js'

const groups: ParamGroup[] = [{ lr: 0.1 }, { lr: 0.02, initial_lr: 0.05 }]

/** More configurations than the examples, so that every kind of state is cloned. */
const extra: Array<[string, Record<string, unknown>, ParamGroup[]]> = [
  ['torch.CosineAnnealingWarmRestarts', { T_0: 7, T_mult: 2, eta_min: 0.001 }, groups],
  ['torch.CyclicLR', { base_lr: [0.001, 0.002], max_lr: 0.01, step_size_up: 5, step_size_down: 3, mode: 'exp_range', gamma: 0.99 }, groups],
  ['torch.OneCycleLR', { max_lr: [0.1, 0.2], total_steps: 200, three_phase: true, anneal_strategy: 'linear' }, groups],
  ['torch.ReduceLROnPlateau', { mode: 'max', patience: 1, cooldown: 2, min_lr: [0.001, 0.01], metrics: Array.from({ length: 60 }, (_, i) => Math.sin(i / 5)) }, groups],
  ['torch.SequentialLR', {
    schedulers: [
      { scheduler: 'torch.ChainedScheduler', schedulers: [{ scheduler: 'torch.ExponentialLR', gamma: 0.9 }, { scheduler: 'torch.StepLR', step_size: 3 }] },
      { scheduler: 'torch.CosineAnnealingWarmRestarts', T_0: 5 },
      { scheduler: 'torch.CyclicLR', base_lr: 0.01, max_lr: 0.1, step_size_up: 4 }
    ],
    milestones: [10, 30]
  }, [{ lr: 0.1 }]],
  ['torch.ChainedScheduler', {
    schedulers: [
      { scheduler: 'torch.LinearLR', start_factor: 0.1, total_iters: 8 },
      { scheduler: 'torch.SequentialLR', schedulers: [{ scheduler: 'torch.ConstantLR' }, { scheduler: 'torch.CosineAnnealingLR', T_max: 20 }], milestones: [5] },
      { scheduler: 'torch.MultiStepLR', milestones: [12, 12, 30] }
    ]
  }, groups]
]

function read (schedule: FoldSchedule, state: unknown, groups: number): Float64Array {
  const out = new Float64Array(groups)
  schedule.read(state, out, 0)
  return out
}

const cases = [
  ...(torchSchedulers as readonly AnySchedulerDefinition[]).map((definition) => {
    const { fields, groups: exampleGroups } = exampleRequest(definition)
    return { definition, fields, groups: exampleGroups }
  }),
  ...extra.map(([name, fields, groupsOf]) => ({ definition: (torchSchedulers as readonly AnySchedulerDefinition[]).find((d) => d.name === name)!, fields, groups: groupsOf }))
]

t.test('every torch scheduler resumes from a clone of its state', async (t) => {
  const covered = new Set<string>()
  for (const { definition, fields, groups: groupsOf } of cases) {
    const label = definition.name
    const width = groupsOf.length
    const params = parametersSchema(definition, width).parse(fields)
    const schedule = definition.create(params, groupsOf) as FoldSchedule
    t.equal(schedule.kind, 'fold', `${label} is a fold`)
    const steps = definition.stepCount?.(params) ?? 60
    const straight: Float64Array[] = []
    const state = schedule.initial()
    for (let step = 0; step < steps; step++) {
      if (step > 0) schedule.advance(state, step - 1)
      straight.push(read(schedule, state, width))
    }
    const cut = Math.floor(steps / 3)
    const original = schedule.initial()
    for (let step = 1; step <= cut; step++) schedule.advance(original, step - 1)
    const copy = structuredClone(original)
    let same = true
    for (let step = cut; step < steps; step++) {
      if (step > cut) schedule.advance(copy, step - 1)
      const row = read(schedule, copy, width)
      if (!row.every((value, g) => Object.is(value, straight[step][g]))) same = false
    }
    t.ok(same, `${label}: resumed at step ${cut} from a clone, the same ${steps - cut} values`)
    t.same(read(schedule, original, width), straight[cut], `${label}: the original is untouched by the clone's steps`)
    covered.add(definition.name)
  }
  t.same([...covered].sort(), torchSchedulers.map((d) => d.name).sort(), 'every scheduler')
})

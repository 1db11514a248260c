/**
 * The torch definitions as the registry and the HTTP layer use them: names and
 * references, worked examples that run, the Python each request stands for, default
 * lengths, and refusals reported at the field to blame.
 */
import t from 'tap'
import type { AnySchedulerDefinition, ParamGroup } from '../../../src/schedules/core/define.js'
import { ScheduleError } from '../../../src/schedules/core/errors.js'
import { scheduleValues } from '../../../src/schedules/core/evaluate.js'
import { chainedScheduler } from '../../../src/schedules/torch/chained-scheduler.js'
import { cosineAnnealingLR } from '../../../src/schedules/torch/cosine-annealing-lr.js'
import { cyclicLR } from '../../../src/schedules/torch/cyclic-lr.js'
import { oneCycleLR } from '../../../src/schedules/torch/one-cycle-lr.js'
import { reduceLROnPlateau } from '../../../src/schedules/torch/reduce-lr-on-plateau.js'
import { sequentialLR } from '../../../src/schedules/torch/sequential-lr.js'
import { stepLR } from '../../../src/schedules/torch/step-lr.js'
import { parametersSchema, torchSchedulers } from './fixtures.js'
import { exampleRequest, values } from './helpers.js'

const one: ParamGroup[] = [{ lr: 0.1 }]

function parse (definition: AnySchedulerDefinition, fields: Record<string, unknown>, groups = one) {
  return parametersSchema(definition, groups.length).parse(fields)
}

/** The refusal `run` throws: its exception name and path. */
function refusal (run: () => unknown): { pythonError: string | null, path: ReadonlyArray<string | number>, message: string } | null {
  try {
    run()
  } catch (error) {
    if (error instanceof ScheduleError) return { pythonError: error.pythonError, path: error.path, message: error.message }
    throw error
  }
  return null
}

t.test('every definition', async (t) => {
  t.equal(torchSchedulers.length, 13)
  for (const definition of torchSchedulers) {
    const className = definition.reference.name
    t.equal(definition.name, `torch.${className}`)
    t.same(definition.reference, { library: 'torch', name: className, importLine: `from torch.optim.lr_scheduler import ${className}` })
    t.equal(definition.evaluation, 'fold', `${className}: torch folds it (recursion or state)`)
    t.same(Object.keys(definition.groupShape), ['lr', 'initial_lr'])
    t.ok(definition.summary.endsWith('.'), `${className}: one sentence`)
  }
})

t.test('every example is a valid request that runs', async (t) => {
  for (const definition of torchSchedulers as readonly AnySchedulerDefinition[]) {
    const { fields, groups, count } = exampleRequest(definition)
    const params = parse(definition, fields, groups)
    const length = count ?? definition.defaultCount?.(params)
    t.ok(length !== undefined && length > 0, `${definition.name}: a count, given or by default`)
    const lrs = scheduleValues(definition.create(params, groups), groups.length, 0, length!)
    t.ok(lrs.every(Number.isFinite), `${definition.name}: ${length} finite values`)
    t.match(definition.python(params, groups), new RegExp(`^${definition.reference.name}\\(`), `${definition.name}: Python for it`)
  }
})

t.test('the constructor call, as a torch user writes it', async (t) => {
  t.equal(stepLR.python(parse(stepLR, { step_size: 30 }), one), 'StepLR(optimizer, step_size=30)')
  t.equal(stepLR.python(parse(stepLR, { step_size: 30, gamma: 0.5, last_epoch: 29 }), one), 'StepLR(optimizer, step_size=30, gamma=0.5, last_epoch=29)')
  t.equal(cyclicLR.python(parse(cyclicLR, { base_lr: [0.001, 0.002], max_lr: 0.01, mode: 'exp_range', gamma: 0.9999 }), one),
    "CyclicLR(optimizer, base_lr=[0.001, 0.002], max_lr=0.01, mode='exp_range', gamma=0.9999)")
  t.equal(reduceLROnPlateau.python(parse(reduceLROnPlateau, { mode: 'max', patience: 3, metrics: [1, 2] }), one),
    "ReduceLROnPlateau(optimizer, mode='max', patience=3)", 'metrics are step() arguments, not the constructor\'s')
  const { fields, groups } = exampleRequest(sequentialLR)
  t.equal(sequentialLR.python(parse(sequentialLR, fields), groups),
    'SequentialLR(optimizer, schedulers=[LinearLR(optimizer, start_factor=0.1), CosineAnnealingLR(optimizer, T_max=95)], milestones=[5])')
  const nested = parse(sequentialLR, {
    schedulers: [
      { scheduler: 'torch.LinearLR', start_factor: 0.01, total_iters: 10 },
      { scheduler: 'torch.ChainedScheduler', schedulers: [{ scheduler: 'torch.ExponentialLR', gamma: 0.999 }, { scheduler: 'torch.StepLR', step_size: 10 }] }
    ],
    milestones: [10],
    last_epoch: 4
  })
  t.equal(sequentialLR.python(nested, one),
    'SequentialLR(optimizer, schedulers=[LinearLR(optimizer, start_factor=0.01, total_iters=10), ChainedScheduler([ExponentialLR(optimizer, gamma=0.999), StepLR(optimizer, step_size=10)], optimizer=optimizer)], milestones=[10], last_epoch=4)')
  const chained = exampleRequest(chainedScheduler)
  t.equal(chainedScheduler.python(parse(chainedScheduler, chained.fields), chained.groups),
    'ChainedScheduler([ConstantLR(optimizer, factor=0.1, total_iters=20), ExponentialLR(optimizer, gamma=0.9)], optimizer=optimizer)')
})

t.test('default lengths and the steps that exist', async (t) => {
  t.equal(oneCycleLR.defaultCount!(parse(oneCycleLR, { max_lr: 0.1, total_steps: 1000 })), 1000)
  t.equal(oneCycleLR.defaultCount!(parse(oneCycleLR, { max_lr: 0.1, epochs: 10, steps_per_epoch: 50 })), 500)
  t.equal(oneCycleLR.defaultCount!(parse(oneCycleLR, { max_lr: 0.1, total_steps: 100, epochs: 10, steps_per_epoch: 50 })), 100, 'total_steps first, as torch reads it')
  const plateau = parse(reduceLROnPlateau, { metrics: [3, 2, 1] })
  t.equal(reduceLROnPlateau.defaultCount!(plateau), 4)
  t.equal(reduceLROnPlateau.stepCount!(plateau), 4, 'the constructor and one step per metric')
  t.equal(cosineAnnealingLR.defaultCount, undefined, 'no natural length: count is required')
  // OneCycleLR's last value is at total_steps itself; one more step is torch's ValueError.
  const lrs = values(oneCycleLR, { max_lr: 0.1, total_steps: 10 }, one, 11)[0]
  t.equal(lrs.length, 11)
  t.match(refusal(() => values(oneCycleLR, { max_lr: 0.1, total_steps: 10 }, one, 12)), { pythonError: 'ValueError', path: ['total_steps'], message: /Tried to step 11 times/ })
})

t.test('refusals name the field to blame, inside composites too', async (t) => {
  const request = (definition: AnySchedulerDefinition, fields: Record<string, unknown>, groups = one) =>
    refusal(() => definition.create(parse(definition, fields, groups), groups))
  t.match(request(cyclicLR, { base_lr: 0.001, max_lr: [0.01, 0.01, 0.01] }, [{ lr: 0.1 }, { lr: 0.2 }]),
    { pythonError: 'ValueError', path: ['max_lr'], message: /max_lr has 3 values, param_groups has 2/ })
  t.match(request(sequentialLR, {
    schedulers: [{ scheduler: 'torch.LinearLR', start_factor: 0 }, { scheduler: 'torch.ExponentialLR', gamma: 0.9 }],
    milestones: [5]
  }), { pythonError: 'ValueError', path: ['schedulers', 0, 'start_factor'] })
  t.match(request(chainedScheduler, {
    schedulers: [{ scheduler: 'torch.ExponentialLR', gamma: 0.9 }, { scheduler: 'torch.ReduceLROnPlateau' }]
  }), { pythonError: 'ValueError', path: ['schedulers', 1], message: /does not support `ReduceLROnPlateau`/ })
  t.match(request(sequentialLR, {
    schedulers: [{ scheduler: 'torch.ReduceLROnPlateau', factor: 2 }], milestones: []
  }), { pythonError: 'ValueError', path: ['schedulers', 0, 'factor'] }, "the plateau's own constructor check comes first, as torch builds it first")
  t.match(request(sequentialLR, { schedulers: [{ scheduler: 'torch.StepLR', step_size: 3 }], milestones: [3] }),
    { pythonError: 'ValueError', path: ['milestones'] })
  t.match(request(stepLR, { step_size: 3, last_epoch: 5 }), { pythonError: 'KeyError', path: ['param_groups', 0, 'initial_lr'] })
  t.match(request(sequentialLR, {
    schedulers: [
      { scheduler: 'torch.LinearLR' },
      { scheduler: 'torch.SequentialLR', schedulers: [{ scheduler: 'torch.OneCycleLR', max_lr: 0.1 }], milestones: [] }
    ],
    milestones: [5]
  }), { pythonError: 'ValueError', path: ['schedulers', 1, 'schedulers', 0, 'total_steps'] })

  const schema = parametersSchema(sequentialLR, 1)
  const missing = schema.safeParse({ schedulers: [{ scheduler: 'torch.LinearLR' }, { scheduler: 'torch.CosineAnnealingLR' }], milestones: [5] })
  t.same(missing.error?.issues.map((issue) => issue.path), [['schedulers', 1, 'T_max']], "a child's own field, at its path")
  const deep = schema.safeParse({
    schedulers: [{ scheduler: 'torch.ChainedScheduler', schedulers: [{ scheduler: 'torch.ChainedScheduler', schedulers: [] }] }],
    milestones: []
  })
  t.match(deep.error?.issues, [{ path: ['schedulers', 0, 'schedulers', 0, 'scheduler'], message: /nested two composites deep/ }])
  const unknown = parametersSchema(stepLR, 1).safeParse({ step_size: 3, verbose: true })
  t.match(unknown.error?.issues, [{ code: 'unrecognized_keys', keys: ['verbose'] }], "an argument torch does not take (its TypeError)")
})

t.test('composites of composites, as torch runs them (derived from its source; no golden case)', async (t) => {
  // A ChainedScheduler first in a SequentialLR: SequentialLR's initial step steps the
  // chained schedulers in their ordinary mode, so ExponentialLR multiplies at t = 0.
  const lrs = values(sequentialLR, {
    schedulers: [
      { scheduler: 'torch.ChainedScheduler', schedulers: [{ scheduler: 'torch.ExponentialLR', gamma: 0.5 }] },
      { scheduler: 'torch.StepLR', step_size: 2, gamma: 0.1 }
    ],
    milestones: [3]
  }, [{ lr: 1 }], 6)[0]
  t.same(lrs, [0.5, 0.25, 0.125, 1, 1, 0.1], "then StepLR's closed form at the milestone, from base_lr")
  // A SequentialLR inside a ChainedScheduler: built after the LinearLR, it resets the
  // LR to initial_lr and its own first scheduler starts over.
  const chained = values(chainedScheduler, {
    schedulers: [
      { scheduler: 'torch.LinearLR', start_factor: 0.5, total_iters: 2 },
      { scheduler: 'torch.SequentialLR', schedulers: [{ scheduler: 'torch.ConstantLR', factor: 0.1, total_iters: 2 }, { scheduler: 'torch.ExponentialLR', gamma: 0.5 }], milestones: [3] }
    ]
  }, [{ lr: 1 }], 6)[0]
  t.same(chained, [0.1, 0.15000000000000002, 2, 1, 0.5, 0.25],
    "LinearLR's ratios times ConstantLR's 0.1 and then its 1.0 / 0.1, until ExponentialLR's closed form takes over at 3")
})

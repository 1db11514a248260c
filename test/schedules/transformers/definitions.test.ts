/**
 * The transformers definitions as the registry uses them: names, references, examples,
 * the get_scheduler call, default lengths, get_scheduler's and torch's refusals,
 * last_epoch, the plateau fold, and the Python arithmetic the lambdas rest on.
 */
import t from 'tap'
import { z } from 'zod'
import type { AnySchedulerDefinition, FoldSchedule, ParamGroup } from '../../../src/schedules/core/define.js'
import { ScheduleError } from '../../../src/schedules/core/errors.js'
import { scheduleValues } from '../../../src/schedules/core/evaluate.js'
import { atLeast, lambdaLR, pyCos, pyMod } from '../../../src/schedules/transformers/base.js'
import { schedulerTypes } from '../../../src/schedules/transformers/base.js'
import { transformersScheduler, transformersSchedulers } from './fixtures.js'

function parse (definition: AnySchedulerDefinition, fields: Record<string, unknown>, groups = 1) {
  return z.strictObject(definition.shape).superRefine((params, ctx) => definition.check?.(params, ctx, groups)).parse(fields)
}

function values (type: string, fields: Record<string, unknown>, groups: ParamGroup[], count: number, start = 0): number[][] {
  const definition = transformersScheduler(type)
  const out = scheduleValues(definition.create(parse(definition, fields, groups.length), groups), groups.length, start, count)
  return Array.from({ length: count }, (_, n) => Array.from(out.subarray(n * groups.length, (n + 1) * groups.length)))
}

/** The ScheduleError `work` throws, as `{ pythonError, message, path }`. */
function refusal (work: () => unknown): { pythonError: string | null, message: string, path: readonly (string | number)[] } | null {
  try {
    work()
    return null
  } catch (error) {
    if (error instanceof ScheduleError) return { pythonError: error.pythonError, message: error.message, path: error.path }
    throw error
  }
}

t.test('one definition per SchedulerType, named transformers.<type>, referring to get_scheduler', async (t) => {
  t.same(transformersSchedulers.map((d) => d.name), schedulerTypes.map((type) => `transformers.${type}`))
  for (const definition of transformersSchedulers) {
    t.same(definition.reference, { library: 'transformers', name: 'get_scheduler', importLine: 'from transformers import get_scheduler' })
    t.equal(definition.evaluation, definition.name === 'transformers.reduce_lr_on_plateau' ? 'fold' : 'closed', `${definition.name}: ${definition.evaluation}`)
  }
})

t.test('every example is a valid request that answers finite values', async (t) => {
  for (const definition of transformersSchedulers as readonly AnySchedulerDefinition[]) {
    const { lr, count, ...fields } = definition.example.value as { lr: number, count?: number } & Record<string, unknown>
    const params = parse(definition, fields)
    const steps = count ?? definition.defaultCount?.(params)
    t.ok(typeof lr === 'number' && typeof steps === 'number', `${definition.name}: an lr and a count, given or by default`)
    const out = scheduleValues(definition.create(params, [{ lr }]), 1, 0, steps!)
    t.ok(out.every(Number.isFinite), `${definition.name}: ${steps} finite values`)
    t.match(definition.python(params, [{ lr }]), new RegExp(`^get_scheduler\\('${definition.name.slice('transformers.'.length)}', optimizer`))
  }
})

t.test('the get_scheduler call a transformers user writes', async (t) => {
  const call = (type: string, fields: Record<string, unknown>) => {
    const definition = transformersScheduler(type)
    return definition.python(parse(definition, fields), [{ lr: 1e-3 }])
  }
  t.equal(call('cosine', { num_warmup_steps: 100, num_training_steps: 1000 }), "get_scheduler('cosine', optimizer, num_warmup_steps=100, num_training_steps=1000)")
  t.equal(call('cosine', { num_warmup_steps: 100, num_training_steps: 1000, num_cycles: 0.5 }), "get_scheduler('cosine', optimizer, num_warmup_steps=100, num_training_steps=1000)", 'defaults left out')
  t.equal(call('polynomial', { num_warmup_steps: 0, num_training_steps: 10, lr_end: 1e-5, power: 2.5, last_epoch: 3 }),
    "get_scheduler('polynomial', optimizer, num_warmup_steps=0, num_training_steps=10, scheduler_specific_kwargs={'lr_end': 1e-05, 'power': 2.5, 'last_epoch': 3})")
  t.equal(call('warmup_stable_decay', { num_warmup_steps: 10, num_decay_steps: 20, num_stable_steps: 70, decay_type: '1-sqrt' }),
    "get_scheduler('warmup_stable_decay', optimizer, num_warmup_steps=10, scheduler_specific_kwargs={'num_decay_steps': 20, 'num_stable_steps': 70, 'decay_type': '1-sqrt'})")
  t.equal(call('reduce_lr_on_plateau', { mode: 'max', min_lr: [1e-6], metrics: [1, 2] }),
    "get_scheduler('reduce_lr_on_plateau', optimizer, scheduler_specific_kwargs={'mode': 'max', 'min_lr': [1e-06]})", 'metrics are inputs, not arguments')
  t.equal(call('inverse_sqrt', { num_warmup_steps: 50, timescale: 7 }), "get_scheduler('inverse_sqrt', optimizer, num_warmup_steps=50, scheduler_specific_kwargs={'timescale': 7})", 'an ignored argument is still written: it is what was asked')
  t.equal(call('constant', {}), "get_scheduler('constant', optimizer)")
})

t.test('default lengths: the run\'s training steps, what is left of them after last_epoch, the metrics', async (t) => {
  const count = (type: string, fields: Record<string, unknown>) => {
    const definition = transformersScheduler(type)
    return definition.defaultCount?.(parse(definition, fields))
  }
  t.equal(count('linear', { num_warmup_steps: 10, num_training_steps: 100 }), 100, 'steps 0 .. 99: the LR of each optimizer step of the run')
  t.equal(count('linear', { num_warmup_steps: 10, num_training_steps: 100, last_epoch: 39 }), 60, 'resumed after step 39: steps 40 .. 99')
  t.equal(count('linear', { num_warmup_steps: 10, num_training_steps: 0 }), 1, 'at least the constructor\'s value')
  t.equal(count('warmup_stable_decay', { num_warmup_steps: 10, num_decay_steps: 20, num_stable_steps: 70 }), 100, 'warmup + stable + decay without num_training_steps')
  t.equal(count('warmup_stable_decay', { num_warmup_steps: 10, num_decay_steps: 20, num_training_steps: 500 }), 500)
  t.equal(count('reduce_lr_on_plateau', { metrics: [3, 2, 1] }), 4, 'one value per step() and the constructor\'s')
  for (const type of ['constant', 'constant_with_warmup', 'inverse_sqrt']) t.equal(count(type, { num_warmup_steps: 10 }), undefined, `${type} has no length: count is required`)
  t.equal(transformersScheduler('reduce_lr_on_plateau').stepCount?.(parse(transformersScheduler('reduce_lr_on_plateau'), { metrics: [3, 2, 1] })), 4)
})

t.test('get_scheduler\'s refusals, with its messages, at the field to fix', async (t) => {
  const create = (type: string, fields: Record<string, unknown>, groups: ParamGroup[] = [{ lr: 1e-3 }]) => () => {
    const definition = transformersScheduler(type)
    definition.create(parse(definition, fields, groups.length), groups)
  }
  t.same(refusal(create('linear', { num_training_steps: 100 })),
    { pythonError: 'ValueError', message: 'linear requires `num_warmup_steps`, please provide that argument.', path: ['num_warmup_steps'] })
  t.same(refusal(create('cosine', { num_warmup_steps: 10 })),
    { pythonError: 'ValueError', message: 'cosine requires `num_training_steps`, please provide that argument.', path: ['num_training_steps'] })
  t.same(refusal(create('inverse_sqrt', {}))?.path, ['num_warmup_steps'])
  t.equal(refusal(create('constant', {})), null, 'constant needs neither')
  t.equal(refusal(create('reduce_lr_on_plateau', { metrics: [] })), null, 'nor does reduce_lr_on_plateau')
  t.equal(refusal(create('warmup_stable_decay', { num_warmup_steps: 0, num_decay_steps: 10, num_stable_steps: 5 })), null, 'warmup_stable_decay takes num_stable_steps for num_training_steps')
  t.same(refusal(create('warmup_stable_decay', { num_warmup_steps: 0, num_decay_steps: 10 })),
    { pythonError: 'ValueError', message: 'Either num_training_steps or num_stable_steps must be specified.', path: ['num_stable_steps'] })
  t.same(refusal(create('cosine_with_min_lr', { num_warmup_steps: 0, num_training_steps: 10, min_lr: 1e-5, min_lr_rate: 0.1 })),
    { pythonError: 'ValueError', message: 'Only one of min_lr or min_lr_rate should be set', path: ['min_lr_rate'] })
  t.same(refusal(create('cosine_warmup_with_min_lr', { num_warmup_steps: 0, num_training_steps: 10 }))?.pythonError, 'ValueError')
  t.same(refusal(create('cosine_with_min_lr', { num_warmup_steps: 0, num_training_steps: 10, min_lr: 1e-5 }, [{ lr: 0 }]))?.pythonError, 'ZeroDivisionError', 'min_lr / an optimizer LR of 0')
  t.same(refusal(create('polynomial', { num_warmup_steps: 0, num_training_steps: 10, lr_end: 1e-3 })),
    { pythonError: 'ValueError', message: 'lr_end (0.001) must be smaller than initial lr (0.001)', path: ['lr_end'] })
  t.same(refusal(create('reduce_lr_on_plateau', { factor: 1, metrics: [] }))?.pythonError, 'ValueError')
  t.same(refusal(create('reduce_lr_on_plateau', { min_lr: [0, 0], metrics: [] })),
    { pythonError: 'ValueError', message: 'expected 1 min_lrs, got 2 (torch raises ValueError)', path: ['min_lr'] })
  t.throws(() => parse(transformersScheduler('linear'), { num_warmup_steps: 0, num_training_steps: 10, num_cycles: 2 }), 'a keyword linear does not take is refused by the schema (transformers: TypeError)')
})

t.test('last_epoch resumes as torch does: initial_lr is the base, and step last_epoch + 1 comes first', async (t) => {
  const fields = { num_warmup_steps: 10, num_training_steps: 100, num_cycles: 0.5 }
  const fresh = values('cosine', fields, [{ lr: 1e-3 }], 100)
  const resumed = values('cosine', { ...fields, last_epoch: 39 }, [{ lr: 5e-4, initial_lr: 1e-3 }], 60)
  t.same(resumed, fresh.slice(40), 'value t is the fresh schedule\'s value 40 + t, from initial_lr')
  t.same(refusal(() => values('cosine', { ...fields, last_epoch: 39 }, [{ lr: 1e-3 }], 1))?.pythonError, 'KeyError', 'torch: param \'initial_lr\' is not specified')
  t.same(values('linear', { num_warmup_steps: 0, num_training_steps: 10 }, [{ lr: 1, initial_lr: 0.5 }], 2), [[0.5], [0.45]], 'with last_epoch -1 an existing initial_lr is kept (setdefault)')
  t.same(refusal(() => values('linear', { num_warmup_steps: 0, num_training_steps: 10, last_epoch: 2 ** 53 - 3 }, [{ lr: 1, initial_lr: 1 }], 3))?.pythonError, null,
    'a step beyond 2^53 - 1 is refused, not rounded')
})

t.test('reduce_lr_on_plateau: a fold whose state survives structuredClone', async (t) => {
  const definition = transformersScheduler('reduce_lr_on_plateau')
  const metrics = [5, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3]
  const params = parse(definition, { factor: 0.5, patience: 1, cooldown: 1, min_lr: [0.02, 0], metrics }, 2)
  const groups = [{ lr: 0.1, initial_lr: 0.7 }, { lr: 0.2 }]
  const schedule = definition.create(params, groups) as FoldSchedule
  const all = scheduleValues(schedule, 2, 0, metrics.length + 1)
  t.same(Array.from(all.subarray(0, 2)), [0.1, 0.2], 'step 0 is each group\'s lr: ReduceLROnPlateau never reads initial_lr')
  t.same(Array.from(all.subarray(8, 10)), [0.05, 0.1], 'halved after the second bad step in a row')
  t.same(Array.from(all.subarray(all.length - 2)), [0.02, 0.025], 'two more halvings, after the cooldowns: the first group stops at its min_lr, 0.02')
  const state = schedule.initial()
  for (let step = 0; step < 5; step++) schedule.advance(state, step)
  const copy = structuredClone(state)
  for (let step = 5; step < metrics.length; step++) schedule.advance(copy, step)
  const out = new Float64Array(2)
  schedule.read(copy, out, 0)
  t.same(Array.from(out), Array.from(all.subarray(all.length - 2)), 'a cloned state goes on to the same values')
  t.same(refusal(() => schedule.advance(copy, metrics.length))?.path, ['metrics'], 'no step without its metric')
})

t.test('Python\'s arithmetic where the lambdas rely on it', async (t) => {
  t.equal(pyMod(-0.45, 1.0), 0.55, '-0.45 % 1.0 == 0.55')
  t.ok(Object.is(pyMod(-1.0, 1.0), 0), '-1.0 % 1.0 == 0.0, a positive zero')
  t.ok(Object.is(pyMod(-0.0, 1.0), 0), '-0.0 % 1.0 == 0.0')
  t.equal(pyMod(3.5, -1.0), -0.5, '3.5 % -1.0 == -0.5')
  t.equal(atLeast(0, NaN), 0, 'max(0, nan) == 0')
  t.ok(Object.is(atLeast(0, -0), 0), 'max(0.0, -0.0) == 0.0')
  t.same(refusal(() => pyCos(Infinity))?.pythonError, 'ValueError', 'math.cos(inf) is a math domain error')
  t.ok(Number.isNaN(pyCos(NaN)), 'math.cos(nan) is nan')
  // CPython: max(0.0, 0.5 * (1.0 + math.cos(math.pi * ((-1.5 * p) % 1.0)))) for p = s / 10.
  t.same(values('cosine_with_restarts', { num_warmup_steps: 0, num_training_steps: 10, num_cycles: -1.5 }, [{ lr: 1 }], 11).flat(),
    [1.0, 0.054496737905816106, 0.2061073738537635, 0.42178276747988447, 0.6545084971874738, 0.8535533905932737, 0.9755282581475768, 0.006155829702431115, 0.09549150281252644, 0.27300475013022685, 0],
    'a negative num_cycles wraps with Python\'s %')
  t.same(values('cosine', { num_warmup_steps: 0, num_training_steps: 10, num_cycles: 1e308 }, [{ lr: 1 }], 1), [[0]], 'at step 0 the product is inf * 0 = nan, and max(0, nan) is 0')
  t.same(refusal(() => values('cosine', { num_warmup_steps: 0, num_training_steps: 10, num_cycles: 1e308 }, [{ lr: 1 }], 1, 1))?.pythonError, 'ValueError', 'at step 1 it is math.cos(inf)')
  t.same(scheduleValues(lambdaLR([{ lr: 2 }, { lr: 3 }], -1, (step) => step / 4), 2, 1, 2), new Float64Array([0.5, 0.75, 1, 1.5]), 'LambdaLR: base_lr * lambda(t), every group')
})

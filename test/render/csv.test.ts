import t from 'tap'
import { CHUNK_ROWS, lrColumns, planCsv, scheduleCsv, scheduleCsvChunks } from '../../src/render/csv.js'
import { pythonNumber, pythonValue, shortest } from '../../src/render/numbers.js'

t.test('one group: t,lr from start, shortest round-trip values', async (t) => {
  const lr = [0.1, 0.010000000000000002, 1e-7, 1.953125e-7]
  const csv = scheduleCsv({ scheduler: 'step', unit: 'epoch', start: 3, count: 4, lr, param_groups: [{ lr }] })
  t.equal(csv, 't,lr\n3,0.1\n4,0.010000000000000002\n5,1e-7\n6,1.953125e-7\n')
  for (const line of csv.trim().split('\n').slice(1)) {
    const cell = line.split(',')[1]
    t.ok(lr.includes(Number(cell)), `${cell} reads back to the same double`)
  }
})

t.test('several groups: a column per group, named by index', async (t) => {
  const g0 = new Float64Array([0.1, 0.05])
  const g1 = new Float64Array([0.01, 0.005])
  const csv = scheduleCsv({ scheduler: 'step', unit: 'update', start: 0, count: 2, lr: g0, param_groups: [{ lr: g0 }, { lr: g1 }, { lr: [0.3, 0.15] }] })
  t.equal(csv, 't,lr_0,lr_1,lr_2\n0,0.1,0.01,0.3\n1,0.05,0.005,0.15\n')
  t.same(lrColumns(1), ['lr'])
  t.same(lrColumns(2), ['lr_0', 'lr_1'])
})

t.test('null steps are empty cells', async (t) => {
  const lr = [null, null, 0.5]
  t.equal(scheduleCsv({ scheduler: 'step', unit: 'update', start: 10, count: 3, lr, param_groups: [{ lr }, { lr: [null, 0.25, 0.125] }] }),
    't,lr_0,lr_1\n10,,\n11,,0.25\n12,0.5,0.125\n')
})

t.test('an empty range is the header alone', async (t) => {
  t.equal(scheduleCsv({ scheduler: 'cosine', unit: 'epoch', start: 0, count: 0, lr: [], param_groups: [{ lr: [] }] }), 't,lr\n')
})

t.test('a plan: a row per update from 0', async (t) => {
  const answer = { num_epochs: 2, updates_per_epoch: 2, scheduler_class: 'StepLRScheduler', lr: [1e-5, 1e-5, 0.1, 0.1], param_groups: [{ lr: [1e-5, 1e-5, 0.1, 0.1] }] }
  t.equal(planCsv(answer), 'update,lr\n0,0.00001\n1,0.00001\n2,0.1\n3,0.1\n')
  t.equal(planCsv({ ...answer, param_groups: [{ lr: [1, 2] }, { lr: [3, 4] }] }), 'update,lr_0,lr_1\n0,1,3\n1,2,4\n')
})

t.test('a long answer comes in chunks of whole rows that join to the same text', async (t) => {
  const count = CHUNK_ROWS * 2 + 5
  const lr = Float64Array.from({ length: count }, (_, i) => 0.1 / (i + 1))
  const answer = { scheduler: 'poly', unit: 'update' as const, start: 7, count, lr, param_groups: [{ lr }] }
  const chunks = [...scheduleCsvChunks(answer)]
  t.equal(chunks.length, 4, 'the header, then three chunks')
  t.ok(chunks.every((chunk) => chunk.endsWith('\n')))
  const text = chunks.join('')
  t.equal(text, scheduleCsv(answer))
  const lines = text.trimEnd().split('\n')
  t.equal(lines.length, count + 1)
  t.equal(lines[CHUNK_ROWS + 1], `${7 + CHUNK_ROWS},${0.1 / (CHUNK_ROWS + 1)}`)
})

t.test('numbers: shortest round trip for data, Python repr for code', async (t) => {
  t.equal(shortest(null), '')
  t.equal(shortest(Number.NaN), '')
  t.equal(shortest(0.1 + 0.2), '0.30000000000000004')
  const cases: [number, string][] = [
    [5, '5'], [1e-5, '1e-05'], [0.0001, '0.0001'], [1.5e-5, '1.5e-05'], [0.5, '0.5'], [2.4, '2.4'],
    [1e16, '1e+16'], [1e20, '1e+20'], [123456789.5, '123456789.5'], [-0.8, '-0.8'], [1e-300, '1e-300'], [0.30000000000000004, '0.30000000000000004']
  ]
  for (const [value, repr] of cases) t.equal(pythonNumber(value), repr, `repr(${value})`)
  t.equal(pythonValue([30, 60, 0.5]), '[30, 60, 0.5]')
  t.equal(pythonValue(true), 'True')
  t.equal(pythonValue(null), 'None')
  t.equal(pythonValue("it's"), "'it\\'s'")
})

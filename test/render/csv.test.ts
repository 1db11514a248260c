import t from 'tap'
import { csvHead, csvRows, lrColumns } from '../../src/render/csv.js'
import { pythonNumber, pythonValue, shortest } from '../../src/render/numbers.js'

/** A whole CSV answer from row-major values, as the server writes it chunk by chunk. */
function csv (stepColumn: string, values: number[], groups: number, first: number, chunkRows = 2): string {
  const rows = values.length / groups
  let text = csvHead(stepColumn, groups)
  for (let from = 0; from < rows; from += chunkRows) {
    const to = Math.min(from + chunkRows, rows)
    text += csvRows(new Float64Array(values.slice(from * groups, to * groups)), groups, to - from, first + from)
  }
  return text
}

t.test('one group: t,lr from start, shortest round-trip values', async (t) => {
  const lr = [0.1, 0.010000000000000002, 1e-7, 1.953125e-7]
  const text = csv('t', lr, 1, 3)
  t.equal(text, 't,lr\n3,0.1\n4,0.010000000000000002\n5,1e-7\n6,1.953125e-7\n')
  for (const line of text.trim().split('\n').slice(1)) {
    const cell = line.split(',')[1]
    t.ok(lr.includes(Number(cell)), `${cell} reads back to the same double`)
  }
})

t.test('several groups: a column per group, named by index', async (t) => {
  t.equal(csv('t', [0.1, 0.01, 0.3, 0.05, 0.005, 0.15], 3, 0), 't,lr_0,lr_1,lr_2\n0,0.1,0.01,0.3\n1,0.05,0.005,0.15\n')
  t.same(lrColumns(1), ['lr'])
  t.same(lrColumns(2), ['lr_0', 'lr_1'])
})

t.test('steps without a value (NaN) are empty cells', async (t) => {
  t.equal(csv('t', [NaN, NaN, NaN, 0.25, 0.5, 0.125], 2, 10), 't,lr_0,lr_1\n10,,\n11,,0.25\n12,0.5,0.125\n')
})

t.test('an empty range is the header alone', async (t) => {
  t.equal(csv('t', [], 1, 0), 't,lr\n')
})

t.test('a plan: a row per update, the column named update', async (t) => {
  t.equal(csv('update', [1e-5, 1e-5, 0.1, 0.1], 1, 0), 'update,lr\n0,0.00001\n1,0.00001\n2,0.1\n3,0.1\n')
})

t.test('chunks of whole rows join to the same text whatever their size', async (t) => {
  const values = Array.from({ length: 1000 }, (_, i) => 0.1 / (i + 1))
  const whole = csv('t', values, 2, 7, 500)
  for (const size of [1, 3, 64, 499]) t.equal(csv('t', values, 2, 7, size), whole, `chunks of ${size} rows`)
  t.equal(whole.trimEnd().split('\n').length, 501)
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

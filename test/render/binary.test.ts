/**
 * The binary formats read back by real readers: NPY by NumPy (Debian's python3-numpy,
 * at /usr/bin/python3) and Arrow by the apache-arrow package's own reader. Each is
 * written as the server writes it: a head, chunks of rows, a tail.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { tableFromIPC } from 'apache-arrow'
import t from 'tap'
import { ARROW_TAIL, arrowHead, arrowRows } from '../../src/render/arrow.js'
import { jsonHead, jsonRows, JSON_TAIL } from '../../src/render/json.js'
import { npyHeader, npyRows } from '../../src/render/npy.js'

/** Row-major values for `steps` steps of `groups` groups: awkward doubles, and gaps (NaN) in group 1. */
function sample (steps: number, groups: number): Float64Array {
  const values = new Float64Array(steps * groups)
  for (let n = 0; n < steps; n++) {
    for (let g = 0; g < groups; g++) values[n * groups + g] = g === 1 && n % 7 === 3 ? NaN : (0.1 + g) * Math.cos(n / 3) ** 2 + 5e-324 * n
  }
  return values
}

/** Chunks of `rows` rows, each a copy, as the workers hand them over. */
function chunks (values: Float64Array, groups: number, rows: number): Array<{ values: Float64Array, rows: number, first: number }> {
  const steps = values.length / groups
  const out = []
  for (let from = 0; from < steps; from += rows) {
    const to = Math.min(from + rows, steps)
    out.push({ values: values.slice(from * groups, to * groups), rows: to - from, first: from })
  }
  return out
}

const python = '/usr/bin/python3'
const numpy = existsSync(python) && (() => {
  try {
    execFileSync(python, ['-c', 'import numpy'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

t.test('NPY: numpy.load reads shape (groups, steps), every double and NaN', { skip: numpy ? false : 'NumPy is not installed for /usr/bin/python3 (apt-get install python3-numpy)' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'npy-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  for (const [steps, groups] of [[1000, 1], [1001, 3], [0, 2], [1, 1]]) {
    const values = sample(steps, groups)
    const header = npyHeader(groups, steps)
    t.equal(header.length % 64, 0, 'the data starts on a multiple of 64 bytes')
    const file = join(dir, `a-${steps}-${groups}.npy`)
    writeFileSync(file, Buffer.concat([header, ...chunks(values, groups, 77).map((chunk) => npyRows(chunk.values, groups, chunk.rows))]))
    // NumPy prints each value's 64 bits as hex, group by group, step by step.
    const printed = execFileSync(python, ['-c', `
import sys, numpy
a = numpy.load(sys.argv[1])
print(a.dtype, a.shape)
for g in range(a.shape[0]):
    print(' '.join(a[g].view(numpy.uint64).astype('>u8').tobytes().hex()[i:i+16] for i in range(0, a.shape[1] * 16, 16)))
`, file], { encoding: 'utf8' }).trim().split('\n')
    t.equal(printed[0], `float64 (${groups}, ${steps})`)
    const bits = (x: number) => Buffer.from(new Float64Array([x]).buffer).reverse().toString('hex')
    for (let g = 0; g < groups; g++) {
      const expected = Array.from({ length: steps }, (_, n) => bits(values[n * groups + g])).join(' ')
      t.equal(printed[1 + g] ?? '', expected, `${steps} steps × ${groups} groups: group ${g}, bit for bit`)
    }
  }
})

t.test('Arrow IPC stream: a t column and a float64 column per group, null where no value', async (t) => {
  for (const [steps, groups] of [[1000, 1], [1001, 3], [0, 2]]) {
    const values = sample(steps, groups)
    const bytes = Buffer.concat([arrowHead('t', groups), ...chunks(values, groups, 250).map((chunk) => arrowRows('t', chunk.values, groups, chunk.rows, 40 + chunk.first)), ARROW_TAIL])
    const table = tableFromIPC(bytes)
    t.equal(table.numRows, steps)
    t.same(table.schema.fields.map((field) => [field.name, String(field.type), field.nullable]), [['t', 'Int64', false], ...(groups === 1 ? [['lr', 'Float64', true]] : Array.from({ length: groups }, (_, g) => [`lr_${g}`, 'Float64', true]))])
    if (steps > 0) t.equal(table.batches.length, Math.ceil(steps / 250), 'a record batch per chunk')
    const column = (g: number) => table.getChild(groups === 1 ? 'lr' : `lr_${g}`)!
    let same = true
    for (let n = 0; n < steps; n++) {
      if (table.getChild('t')!.get(n) !== BigInt(40 + n)) same = false
      for (let g = 0; g < groups; g++) {
        const expected = values[n * groups + g]
        const actual = column(g).get(n)
        if (Number.isNaN(expected) ? actual !== null : !Object.is(actual, expected)) same = false
      }
    }
    t.ok(same, `${steps} × ${groups}: every step and value, nulls where NaN`)
  }
})

t.test('JSON: one list, numbers for one group, a list per step for several; NaN is null', async (t) => {
  const one = JSON.parse(jsonHead({ start: 0, count: 3 }) + jsonRows(new Float64Array([0.1, NaN, 5e-324]), 1, 3) + JSON_TAIL)
  t.same(one, { start: 0, count: 3, lr: [0.1, null, 5e-324] })
  const two = JSON.parse(jsonHead({}) + jsonRows(new Float64Array([0.1, 0.05, 0.2, NaN]), 2, 2) + JSON_TAIL)
  t.same(two, { lr: [[0.1, 0.05], [0.2, null]] })
})

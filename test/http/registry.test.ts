/**
 * Table-driven over the registry: every registered scheduler's own example through
 * every route and format, each format giving the JSON answer's doubles; the
 * listing, the snippet and the document naming each one. And the proof that a new
 * scheduler is one file and one line: one defined in the test tree is validated,
 * computed, documented, plotted and listed with no other change.
 */
import { execFileSync } from 'node:child_process'
import { tableFromIPC } from 'apache-arrow'
import t from 'tap'
import { ComputePool } from '../../src/compute/pool.js'
import { registeredSchedulers } from '../../src/schedules/index.js'
import { appFor, queryOf } from './app.js'

const definitions = registeredSchedulers()

/** The values of an answer's `lr`, flat, row-major, null where none. */
function flat (lr: unknown[]): Array<number | null> {
  return lr.flatMap((row) => Array.isArray(row) ? row : [row]) as Array<number | null>
}

/** An SVG parsed by a real XML parser (Python's): throws unless it is well-formed. */
function wellFormed (svg: string): boolean {
  execFileSync('python3', ['-c', 'import sys, xml.dom.minidom; xml.dom.minidom.parseString(sys.stdin.buffer.read())'], { input: svg })
  return true
}

/** Whether a body can be written as a GET query: one group, no nested objects. */
function queryable (body: Record<string, unknown>): boolean {
  const groups = body.param_groups as unknown[] | undefined
  return (groups === undefined || groups.length === 1) && Object.values(body).every((value) => !Array.isArray(value) || value.every((item) => typeof item !== 'object'))
}

function queryOfBody (body: Record<string, unknown>): string {
  const { scheduler: _scheduler, param_groups: groups, ...rest } = body
  const group = (groups as Array<Record<string, unknown>> | undefined)?.[0] ?? {}
  return queryOf({ ...rest, ...group })
}

t.test('the registry lists timm, torch and transformers', async (t) => {
  const libraries = new Set(definitions.map((definition) => definition.reference.library))
  t.same([...libraries].sort(), ['timm', 'torch', 'transformers'])
  t.ok(definitions.length >= 30, `${definitions.length} schedulers`)
})

for (const definition of definitions) {
  const body: Record<string, unknown> = { scheduler: definition.name, ...definition.example.value }
  t.test(`${definition.name}: its example through every route and format`, async (t) => {
    const app = appFor(t)
    const json = await app.inject({ method: 'POST', url: '/v1/schedules', payload: body })
    t.equal(json.statusCode, 200, json.body.slice(0, 300))
    const answer = json.json()
    const values = flat(answer.lr)
    const groups = values.length / answer.count
    t.ok(values.length > 0 && Number.isInteger(groups), `${answer.count} steps × ${groups} groups`)

    const csv = await app.inject({ method: 'POST', url: '/v1/schedules?format=csv', payload: body })
    const cells = csv.body.trimEnd().split('\n').slice(1).flatMap((line) => line.split(',').slice(1)).map((cell) => cell === '' ? null : Number(cell))
    t.same(cells, values, 'CSV: the same doubles')

    const npy = await app.inject({ method: 'POST', url: '/v1/schedules?format=npy', payload: body })
    t.equal(npy.headers['content-type'], 'application/x-npy')
    const bytes = npy.rawPayload
    const headerLength = bytes.readUInt16LE(8)
    t.match(bytes.subarray(10, 10 + headerLength).toString('latin1'), `'shape': (${groups}, ${answer.count})`)
    const doubles = new Float64Array(bytes.buffer.slice(bytes.byteOffset + 10 + headerLength, bytes.byteOffset + bytes.length))
    t.same(Array.from(doubles, (x) => Number.isNaN(x) ? null : x), values, 'NPY: the same doubles')

    const arrow = tableFromIPC((await app.inject({ method: 'POST', url: '/v1/schedules?format=arrow', payload: body })).rawPayload)
    t.equal(arrow.numRows, answer.count)
    const columns = arrow.schema.fields.slice(1).map((field) => arrow.getChild(field.name)!)
    const arrowValues = Array.from({ length: answer.count }, (_, n) => columns.map((column) => column.get(n) as number | null)).flat()
    t.same(arrowValues, values, 'Arrow: the same doubles')

    const svg = await app.inject({ method: 'POST', url: '/v1/schedules?format=svg', payload: body })
    t.equal(svg.statusCode, 200)
    t.ok(wellFormed(svg.body), 'SVG: well-formed XML')
    t.match(svg.body, `<title>${definition.reference.name}`)

    if (queryable(body)) {
      const get = await app.inject({ method: 'GET', url: `/v1/schedules/${definition.name}?${queryOfBody(body)}` })
      t.equal(get.body, json.body, 'GET: the same bytes as POST')
      const last = answer.start + answer.count - 1
      const { start: _start, count: _count, ...rest } = body
      const point = await app.inject({ method: 'GET', url: `/v1/schedules/${definition.name}/lr?${queryOfBody({ ...rest, t: last })}` })
      t.equal(point.statusCode, 200, point.body.slice(0, 300))
      t.same(point.json().lr, answer.lr[answer.count - 1], 'the point route: the last step')
    } else {
      t.comment(`${definition.name}'s example has nested or several param groups: no GET form`)
    }

    const snippet = (await app.inject({ method: 'POST', url: '/v1/snippets', payload: body })).json()
    t.equal(snippet.import, definition.reference.importLine)
    t.match(snippet.constructor, /^scheduler = \S+\(/)
  })
}

t.test('the listing and the document name every scheduler', async (t) => {
  const app = appFor(t)
  const listed = (await app.inject({ method: 'GET', url: '/v1/schedulers' })).json().schedulers.map((entry: { name: string }) => entry.name)
  t.same(listed, definitions.map((definition) => definition.name))
  const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json()
  for (const definition of definitions) {
    t.ok(document.paths[`/v1/schedules/${definition.name}`]?.get, `GET /v1/schedules/${definition.name} is documented`)
  }
})

t.test('a new scheduler: one file in the test tree and one line registering it', async (t) => {
  const module = new URL('../support/doubling.ts', import.meta.url).href
  await import(module)
  // Computed on this thread (WORKERS=0): a worker thread would import the module too
  // (buildApp's schedulerModules), which works for a compiled plug-in; TypeScript
  // sources cannot be imported at run time by tsx inside a worker thread.
  const pool = new ComputePool({ workers: 0, maxQueue: 8 })
  const app = appFor(t, { pool })
  const computed = await app.inject({ method: 'POST', url: '/v1/schedules', payload: { scheduler: 'example.Doubling', period: 2, cap: 0.5, lr: 0.1, count: 8 } })
  t.same(computed.json().lr, [0.1, 0.1, 0.2, 0.2, 0.4, 0.4, 0.5, 0.5], 'computed')
  const get = await app.inject({ method: 'GET', url: '/v1/schedules/example.Doubling?period=2&lr=0.1&count=3' })
  t.same(get.json().lr, [0.1, 0.1, 0.2], 'a GET route of its own')
  const invalid = await app.inject({ method: 'POST', url: '/v1/schedules', payload: { scheduler: 'example.Doubling', period: 5000, lr: 0.1, count: 8 } })
  t.match(invalid.json(), { status: 400, errors: [{ path: '/period', message: 'period must be at most 1000' }] }, 'validated, with its own rule')
  const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json()
  t.ok(document.paths['/v1/schedules/example.Doubling'], 'documented')
  const plot = await app.inject({ method: 'POST', url: '/v1/plots', payload: { series: [{ name: 'doubling', scheduler: 'example.Doubling', period: 2, lr: 0.1, count: 8 }, { name: 'step', scheduler: 'torch.StepLR', step_size: 2, gamma: 0.5, lr: 0.1, count: 8 }] } })
  t.equal(plot.statusCode, 200, plot.body.slice(0, 300))
  t.ok(wellFormed(plot.body), 'plotted')
  const listed = (await app.inject({ method: 'GET', url: '/v1/schedulers' })).json().schedulers
  t.match(listed.find((entry: { name: string }) => entry.name === 'example.Doubling'), { reference: 'Doubling', summary: /Doubles/ }, 'listed')
  const snippet = (await app.inject({ method: 'POST', url: '/v1/snippets', payload: { scheduler: 'example.Doubling', period: 2, lr: 0.1 } })).json()
  t.equal(snippet.constructor, 'scheduler = Doubling(optimizer, period=2)')
})

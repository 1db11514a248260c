/**
 * The OpenAPI document: the committed copy is what the app serves, and the document
 * says what a client needs (discriminator, every parameter's default, range and a
 * one-line description, the tutorial's examples, the problem answers).
 */
import { readFileSync } from 'node:fs'
import t, { type Test } from 'tap'
import { documentPath, openapiText } from '../../scripts/openapi.js'
import { registeredSchedulers, schedulerNamed } from '../../src/schedules/index.js'
import { trainArgsShape } from '../../src/schedules/timm/plan.js'
import { appFor } from './app.js'

const schedulerNames = registeredSchedulers().map((definition) => definition.name)

/** A schema with its `$ref` followed into the document's components. */
function resolved (doc: any, schema: any): any {
  const ref: string | undefined = schema?.$ref
  return ref === undefined ? schema : resolved(doc, doc.components.schemas[ref.replace('#/components/schemas/', '')])
}

async function servedDocument (t: Test): Promise<any> {
  const app = appFor(t)
  const response = await app.inject({ method: 'GET', url: '/openapi.json' })
  t.equal(response.statusCode, 200)
  return response.json()
}

t.test('openapi/openapi.json is the document the app serves (run `npm run openapi` after changing a schema)', async (t) => {
  const committed = readFileSync(documentPath, 'utf8')
  t.equal(committed, await openapiText(), 'the committed document is up to date')
  t.same(JSON.parse(committed), await servedDocument(t))
})

t.test('the schedule body: one variant per scheduler, told apart by a discriminator', async (t) => {
  const doc = await servedDocument(t)
  t.equal(doc.openapi, '3.1.0')
  const media = doc.paths['/v1/schedules'].post.requestBody.content['application/json']
  t.same(media.schema.discriminator, { propertyName: 'scheduler' })
  t.same(media.schema.oneOf.map((variant: any) => resolved(doc, variant).title), schedulerNames)
  t.same(Object.keys(media.examples), schedulerNames, "every scheduler's own example")
  t.match(media.examples.step.value, { scheduler: 'step', decay_t: 5, decay_rate: 0.8, warmup_t: 2, warmup_lr_init: 1e-5 }, "the StepLR tutorial's warmup example")
  t.match(media.examples['torch.SequentialLR'].value, { schedulers: [{ scheduler: 'torch.LinearLR' }, { scheduler: 'torch.CosineAnnealingLR' }] }, 'linear warmup into cosine with SequentialLR')
})

t.test("every parameter has a one-line description, its default and its range", async (t) => {
  const doc = await servedDocument(t)
  const variants = doc.paths['/v1/schedules'].post.requestBody.content['application/json'].schema.oneOf.map((variant: any) => resolved(doc, variant))
  for (const [i, name] of schedulerNames.entries()) {
    const properties = variants[i].properties
    for (const [field, schema] of Object.entries(schedulerNamed(name)!.shape) as Array<[string, any]>) {
      const documented = properties[field]
      t.ok(documented, `${name}.${field} is documented`)
      t.match(documented.description, /^[^\n]+$/, `${name}.${field}: a one-line description`)
      const zodDefault = schema._zod.def.type === 'default' ? schema._zod.def.defaultValue : undefined
      if (zodDefault !== undefined) t.same(documented.default, zodDefault, `${name}.${field}: default ${JSON.stringify(zodDefault)}`)
    }
    for (const field of ['lr', 'param_groups', 'start', 'count']) t.match(properties[field]?.description, /\w/, `${name}.${field} is described`)
  }
  const step = variants[0].properties
  t.same(step.decay_t.exclusiveMinimum, 0, 'ranges: decay_t > 0')
  t.same(step.noise_pct.minimum, 0, 'ranges: noise_pct >= 0')
  t.same(step.warmup_prefix.default, true, "step's own default for warmup_prefix")
  t.same(variants[2].properties.warmup_prefix.default, false, "cosine's own default for warmup_prefix")
  const plan = doc.paths['/v1/plans'].post.requestBody.content['application/json'].schema.properties
  for (const field of Object.keys(trainArgsShape)) t.match(plan[field]?.description, /^[^\n]+$/, `plans: ${field} is described`)
  t.same(plan.epochs.default, 300, "train.py's default epochs")
})

t.test('GET routes: a query parameter per field, lists comma-separated', async (t) => {
  const doc = await servedDocument(t)
  for (const name of schedulerNames) {
    for (const path of [`/v1/schedules/${name}`, `/v1/schedules/${name}/lr`]) {
      const parameters: any[] = doc.paths[path]?.get?.parameters ?? []
      t.ok(parameters.length > 5, `${path} documents its parameters`)
      t.ok(parameters.every((p) => p.in === 'query' && p.explode === false && typeof p.description === 'string'), `${path}: every parameter described, lists comma-separated`)
    }
  }
  const multistep = doc.paths['/v1/schedules/multistep'].get.parameters
  t.match(multistep.find((p: any) => p.name === 'decay_t'), { required: true, schema: { type: 'array' } })
  t.ok(doc.paths['/v1/schedules/cosine/lr'].get.parameters.some((p: any) => p.name === 't' && p.required), 'the point route requires t')
  t.notOk(doc.paths['/v1/schedules/{scheduler}'], 'the fallback for unknown names is not documented')
})

t.test('errors are documented as problems', async (t) => {
  const doc = await servedDocument(t)
  for (const [path, method] of [['/v1/schedules', 'post'], ['/v1/plans', 'post'], ['/v1/schedules/step', 'get']] as const) {
    const responses = doc.paths[path][method].responses
    for (const status of ['400', '422']) {
      t.ok(responses[status].content['application/problem+json'].schema.properties.errors, `${method} ${path} ${status}`)
    }
    t.ok(responses['200'].content['application/json'].schema, `${method} ${path} 200`)
  }
})

t.test('every schedule and plan route documents its answer as JSON, CSV and SVG', async (t) => {
  const doc = await servedDocument(t)
  const operations: Array<[string, string]> = [['/v1/schedules', 'post'], ['/v1/plans', 'post'], ['/v1/plans', 'get'], ...schedulerNames.flatMap((name) => [[`/v1/schedules/${name}`, 'get'], [`/v1/schedules/${name}/lr`, 'get']] as Array<[string, string]>)]
  for (const [path, method] of operations) {
    const operation = doc.paths[path][method]
    t.same(Object.keys(operation.responses['200'].content), ['application/json', 'text/csv', 'application/x-npy', 'application/vnd.apache.arrow.stream', 'image/svg+xml'], `${method} ${path}: five formats`)
    t.equal(operation.responses['200'].content['text/csv'].schema.type, 'string')
    const parameters = Object.fromEntries(operation.parameters.map((p: any) => [p.name, p]))
    t.same(parameters.format?.schema.enum, ['json', 'csv', 'npy', 'arrow', 'svg'], `${method} ${path}: format`)
    t.match(parameters.log_scale, { in: 'query', required: false, schema: { type: 'boolean', default: false } }, `${method} ${path}: log_scale`)
  }
  t.same(doc.paths['/v1/schedules'].post.parameters.map((p: any) => p.name), ['format', 'log_scale'], 'a POST route\'s query is the format only')
})

t.test('POST /v1/plots: named schedule bodies in, an SVG out', async (t) => {
  const doc = await servedDocument(t)
  const operation = doc.paths['/v1/plots'].post
  const body = operation.requestBody.content['application/json']
  t.match(body.schema.properties.series, { type: 'array', minItems: 1, maxItems: 10 })
  t.same(body.schema.properties.series.items.discriminator, { propertyName: 'scheduler' })
  const variants = body.schema.properties.series.items.oneOf.map((variant: any) => resolved(doc, variant))
  t.same(variants.map((variant: any) => variant.title), schedulerNames)
  for (const variant of variants) t.ok(variant.required.includes('name'), `${variant.title}: a name is required`)
  t.same(body.schema.required, ['series'])
  t.same(body.schema.properties.log_scale.default, false)
  t.same(body.examples.warmup.value.series.map((series: any) => series.name), ['With warmup', 'Without warmup'])
  t.same(Object.keys(operation.responses['200'].content), ['image/svg+xml'])
  for (const status of ['400', '422']) t.ok(operation.responses[status].content['application/problem+json'], `${status} is a problem`)
})

t.test('Swagger UI at /docs, with its own assets, under the CSP', async (t) => {
  const app = appFor(t)
  const page = await app.inject({ method: 'GET', url: '/docs' })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /^text\/html/)
  const csp = String(page.headers['content-security-policy'])
  t.match(csp, /script-src 'self'/, 'scripts from the service only')
  t.notMatch(csp, /upgrade-insecure-requests/, 'plain-HTTP deployments keep their assets')
  const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1])
  t.ok(assets.length >= 4, `${assets.length} assets`)
  for (const asset of assets) {
    const url = asset.startsWith('/') ? asset : `/docs/${asset.replace(/^\.\//, '')}`
    const response = await app.inject({ method: 'GET', url })
    t.equal(response.statusCode, 200, `${url} is served locally`)
  }
  const initializer = await app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' })
  t.match(initializer.body, /resolveUrl\('\.\/json'\)/, 'the UI reads the document from the service')
  const json = await app.inject({ method: 'GET', url: '/docs/json' })
  t.ok(json.json().paths['/v1/plans'], 'the UI reads the same document')
})

t.test('GET /healthz', async (t) => {
  const app = appFor(t)
  const response = await app.inject({ method: 'GET', url: '/healthz' })
  t.equal(response.statusCode, 200)
  t.same(response.json(), { status: 'ok' })
  t.equal(response.headers['cache-control'], 'no-store')
  const ready = await app.inject({ method: 'GET', url: '/readyz' })
  t.same(ready.json(), { status: 'ok' }, '/readyz: ready')
})

/**
 * deploy/kubernetes/*.yaml against the Kubernetes schemas, offline: each document is
 * validated by kubernetes-models (the API's OpenAPI definitions compiled to
 * validators: types, required fields, enums, formats such as quantities), and
 * type-checked by the TypeScript compiler as a literal of that package's interface
 * for its kind, which finds any field the API does not know (a misspelt
 * `readinessProb`), as the API server's strict field validation would. Then what
 * the manifests must agree on: probes, ports, labels, the shutdown timings, and
 * settings the server itself accepts.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import ts from 'typescript'
import { parseAllDocuments } from 'yaml'
import { root } from '../../scripts/fleet.js'
import { settingsFromEnv } from '../../src/settings.js'

const dir = join(root, 'deploy', 'kubernetes')

interface Manifest {
  file: string
  apiVersion: string
  kind: string
  [field: string]: any
}

const manifests: Manifest[] = readdirSync(dir).filter((file) => file.endsWith('.yaml')).sort().flatMap((file) => {
  const documents = parseAllDocuments(readFileSync(join(dir, file), 'utf8'), { uniqueKeys: true, strict: true })
  if (!Array.isArray(documents)) throw new Error(`${file}: empty`)
  return documents.map((document) => {
    if (document.errors.length > 0 || document.warnings.length > 0) throw new Error(`${file}: ${[...document.errors, ...document.warnings].map((error) => error.message).join('; ')}`)
    return { ...document.toJS(), file } as Manifest
  })
})

/** The module of kubernetes-models for a kind: `kubernetes-models/apps/v1/Deployment`. */
function modelModule ({ apiVersion, kind }: Manifest): string {
  return `kubernetes-models/${apiVersion}/${kind}`
}

const named = (kind: string) => {
  const found = manifests.filter((manifest) => manifest.kind === kind)
  if (found.length !== 1) throw new Error(`one ${kind} expected, found ${found.length}`)
  return found[0]
}

t.test('a Deployment, a Service, a HorizontalPodAutoscaler and a PodDisruptionBudget', async (t) => {
  t.same(manifests.map((manifest) => `${manifest.apiVersion} ${manifest.kind}`).sort(), [
    'apps/v1 Deployment', 'autoscaling/v2 HorizontalPodAutoscaler', 'policy/v1 PodDisruptionBudget', 'v1 Service'
  ])
})

t.test('each is valid against the Kubernetes schema of its kind', async (t) => {
  for (const manifest of manifests) {
    const { file, ...object } = manifest
    const module = await import(modelModule(manifest)) as Record<string, new (data: unknown) => { validate: () => void }>
    const Model = module[manifest.kind]
    t.ok(Model, `${file}: kubernetes-models knows ${manifest.apiVersion} ${manifest.kind}`)
    t.doesNotThrow(() => new Model(object).validate(), `${file}: ${manifest.kind} ${object.metadata?.name}`)
  }
  // The validator does refuse what is wrong.
  const { Deployment } = await import('kubernetes-models/apps/v1/Deployment')
  const { file: _file, ...broken } = structuredClone(named('Deployment'))
  broken.spec.template.spec.containers[0].resources.limits.cpu = 'two'
  t.throws(() => new Deployment(broken as any).validate(), /quantity/, 'a CPU limit that is not a quantity is refused')
})

/** TypeScript's errors for each manifest as a literal of kubernetes-models' interface of its kind. */
function typeErrors (list: Manifest[]): string[] {
  const file = join(root, 'test', 'deploy', 'manifests.generated.ts')
  const source = list.map((manifest, i) => {
    const { file: _file, ...object } = manifest
    return `import type { I${manifest.kind} as Kind${i} } from '${modelModule(manifest)}'\nexport const manifest${i}: Kind${i} = ${JSON.stringify(object, null, 2)}\n`
  }).join('\n')
  const options: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, lib: ['lib.es5.d.ts'], types: [] }
  const host = ts.createCompilerHost(options)
  const getSourceFile = host.getSourceFile.bind(host)
  host.getSourceFile = (name, language, onError) => name === file ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, onError)
  const fileExists = host.fileExists.bind(host)
  host.fileExists = (name) => name === file || fileExists(name)
  const program = ts.createProgram([file], options, host)
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where = diagnostic.file !== undefined && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1 : 0
    const line = where > 0 ? source.split('\n')[where - 1].trim() : ''
    return `${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')} (${line})`
  })
}

t.test('no field the Kubernetes API does not know', async (t) => {
  t.same(typeErrors(manifests), [], 'every field of every manifest is one of its kind\'s')
  // And a misspelt field is found.
  const deployment = structuredClone(named('Deployment'))
  deployment.spec.template.spec.containers[0].readinessProb = deployment.spec.template.spec.containers[0].readinessProbe
  const errors = typeErrors([deployment])
  t.equal(errors.length, 1)
  t.match(errors[0], /readinessProb/, 'readinessProb is refused')
})

t.test('the Deployment: probes, ports, settings, shutdown timings', async (t) => {
  const deployment = named('Deployment')
  const pod = deployment.spec.template.spec
  t.equal(pod.containers.length, 1)
  const container = pod.containers[0]
  const env = Object.fromEntries(container.env.map((variable: { name: string, value: string }) => [variable.name, variable.value]))
  const settings = settingsFromEnv(env)
  t.equal(settings.host, '0.0.0.0', 'listens on the pod\'s address')
  const port = container.ports.find((entry: { name: string }) => entry.name === 'http')
  t.equal(port.containerPort, settings.port, 'the container port is the one PORT says')

  t.same(container.readinessProbe.httpGet, { path: '/readyz', port: 'http' }, 'readiness: /readyz')
  t.same(container.livenessProbe.httpGet, { path: '/healthz', port: 'http' }, 'liveness: /healthz')
  t.same(container.startupProbe.httpGet, { path: '/healthz', port: 'http' })

  const preStop = container.lifecycle.preStop.exec.command as string[]
  t.equal(preStop[0], 'sleep')
  const sleepSeconds = Number(preStop[1])
  t.ok(sleepSeconds >= 3 && sleepSeconds <= 10, `preStop sleeps ${sleepSeconds} s, while the endpoints drop the pod`)
  const grace = pod.terminationGracePeriodSeconds as number
  t.ok(grace >= sleepSeconds + settings.shutdownGraceMs / 1000 + 2, `terminationGracePeriodSeconds (${grace}) covers preStop (${sleepSeconds} s) + SHUTDOWN_GRACE_MS (${settings.shutdownGraceMs / 1000} s) + time to exit`)

  const cpu = (quantity: string) => quantity.endsWith('m') ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity)
  const mebibytes = (quantity: string) => Number(/^(\d+)Mi$/.exec(quantity)![1])
  const { requests, limits } = container.resources
  t.ok(cpu(requests.cpu) <= cpu(limits.cpu) && mebibytes(requests.memory) <= mebibytes(limits.memory), 'requests within limits')
  t.equal(settings.workers, cpu(limits.cpu), 'a worker thread a core of the CPU limit')
  const heap = Number(/--max-old-space-size=(\d+)/.exec(env.NODE_OPTIONS)![1])
  t.ok(heap < mebibytes(limits.memory) * 0.8, `V8's heap (${heap} MB) leaves room under the memory limit (${limits.memory})`)
  t.ok(mebibytes(requests.memory) >= 310, 'the memory request covers the bench\'s peak (310 MB)')

  t.equal(deployment.spec.replicas, undefined, 'the autoscaler sets the replicas')
  t.same(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels, 'the selector matches the pods')
})

t.test('the Service, the autoscaler and the disruption budget point at the Deployment', async (t) => {
  const deployment = named('Deployment')
  const labels = deployment.spec.template.metadata.labels
  const service = named('Service')
  t.same(service.spec.selector, labels, 'the Service selects the pods')
  const ports = deployment.spec.template.spec.containers[0].ports.map((port: { name: string }) => port.name)
  for (const port of service.spec.ports) t.ok(ports.includes(port.targetPort), `the Service's target port ${port.targetPort} is the container's`)

  const hpa = named('HorizontalPodAutoscaler')
  t.same(hpa.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name })
  t.same(hpa.spec.metrics.map((metric: any) => metric.resource.name), ['cpu'], 'on CPU')
  t.ok(hpa.spec.minReplicas >= 2, 'two replicas at least')

  const pdb = named('PodDisruptionBudget')
  t.same(pdb.spec.selector.matchLabels, labels, 'the budget counts the pods')
  t.ok(pdb.spec.maxUnavailable < hpa.spec.minReplicas, 'a disruption leaves a replica answering')
})

/**
 * The HTTP layer's cost on the largest answer: a 1,000,000-value cosine schedule,
 * POST and GET over a real socket (autocannon), against the engine alone in the same
 * run. The ratios say what the HTTP layer adds to the computation; /healthz gives the
 * floor of a round trip. The client (autocannon) runs in the same process, so the
 * HTTP rows include its reading of the 41 MB answer.
 *
 *     npm run bench -- http
 */
import autocannon from 'autocannon'
import { fileURLToPath } from 'node:url'
import { buildApp } from '../src/app.js'
import { answerJson } from '../src/http/answer.js'
import { scheduleAnswer } from '../src/http/schedules.js'
import { scheduleRequestSchema } from '../src/http/schemas.js'
import { evaluateSchedule, parametersSchema, periodicSchedulers } from '../src/schedules/index.js'

const VALUES = 1_000_000
const body = { scheduler: 'cosine', t_initial: VALUES, warmup_t: 1000, warmup_lr_init: 1e-5, lr: 0.1 } as const
const query = `t_initial=${VALUES}&warmup_t=1000&warmup_lr_init=1e-5&lr=0.1`

/** The median of `runs` timings of `work`, in ms, after one warm-up run. */
function median (runs: number, work: () => unknown): number {
  work()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    work()
    times.push(performance.now() - start)
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]
}

async function latency (url: string, options: Partial<autocannon.Options>): Promise<number> {
  const result = await autocannon({ url, connections: 1, ...options })
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`)
  return result.latency.average
}

export default async function httpBench (): Promise<void> {
  const { lr, scheduler: _name, ...kwargs } = body
  const cosine = periodicSchedulers.cosine
  const params = parametersSchema(cosine).parse(kwargs)
  const engine = median(7, () => evaluateSchedule(cosine, params, [{ lr }], { unit: 'epoch', start: 0, count: VALUES, view: 'lr' }))
  const request = scheduleRequestSchema.parse(body)
  const serialized = median(7, () => answerJson({ kind: 'schedule', request, body: scheduleAnswer(request, VALUES) }))
  const bytes = answerJson({ kind: 'schedule', request, body: scheduleAnswer(request, VALUES) }).length

  const app = buildApp({ maxValues: VALUES, logger: false })
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  try {
    // One connection, back to back: the mean round trip is 1 / throughput (autocannon's
    // latency histogram counts whole milliseconds, too coarse for this one).
    const healthRun = await autocannon({ url: `${address}/healthz`, connections: 1, duration: 2 })
    const health = 1000 / healthRun.requests.average
    const post = await latency(`${address}/v1/schedules`, { amount: 10, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    const get = await latency(`${address}/v1/schedules/cosine?${query}`, { amount: 10 })

    const rows: Array<[string, number]> = [
      ['engine: evaluateSchedule, 1M cosine values', engine],
      ['engine + JSON text of the answer', serialized],
      ['POST /v1/schedules, 1M values over HTTP (mean)', post],
      ['GET /v1/schedules/cosine, 1M values + ETag (mean)', get],
      ['GET /healthz (mean, from its throughput)', health]
    ]
    console.log(`answer: ${(bytes / 1e6).toFixed(1)} MB of JSON for ${VALUES} values`)
    console.log('| measure | ms | × engine |')
    console.log('|---|---:|---:|')
    for (const [name, ms] of rows) console.log(`| ${name} | ${ms < 1 ? ms.toFixed(3) : ms.toFixed(1)} | ${(ms / engine).toFixed(ms < 1 ? 4 : 2)} |`)
  } finally {
    await app.close()
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await httpBench()

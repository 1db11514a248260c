/**
 * The HTTP layer against what it cannot avoid, in one run:
 * - 1,000,000 values over a real socket as NPY, against the engine computing them
 *   (the same chunks the service computes), and as JSON, against `JSON.stringify` of
 *   the same numbers;
 * - small requests (a 100-epoch cosine) by GET and POST, against a bare Fastify route
 *   answering a constant 100-element array, with the same client and connections.
 *
 *     npm run bench -- http
 */
import { get as httpGet } from 'node:http'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import Fastify from 'fastify'
import { z } from 'zod'
import { buildApp } from '../src/app.js'
import { computeRows } from '../src/compute/rows.js'
import { schedulerNamed } from '../src/schedules/index.js'

const VALUES = 1_000_000
const CHUNK = 1 << 16
const fields = { t_initial: VALUES, t_in_epochs: false, unit: 'update' }
const query = `t_initial=${VALUES}&t_in_epochs=false&unit=update&lr=0.1`

function median (times: number[]): number {
  return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]
}

/** The median of `runs` timings of `work`, in ms, after one warm-up run. */
async function timed (runs: number, work: () => unknown): Promise<number> {
  await work()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await work()
    times.push(performance.now() - start)
  }
  return median(times)
}

/** The engine alone: a million values, a chunk at a time, as the workers compute them. */
function engine (): Float64Array {
  const cosine = schedulerNamed('cosine')!
  const params = z.strictObject(cosine.shape).parse(fields)
  const schedule = cosine.create(params, [{ lr: 0.1 }])
  const all = new Float64Array(VALUES)
  for (let from = 0; from < VALUES; from += CHUNK) computeRows(schedule, 1, from, Math.min(from + CHUNK, VALUES), all.subarray(from))
  return all
}

/** A GET read to its last byte; resolves with the bytes received. */
function fetchAll (url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    httpGet(url, (res) => {
      let bytes = 0
      res.on('data', (chunk: Buffer) => { bytes += chunk.length })
      res.on('end', () => res.statusCode === 200 ? resolve(bytes) : reject(new Error(`${url}: ${res.statusCode}`)))
    }).on('error', reject)
  })
}

/** Requests a second, with `connections` clients back to back for `duration` seconds. */
async function throughput (url: string, options: Partial<autocannon.Options> = {}): Promise<number> {
  const result = await autocannon({ url, connections: 8, duration: 2, ...options })
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`)
  return result.requests.average
}

export default async function httpBench (): Promise<void> {
  const engineMs = await timed(5, engine)
  const values = engine()
  const stringifyMs = await timed(5, () => JSON.stringify(Array.from(values)))

  const app = buildApp({ maxValues: 4_000_000, logger: false })
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const bare = Fastify()
  const constant = Array.from({ length: 100 }, (_, i) => 0.05 * (1 + Math.cos(Math.PI * i / 100)))
  bare.get('/constant', async () => constant)
  const bareAddress = await bare.listen({ port: 0, host: '127.0.0.1' })
  try {
    const npyMs = await timed(5, () => fetchAll(`${address}/v1/schedules/cosine?${query}&format=npy`))
    const jsonMs = await timed(5, () => fetchAll(`${address}/v1/schedules/cosine?${query}`))
    const rows: Array<[string, number, string]> = [
      ['engine: 1M cosine values in 65,536-value chunks', engineMs, ''],
      ['JSON.stringify of the same 1M numbers', stringifyMs, ''],
      ['GET 1M values as NPY, to the last byte', npyMs, `${(npyMs / engineMs).toFixed(2)} × engine (target ≤ 2)`],
      ['GET 1M values as JSON, to the last byte', jsonMs, `${(jsonMs / stringifyMs).toFixed(2)} × JSON.stringify (target ≤ 1.3)`]
    ]
    console.log('| 1,000,000 values | ms | ratio |')
    console.log('|---|---:|---|')
    for (const [name, ms, ratio] of rows) console.log(`| ${name} | ${ms.toFixed(1)} | ${ratio} |`)

    const body = JSON.stringify({ scheduler: 'cosine', t_initial: 100, lr: 0.1 })
    // Interleaved rounds, medians: the machine's drift over a run hits all three alike.
    const rounds: Array<[number, number, number]> = []
    for (let round = 0; round < 5; round++) {
      rounds.push([
        await throughput(`${bareAddress}/constant`),
        await throughput(`${address}/v1/schedules/cosine?t_initial=100&lr=0.1`),
        await throughput(`${address}/v1/schedules`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
      ])
    }
    const median = (k: number) => rounds.map((round) => round[k]).sort((a, b) => a - b)[2]
    const [bareRps, getRps, postRps] = [median(0), median(1), median(2)]
    console.log('\n| 100-epoch cosine, 8 connections, 5 interleaved rounds of 2 s, medians | requests/s | × bare route |')
    console.log('|---|---:|---:|')
    console.log(`| bare Fastify route, a constant 100-element array | ${bareRps.toFixed(0)} | 1.00 |`)
    console.log(`| GET /v1/schedules/cosine?t_initial=100&lr=0.1 | ${getRps.toFixed(0)} | ${(getRps / bareRps).toFixed(2)} (target ≥ 0.7) |`)
    console.log(`| POST /v1/schedules, the same request | ${postRps.toFixed(0)} | ${(postRps / bareRps).toFixed(2)} (target ≥ 0.5) |`)
  } finally {
    await app.close()
    await bare.close()
  }
}


if (process.argv[1] === fileURLToPath(import.meta.url)) await httpBench()

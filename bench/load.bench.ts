/**
 * Does a heavy request hold up the others? A real server (a child process, its
 * default worker pool) is probed on /healthz, 20 times a second, first idle, then
 * while 4 of the heaviest requests it allows (MAX_VALUES values each, as JSON) are
 * computed, encoded and read: the probe's p50 and p99 in both, in one run.
 *
 *     npm run bench -- load
 */
import { Agent, get } from 'node:http'
import { fileURLToPath } from 'node:url'
import { startServer } from './server-process.js'

const MAX_VALUES = 4_000_000


/** A GET read to its end; resolves with its bytes. */
function fetch (port: number, path: string, agent?: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: agent ?? false }, (res) => {
      let bytes = 0
      res.on('data', (chunk: Buffer) => { bytes += chunk.length })
      res.on('end', () => res.statusCode === 200 ? resolve(bytes) : reject(new Error(`${path}: ${res.statusCode}`)))
    }).on('error', reject)
  })
}

/** /healthz round trips (ms), 20 a second, until `until` resolves or `seconds` pass. */
async function probe (port: number, seconds: number, until?: Promise<unknown>): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const times: number[] = []
  let done = false
  void until?.then(() => { done = true })
  const end = Date.now() + seconds * 1000
  while (!done && Date.now() < end) {
    const started = performance.now()
    await fetch(port, '/healthz', agent)
    times.push(performance.now() - started)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  agent.destroy()
  return times
}

function percentile (times: number[], p: number): number {
  const sorted = [...times].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]
}

export default async function loadBench (): Promise<void> {
  const { child, port } = await startServer({ MAX_VALUES: String(MAX_VALUES), REQUEST_DEADLINE_MS: '120000' })
  try {
    await probe(port, 1) // warm up
    const idle = await probe(port, 5)
    // The heaviest request allowed: MAX_VALUES values of a per-update cosine, as JSON (about 80 MB each).
    const heavy = `/v1/schedules/cosine?t_initial=${MAX_VALUES}&t_in_epochs=false&unit=update&lr=0.1`
    const started = performance.now()
    const requests = Promise.all(Array.from({ length: 4 }, () => fetch(port, heavy)))
    const loaded = await probe(port, 120, requests)
    const bytes = await requests
    const seconds = (performance.now() - started) / 1000
    console.log(`4 × ${MAX_VALUES.toLocaleString('en-US')} values as JSON (${(bytes[0] / 1e6).toFixed(0)} MB each) answered in ${seconds.toFixed(1)} s`)
    console.log('| /healthz probe | samples | p50 ms | p99 ms |')
    console.log('|---|---:|---:|---:|')
    console.log(`| idle | ${idle.length} | ${percentile(idle, 0.5).toFixed(1)} | ${percentile(idle, 0.99).toFixed(1)} |`)
    console.log(`| while 4 of the heaviest requests run | ${loaded.length} | ${percentile(loaded, 0.5).toFixed(1)} | ${percentile(loaded, 0.99).toFixed(1)} (target < 100) |`)
    console.log(`p99 under load / p99 idle: ${(percentile(loaded, 0.99) / percentile(idle, 0.99)).toFixed(1)}`)
  } finally {
    child.kill('SIGTERM')
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await loadBench()

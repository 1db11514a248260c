/**
 * The fleet's throughput: requests a second of one replica against three behind
 * nginx, in one run on this machine, as a ratio; and what a replica uses (CPU a
 * request, resident memory under that load and for the largest answers), which
 * sizes the Kubernetes requests and limits in deploy/kubernetes/.
 *
 * The load is autocannon at full speed (32 connections, 10 s a setup) from this
 * process, every request a cache miss: in turn a GET of a URL of its own and a POST,
 * each 100 values of JSON. Every process (the load, nginx, the replicas and their
 * worker threads) shares this machine's cores, so the ratio says how much more a
 * fleet gets from the same cores, not how it scales across machines.
 *
 *     npm run bench -- fleet
 */
import { readdirSync, readFileSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { type Fleet, startFleet } from '../scripts/fleet.js'

const SECONDS = 10
const CONNECTIONS = 32

interface Run {
  name: string
  rate: number
  p50: number
  p99: number
  requests: number
  /** CPU milliseconds the replicas and nginx spent a request. */
  cpuMs: number
}

/** CPU seconds a process has used, all its threads (Linux: /proc). */
function cpuOf (pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/** The fleet's processes: the replicas, nginx's master and its workers. */
function fleetPids (fleet: Fleet): number[] {
  const nginx = fleet.nginx.pid!
  const workers = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).filter((pid) => {
    try {
      return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]) === nginx
    } catch {
      return false
    }
  }).map(Number)
  return [...fleet.replicas.map((replica) => replica.process!.pid!), nginx, ...workers]
}

/** Full-speed load, every request a cache miss; all must answer 200. */
async function measure (name: string, url: string, pids: number[]): Promise<Run> {
  let n = 0
  const cpu = () => pids.reduce((sum, pid) => sum + cpuOf(pid), 0)
  const before = cpu()
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      { method: 'GET', setupRequest: (request) => ({ ...request, path: `/v1/schedules/cosine?t_initial=1000&lr=0.1&start=${n++}&count=100` }) },
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, path: '/v1/schedules', body: JSON.stringify({ scheduler: 'torch.StepLR', lr: 0.1, step_size: 30, gamma: 0.1, start: n++, count: 100 }) })
      }
    ]
  })
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`)
  return { name, rate: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, requests: result.requests.total, cpuMs: (cpu() - before) * 1000 / result.requests.total }
}

/** A process's resident memory now and at its peak (Linux), in MB. */
function memoryOf (pid: number): { rss: number, peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1])
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 }
}

async function withFleet<T> (replicas: number, workers: number, work: (fleet: Fleet) => Promise<T>): Promise<T> {
  const fleet = await startFleet({ replicas, env: { WORKERS: String(workers) }, log: () => {} })
  try {
    return await work(fleet)
  } finally {
    await fleet.stop()
  }
}

export default async function fleetBench (): Promise<void> {
  const cores = availableParallelism()
  const runs: Run[] = []
  const sizing: string[] = []
  const load = loadavg()[0]

  await withFleet(1, cores, async (fleet) => {
    const replica = fleet.replicas[0]
    const pid = replica.process!.pid!
    const idle = memoryOf(pid)
    runs.push(await measure(`1 replica, direct (WORKERS=${cores})`, `http://127.0.0.1:${replica.port}`, [pid]))
    runs.push(await measure(`nginx + 1 replica (WORKERS=${cores})`, fleet.url, fleetPids(fleet)))
    const loaded = memoryOf(pid)
    sizing.push(`| idle, after start-up | ${idle.rss.toFixed(0)} MB resident |`)
    sizing.push(`| under the load above | ${loaded.peak.toFixed(0)} MB at its peak; ${runs[0].cpuMs.toFixed(2)} ms of CPU a request (main thread and workers) |`)
    // The largest answers MAX_VALUES allows (4,000,000 values), one a worker at once, streamed.
    const big = '/v1/schedules/cosine?t_initial=4000000&lr=0.1&format='
    await Promise.all(['json', 'npy'].map(async (format) => {
      const response = await fetch(`http://127.0.0.1:${replica.port}${big}${format}`)
      if (response.status !== 200) throw new Error(`${format}: ${response.status}`)
      await response.arrayBuffer()
    }))
    sizing.push(`| after two 4,000,000-value answers at once (JSON, NPY) | ${memoryOf(pid).peak.toFixed(0)} MB at its peak |`)
  })
  const workers = Math.max(1, Math.floor(cores / 3))
  await withFleet(3, workers, async (fleet) => {
    runs.push(await measure(`nginx + 3 replicas (WORKERS=${workers} each)`, fleet.url, fleetPids(fleet)))
  })

  console.log(`${cores} cores (load average ${load.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end); autocannon in this process, ${CONNECTIONS} connections, ${SECONDS} s a setup; every request a cache miss (a GET of its own URL, a POST), 100 values of JSON each`)
  console.log('| setup | requests/s | p50 ms | p99 ms | CPU ms a request (replicas + nginx) |')
  console.log('|---|---:|---:|---:|---:|')
  for (const run of runs) console.log(`| ${run.name} | ${run.rate.toFixed(0)} | ${run.p50} | ${run.p99} | ${run.cpuMs.toFixed(2)} |`)
  console.log(`\n3 replicas / 1 replica behind nginx: ${(runs[2].rate / runs[1].rate).toFixed(2)}× the requests a second, ${(runs[2].cpuMs / runs[1].cpuMs).toFixed(2)}× the CPU a request`)
  console.log('\n| a replica | uses |')
  console.log('|---|---|')
  for (const line of sizing) console.log(line)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await fleetBench()

/**
 * timm's ImageNet recipe planned whole: train.py --sched cosine --epochs 300 --lr 0.5
 * --sched-on-updates, 5,005 updates an epoch, two param groups: 3,003,000 values. A
 * real server (a child process) answers it as NPY and as JSON, read to the last
 * byte; its resident memory is sampled every 10 ms, against the same server idle.
 *
 *     npm run bench -- plan
 */
import { readFileSync } from 'node:fs'
import { request } from 'node:http'
import { fileURLToPath } from 'node:url'
import { startServer } from './server-process.js'

const body = JSON.stringify({ sched: 'cosine', epochs: 300, updates_per_epoch: 5005, sched_on_updates: true, param_groups: [{ lr: 0.5 }, { lr: 0.5 }] })


/** The process's resident set, in MB. */
function rss (pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024
}

/** POSTs the plan in `format`, read to the last byte: the time, the bytes and the server's peak RSS. */
function plan (port: number, pid: number, format: string): Promise<{ ms: number, bytes: number, peakMB: number }> {
  return new Promise((resolve, reject) => {
    let peak = rss(pid)
    const sampler = setInterval(() => { peak = Math.max(peak, rss(pid)) }, 10)
    const started = performance.now()
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: `/v1/plans?format=${format}`, agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
      let bytes = 0
      res.on('data', (chunk: Buffer) => { bytes += chunk.length })
      res.on('end', () => {
        clearInterval(sampler)
        if (res.statusCode !== 200) reject(new Error(`${format}: ${res.statusCode}`))
        else resolve({ ms: performance.now() - started, bytes, peakMB: peak })
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}

export default async function planBench (): Promise<void> {
  const { child, port } = await startServer()
  try {
    const pid = child.pid!
    await plan(port, pid, 'npy') // warm up: workers started, code compiled
    await new Promise((resolve) => setTimeout(resolve, 500))
    const idle = rss(pid)
    console.log(`the ImageNet plan: 300 epochs × 5,005 updates × 2 param groups = 3,003,000 values; server idle at ${idle.toFixed(0)} MB`)
    console.log('| format | MB | s to the last byte | peak RSS above idle, MB |')
    console.log('|---|---:|---:|---:|')
    for (const format of ['npy', 'arrow', 'json', 'csv']) {
      const runs = []
      for (let i = 0; i < 3; i++) runs.push(await plan(port, pid, format))
      const best = runs.sort((a, b) => a.ms - b.ms)[1]
      const peak = Math.max(...runs.map((run) => run.peakMB))
      console.log(`| ${format} | ${(best.bytes / 1e6).toFixed(1)} | ${(best.ms / 1000).toFixed(2)} | ${(peak - idle).toFixed(0)} |`)
    }
    console.log('targets: NPY under 1 s and under 200 MB above idle; JSON under 300 MB above idle')
  } finally {
    child.kill('SIGTERM')
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await planBench()

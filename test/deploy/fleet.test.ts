/**
 * The fleet on real processes: nginx (deploy/nginx.conf.template) in front of three
 * replicas (node dist/server.js), under a bounded load from autocannon: a fixed rate
 * for 10 s, mixed GET and POST, to 127.0.0.1 only. A replica killed midway, and a
 * rolling restart, cost no client request; the GET cache answers repeats without
 * reaching a replica. And `npm run fleet` itself: the URL printed, a clean stop on
 * SIGTERM.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { request } from 'node:http'
import { createInterface } from 'node:readline'
import autocannon from 'autocannon'
import t, { type Test } from 'tap'
import { type Fleet, root, startFleet } from '../../scripts/fleet.js'

const RATE = 150
const SECONDS = 10
const COUNT = 100

/** A fleet of `replicas` for one test, stopped when it ends; replica and nginx lines kept for a failure's diagnosis. */
async function fleetFor (t: Test, replicas: number): Promise<Fleet & { lines: string[] }> {
  const lines: string[] = []
  const fleet = await startFleet({ replicas, log: (source, line) => { if (!line.includes('FSTDEP023') && !line.includes('--trace-warnings')) lines.push(`[${source}] ${line}`) } })
  t.teardown(async () => { await fleet.stop() })
  return Object.assign(fleet, { lines })
}

interface Load {
  /** Requests sent and answered (autocannon's count, each waited for). */
  sent: number
  ok: number
  /** Every request that did not end in a 200 with a whole, right answer: its status, error or body. */
  failed: string[]
  ms: number
}

/**
 * A bounded load at `RATE` requests a second, `SECONDS` seconds' worth and, when
 * `during` is given, more until it has finished too (for 40 s at most): in turn, a GET that misses the
 * cache (a URL of its own), a POST (never cached), and a GET of one URL (a cache hit
 * after the first). Every answer must be a 200 with all COUNT values. Sent in
 * batches of one second's requests, each answered in full before the next.
 */
async function mixedLoad (url: string, during?: () => Promise<void>): Promise<Load> {
  let n = 0
  const failed: string[] = []
  let ok = 0
  let sent = 0
  const check = (status: number, body: string) => {
    let count = -1
    try {
      count = (JSON.parse(body) as { lr: unknown[] }).lr.length
    } catch {}
    if (status === 200 && count === COUNT) ok++
    else failed.push(`${status}: ${body.slice(0, 200)}`)
  }
  const started = Date.now()
  let done = during === undefined
  const work = during?.().finally(() => { done = true })
  for (let batch = 0; (batch < SECONDS || !done) && Date.now() - started < 40_000; batch++) {
    const result = await autocannon({
      url,
      connections: 10,
      overallRate: RATE,
      amount: RATE,
      timeout: 10,
      requests: [
        {
          method: 'GET',
          setupRequest: (request) => ({ ...request, path: `/v1/schedules/cosine?t_initial=1000&lr=0.1&start=${n++}&count=${COUNT}` }),
          onResponse: check
        },
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          setupRequest: (request) => ({ ...request, path: '/v1/schedules', body: JSON.stringify({ scheduler: 'torch.StepLR', lr: 0.1, step_size: 30, gamma: 0.1, start: n++, count: COUNT }) }),
          onResponse: check
        },
        { method: 'GET', path: `/v1/schedules/transformers.linear?lr=0.1&num_warmup_steps=10&num_training_steps=1000&count=${COUNT}`, onResponse: check }
      ]
    })
    sent += result.requests.total
    for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) if (code !== '200') failed.push(`${stats.count ?? 0} × HTTP ${code}`)
    if (result.errors > 0) failed.push(`${result.errors} connection errors (${result.timeouts} timeouts)`)
  }
  await work
  return { sent, ok, failed, ms: Date.now() - started }
}

/** What nginx logged of the load: each request's status. */
function loggedStatuses (fleet: Fleet): Record<string, number> {
  const statuses: Record<string, number> = {}
  for (const line of fleet.accessLog().split('\n')) {
    const match = /"(GET|POST) \/v1\/schedules[^"]*" (\d+)/.exec(line)
    if (match !== null) statuses[match[2]] = (statuses[match[2]] ?? 0) + 1
  }
  return statuses
}

/** The access log's lines that name more than one replica: requests nginx sent to another after a failure. */
function retried (fleet: Fleet): string[] {
  return fleet.accessLog().split('\n').filter((line) => /upstream=[\d.:]+, /.test(line))
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

t.test('a replica killed (SIGKILL) midway: no client request fails', async (t) => {
  const fleet = await fleetFor(t, 3)
  const victim = fleet.replicas[1]
  let killedAt = 0
  const load = await mixedLoad(fleet.url, async () => {
    await sleep(SECONDS * 1000 / 2)
    killedAt = Date.now()
    t.equal(await fleet.signal(1, 'SIGKILL'), null, 'replica 1 is killed')
  })
  const started = Date.now() - load.ms
  t.comment(`sent ${load.sent} requests in ${load.ms} ms, replica 1 killed at ${killedAt - started} ms; ${load.ok} answered, ${load.failed.length} failed`)
  t.ok(load.sent >= RATE * SECONDS, `the whole load was sent (${load.sent})`)
  t.same(load.failed, [], 'no request failed')
  t.equal(load.ok, load.sent, 'every request answered 200 with its values')
  t.same(loggedStatuses(fleet), { 200: load.sent }, 'nginx answered each one 200')
  const retries = retried(fleet)
  t.ok(retries.length >= 1, `nginx sent requests meant for the dead replica to another (${retries.length}: ${retries[0]})`)
  t.ok(retries.every((line) => line.includes(`127.0.0.1:${victim.port}, `)), 'only those the dead replica failed')
  const log = fleet.accessLog()
  for (const replica of fleet.replicas) t.ok(log.includes(`upstream=127.0.0.1:${replica.port}`), `replica ${replica.index} was sent requests`)
  if (t.passing() === false) t.comment(fleet.lines.slice(-30).join('\n'))
})

t.test('a rolling restart (SIGTERM each replica in turn, start it again): no client request fails', async (t) => {
  const fleet = await fleetFor(t, 3)
  const restarts: string[] = []
  const load = await mixedLoad(fleet.url, async () => {
    await sleep(500)
    for (const replica of fleet.replicas) {
      const begun = Date.now()
      const code = await fleet.signal(replica.index, 'SIGTERM')
      const stopped = Date.now()
      await fleet.start(replica.index)
      restarts.push(`replica ${replica.index}: drained and exited ${code} in ${stopped - begun} ms, ready again in ${Date.now() - stopped} ms`)
      t.equal(code, 0, `replica ${replica.index} drained and exited 0`)
    }
  })
  t.comment(restarts.join('; '))
  t.comment(`sent ${load.sent} requests in ${load.ms} ms; ${load.ok} answered, ${load.failed.length} failed`)
  t.equal(restarts.length, 3, 'every replica was restarted while the load ran')
  t.ok(load.sent >= RATE * SECONDS, `the whole load was sent (${load.sent})`)
  t.same(load.failed, [], 'no request failed')
  t.equal(load.ok, load.sent, 'every request answered 200 with its values')
  t.same(loggedStatuses(fleet), { 200: load.sent }, 'nginx answered each one 200')
  if (t.passing() === false) {
    t.comment(fleet.lines.slice(-30).join('\n'))
    // The first answers that were not a replica's 200 at the first try: what nginx saw.
    t.comment(fleet.accessLog().split('\n').filter((line) => /upstream_status=(?!200 |- )/.test(line)).slice(0, 40).join('\n'))
  }
})

/** Requests each replica has answered on `route` (its /metrics, asked directly). */
async function replicaCounts (fleet: Fleet, route: string): Promise<number[]> {
  return await Promise.all(fleet.replicas.map(async (replica) => {
    const text = await (await fetch(`http://127.0.0.1:${replica.port}/metrics`)).text()
    let total = 0
    for (const line of text.split('\n')) {
      if (line.startsWith('lr_schedules_http_requests_total{') && line.includes(`route="${route}"`)) total += Number(line.slice(line.lastIndexOf(' ') + 1))
    }
    return total
  }))
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)

/** A GET with exactly these headers (fetch would add Accept and Accept-Encoding, which are part of the cache key). */
function exactly (url: string, headers: Record<string, string>): Promise<{ status: number, cache: string | undefined, type: string | undefined, etag: string | undefined, body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers, agent: false }, (response) => {
      let body = ''
      response.setEncoding('latin1')
      response.on('data', (chunk) => { body += chunk })
      response.on('end', () => resolve({
        status: response.statusCode ?? 0,
        cache: response.headers['x-cache-status'] as string | undefined,
        type: response.headers['content-type'],
        etag: response.headers.etag,
        body
      }))
    }).on('error', reject).end()
  })
}

t.test("the GET cache answers repeats without reaching a replica, per format; POSTs and errors always reach one", async (t) => {
  const fleet = await fleetFor(t, 3)
  const path = '/v1/schedules/cosine/lr?t_initial=100&lr=0.1&t=7'
  const route = '/v1/schedules/cosine/lr'
  const get = (headers: Record<string, string> = {}, url = path) => exactly(fleet.url + url, headers)

  const first = await get()
  t.match(first, { status: 200, cache: 'MISS', type: /^application\/json/ })
  const repeats = await autocannon({ url: fleet.url + path, amount: 300, connections: 4 })
  t.equal(repeats['2xx'], 300, '300 repeats answered')
  t.same(await replicaCounts(fleet, route).then(sum), 1, 'one request reached a replica: the first')
  t.equal(fleet.accessLog().split('\n').filter((line) => line.includes(' cache=HIT')).length, 300, 'nginx answered the 300 repeats from its cache')

  const csv = await get({ accept: 'text/csv' })
  t.match(csv, { status: 200, cache: 'MISS', type: /^text\/csv/ }, 'another Accept is another answer')
  t.match(await get({ accept: 'text/csv' }), { cache: 'HIT', type: /^text\/csv/, body: csv.body })
  t.match(await get(), { cache: 'HIT', type: /^application\/json/, body: first.body }, 'and the JSON answer is still cached beside it')
  t.match(await get({ 'accept-encoding': 'gzip' }), { status: 200, cache: 'MISS' }, 'another Accept-Encoding is another key')

  const conditional = await get({ 'if-none-match': first.etag! })
  t.match(conditional, { status: 304, cache: 'HIT' }, 'If-None-Match with the cached ETag: a 304 from the cache')
  t.same(await replicaCounts(fleet, route).then(sum), 3, 'the replicas saw only the three misses')

  const body = JSON.stringify({ scheduler: 'cosine', t_initial: 100, lr: 0.1, count: 3 })
  for (let i = 0; i < 2; i++) {
    const response = await fetch(fleet.url + '/v1/schedules', { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    t.equal(response.status, 200)
    t.equal(response.headers.get('x-cache-status'), null, 'a POST is never cached')
  }
  t.same(await replicaCounts(fleet, '/v1/schedules').then(sum), 2, 'both POSTs reached a replica')

  const refused = '/v1/schedules/cosine/lr?t_initial=100&lr=0.1&t=7&cycle_mul=oops'
  for (let i = 0; i < 2; i++) t.match(await get({}, refused), { status: 400, cache: 'MISS' }, 'an error answer is not kept')
})

t.test('npm run fleet -- N: prints the URL, answers through nginx, stops everything on SIGTERM', async (t) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/fleet.ts', '2'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  let stderr = ''
  child.stderr.on('data', (chunk) => { stderr += chunk })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve)
    void exited.then((code) => reject(new Error(`the fleet exited (${code}): ${stderr}`)))
  })
  t.match(url, /^http:\/\/127\.0\.0\.1:\d+$/, 'one line on stdout: the balancer\'s URL')
  const response = await fetch(`${url}/v1/schedules/cosine?t_initial=10&lr=0.1&count=3`)
  t.equal(response.status, 200)
  t.equal((await response.json() as { lr: number[] }).lr.length, 3)
  const [, ports, prefix] = /on ports ([\d, ]+), nginx in front \(pid \d+, prefix ([^)]+)\)/.exec(stderr)!
  t.equal(ports.split(', ').length, 2, 'two replicas')

  child.kill('SIGTERM')
  const code = await exited
  t.equal(code, 0, 'exit 0 after SIGTERM', { stderr: stderr.split('\n').slice(-8) })
  for (const port of [...ports.split(', '), new URL(url).port]) {
    await t.rejects(fetch(`http://127.0.0.1:${port}/healthz`), `nothing listens on ${port} any more`)
  }
  t.notOk(existsSync(prefix), 'its temporary directory is removed')
})

/**
 * The real server in a child process: it listens where PORT and HOST say, logs one
 * JSON line a request, refuses a bad setting, and shuts down without losing an
 * answer: on SIGTERM /readyz turns 503, new requests on open connections get a 503
 * problem with Connection: close, every answer already begun is written to its end
 * and the process exits 0; answers still being written when the grace period ends
 * are cut, and it exits 1.
 */
import { spawn } from 'node:child_process'
import { Agent, request } from 'node:http'
import t from 'tap'
import { root, send, startServer } from '../support/server-process.js'

t.test('one JSON log line a request', async (t) => {
  const server = await startServer()
  t.teardown(() => { if (server.child.exitCode === null) server.child.kill('SIGKILL') })
  t.equal((await send(server.port, '/healthz')).status, 200)
  t.match(await server.waitForLog((line) => line.msg === 'answered'), { level: 30, method: 'GET', url: '/healthz', status: 200 })
  server.child.kill('SIGTERM')
  t.equal(await server.exited, 0)
  t.equal(server.lines.filter((line) => line.url === '/healthz').length, 1, 'one line, not two')
})

t.test('SIGTERM with 20 big answers in flight: every one completes, then exit 0', async (t) => {
  const server = await startServer()
  t.teardown(() => { if (server.child.exitCode === null) server.child.kill('SIGKILL') })
  const url = '/v1/schedules/cosine?t_initial=200000&t_in_epochs=false&unit=update&lr=0.1'
  const answers = Array.from({ length: 20 }, () => send(server.port, url))
  // Every answer begun: the server logs nothing until an answer ends, so wait for the
  // first to end, which comes after all have been taken (they share two workers).
  await server.waitForLog((line) => line.msg === 'answered' && line.url === url)
  server.child.kill('SIGTERM')
  await server.waitForLog((line) => typeof line.msg === 'string' && line.msg.startsWith('draining'))
  const results = await Promise.all(answers)
  t.same(results.map((answer) => answer.status), Array(20).fill(200))
  t.ok(results.every((answer) => answer.complete), 'every answer arrived whole')
  t.ok(results.every((answer) => JSON.parse(answer.body.toString()).lr.length === 200000), 'every answer parses, with all its values')
  t.equal(await server.exited, 0, 'exit code 0')
  t.match(server.lines.find((line) => line.msg === 'stopped'), { cut: 0 })
})

t.test('draining: /readyz is 503 and a request on an open connection gets a 503 problem with Connection: close', async (t) => {
  const server = await startServer()
  t.teardown(() => { if (server.child.exitCode === null) server.child.kill('SIGKILL') })
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const get = (path: string) => new Promise<{ status: number, headers: Record<string, unknown>, body: string }>((resolve, reject) => {
    request({ host: '127.0.0.1', port: server.port, path, agent }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => { body += chunk })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    }).on('error', reject).end()
  })
  t.equal((await get('/readyz')).status, 200, 'ready')
  // A long answer keeps the server draining while the open connection asks again.
  const slow = send(server.port, '/v1/schedules/cosine?t_initial=300000&t_in_epochs=false&unit=update&lr=0.1&format=csv')
  await new Promise((resolve) => setTimeout(resolve, 300))
  server.child.kill('SIGTERM')
  await server.waitForLog((line) => typeof line.msg === 'string' && line.msg.startsWith('draining'))
  const ready = await get('/readyz')
  t.equal(ready.status, 503, '/readyz: not ready once draining')
  t.same(JSON.parse(ready.body), { status: 'draining' })
  t.equal((await slow).complete, true, 'the answer begun before the signal completes')
  t.equal(await server.exited, 0)
  agent.destroy()
})

t.test('draining: a new request on an open connection is a 503 problem', async (t) => {
  const server = await startServer()
  t.teardown(() => { if (server.child.exitCode === null) server.child.kill('SIGKILL') })
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const get = (path: string) => new Promise<{ status: number, headers: Record<string, unknown>, body: string }>((resolve, reject) => {
    request({ host: '127.0.0.1', port: server.port, path, agent }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => { body += chunk })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    }).on('error', reject).end()
  })
  t.equal((await get('/healthz')).status, 200)
  const slow = send(server.port, '/v1/schedules/cosine?t_initial=300000&t_in_epochs=false&unit=update&lr=0.1&format=csv')
  await new Promise((resolve) => setTimeout(resolve, 300))
  server.child.kill('SIGTERM')
  await server.waitForLog((line) => typeof line.msg === 'string' && line.msg.startsWith('draining'))
  const refused = await get('/v1/schedules/cosine?t_initial=10&lr=0.1')
  t.equal(refused.status, 503)
  t.equal(refused.headers.connection, 'close')
  t.ok(Number(refused.headers['retry-after']) > 0, 'Retry-After')
  t.match(JSON.parse(refused.body), { type: '/problems/overloaded', status: 503, detail: /shutting down/ })
  await slow
  t.equal(await server.exited, 0)
  agent.destroy()
})

t.test('answers still being written when the grace period ends are cut, and the exit code says so', async (t) => {
  const server = await startServer({ SHUTDOWN_GRACE_MS: '300' })
  t.teardown(() => { if (server.child.exitCode === null) server.child.kill('SIGKILL') })
  // A client that takes the headers and then stops reading.
  const stalled = new Promise<void>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, agent: false, path: '/v1/schedules/cosine?t_initial=1000000&t_in_epochs=false&unit=update&lr=0.1' }, (res) => {
      res.pause()
      res.on('close', () => resolve())
      resolve()
    })
    req.on('error', reject)
    req.end()
  })
  await stalled
  server.child.kill('SIGTERM')
  t.equal(await server.exited, 1, 'exit code 1: an answer was cut')
  t.match(server.lines.find((line) => line.msg === 'stopped'), { cut: 1 })
})

t.test('a bad setting stops the server with a message and exit code 1', async (t) => {
  for (const [name, value, message] of [['MAX_VALUES', 'lots', /MAX_VALUES must be a whole number/], ['WORKERS', '-1', /WORKERS must be a whole number/], ['CORS_ORIGINS', 'example.com', /CORS_ORIGINS must be \*/]] as const) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: root, env: { ...process.env, PORT: '0', [name]: value }, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => { output += chunk })
    child.stderr.on('data', (chunk) => { output += chunk })
    const code = await new Promise((resolve) => child.on('exit', resolve))
    t.equal(code, 1, name)
    t.match(output, message)
  }
})

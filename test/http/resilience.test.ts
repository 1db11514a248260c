/**
 * What no request may do to a real server (a child process, two workers): hold up the
 * others, keep computing for a client that left, run past its deadline, queue without
 * bound, pin memory for a client that stopped reading, or get an answer that is not a
 * problem from Node's own parser. Each is checked by what the server does, not by how
 * long it takes.
 */
import { request } from 'node:http'
import { connect } from 'node:net'
import t from 'tap'
import { send, startServer } from '../support/server-process.js'

/** The raw answer to raw bytes on a socket of their own. */
function raw (port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes))
    let text = ''
    socket.setEncoding('latin1')
    socket.on('data', (chunk) => { text += chunk })
    socket.on('end', () => resolve(text))
    socket.on('error', reject)
  })
}

t.test('heavy requests do not hold up the others: /healthz and a small request are answered first', async (t) => {
  const server = await startServer()
  t.teardown(() => { if (server.child.exitCode === null) server.child.kill('SIGKILL') })
  const heavy = '/v1/schedules/cosine?t_initial=2000000&t_in_epochs=false&unit=update&lr=0.1'
  const order: string[] = []
  const heavies = Array.from({ length: 4 }, (_, i) => send(server.port, heavy).then(() => { order.push(`heavy ${i}`) }))
  await new Promise((resolve) => setTimeout(resolve, 200))
  const health = send(server.port, '/healthz').then((answer) => { order.push('healthz'); return answer })
  const small = send(server.port, '/v1/schedules/step/lr?decay_t=5&lr=0.1&t=3').then((answer) => { order.push('small'); return answer })
  t.equal((await health).status, 200)
  t.equal((await small).status, 200)
  await Promise.all(heavies)
  t.same(order.slice(0, 2).sort(), ['healthz', 'small'], `answered before any of the heavy ones: ${order.join(', ')}`)
  server.child.kill('SIGTERM')
  await server.exited
})

t.test('a client that goes away stops its answer within a chunk or so', async (t) => {
  const server = await startServer()
  t.teardown(() => { if (server.child.exitCode === null) server.child.kill('SIGKILL') })
  // 4,000,000 values: 62 chunks. The client reads a little, then hangs up.
  await new Promise<void>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, agent: false, path: '/v1/schedules/cosine?t_initial=4000000&t_in_epochs=false&unit=update&lr=0.1&format=csv' }, (res) => {
      let bytes = 0
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length
        if (bytes > 100_000) {
          req.destroy()
          resolve()
        }
      })
    })
    req.on('error', () => resolve())
    req.end()
    setTimeout(() => reject(new Error('no data')), 60_000)
  })
  const stopped = await server.waitForLog((line) => line.msg === 'answer stopped before its end')
  t.equal(stopped.chunks, 62)
  t.ok(stopped.computed <= 10, `${stopped.computed} of 62 chunks were started`)
  server.child.kill('SIGTERM')
  await server.exited
})

t.test('a request past its deadline is stopped and answered with a problem', async (t) => {
  const server = await startServer({ REQUEST_DEADLINE_MS: '50' })
  t.teardown(() => { if (server.child.exitCode === null) server.child.kill('SIGKILL') })
  // A fold of 4,000,000 steps from 0 before its values: far more than 50 ms of work.
  const answer = await send(server.port, '/v1/schedules', { body: { scheduler: 'torch.CosineAnnealingLR', T_max: 1000, lr: 0.1, start: 3_999_990, count: 10 } })
  t.equal(answer.status, 503)
  t.match(JSON.parse(answer.body.toString()), { type: '/problems/deadline-exceeded', status: 503 })
  t.ok(Number(answer.headers['retry-after']) > 0, 'Retry-After')
  server.child.kill('SIGTERM')
  await server.exited
})

t.test('with every worker busy, requests queue up to MAX_QUEUE, then get 503 with Retry-After', async (t) => {
  const server = await startServer({ WORKERS: '1', MAX_QUEUE: '2' })
  t.teardown(() => { if (server.child.exitCode === null) server.child.kill('SIGKILL') })
  const heavy = (i: number) => send(server.port, `/v1/schedules/cosine?t_initial=${2_000_000 + i}&t_in_epochs=false&unit=update&lr=0.1&format=npy`)
  const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => heavy(i)))
  const statuses = answers.map((answer) => answer.status)
  t.ok(statuses.filter((status) => status === 200).length >= 3, `the worker's request and the queue's: ${statuses.join(' ')}`)
  const shed = answers.filter((answer) => answer.status === 503)
  t.ok(shed.length >= 1, 'the rest are shed')
  for (const answer of shed) {
    t.match(JSON.parse(answer.body.toString()), { type: '/problems/overloaded' })
    t.ok(Number(answer.headers['retry-after']) > 0)
  }
  t.ok(answers.filter((answer) => answer.status === 200).every((answer) => answer.complete), 'an admitted answer is never cut for load')
  server.child.kill('SIGTERM')
  await server.exited
})

t.test('a client that stops reading is dropped once nothing moves', async (t) => {
  const server = await startServer({ IDLE_TIMEOUT_MS: '500' })
  t.teardown(() => { if (server.child.exitCode === null) server.child.kill('SIGKILL') })
  const closed = new Promise<string>((resolve) => {
    const req = request({ host: '127.0.0.1', port: server.port, agent: false, path: '/v1/schedules/cosine?t_initial=4000000&t_in_epochs=false&unit=update&lr=0.1' }, (res) => {
      res.pause() // never reads
      res.on('close', () => resolve('closed'))
    })
    req.on('error', () => resolve('closed'))
    req.end()
  })
  t.equal(await closed, 'closed', 'the server closed the connection')
  const stopped = await server.waitForLog((line) => line.msg === 'answer stopped before its end')
  t.ok(stopped.computed < stopped.chunks, `${stopped.computed} of ${stopped.chunks} chunks computed before the stream was released`)
  server.child.kill('SIGTERM')
  t.equal(await server.exited, 0)
})

t.test('requests Node refuses before any route are problems too', async (t) => {
  const server = await startServer()
  t.teardown(() => { if (server.child.exitCode === null) server.child.kill('SIGKILL') })
  const longUrl = await raw(server.port, `GET /v1/schedules/cosine?lr=${'1'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`)
  t.match(longUrl, /^HTTP\/1\.1 414 /)
  t.match(longUrl, /content-type: application\/problem\+json/i)
  t.match(longUrl, /"status":414/)
  const headers = await raw(server.port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)
  t.match(headers, /^HTTP\/1\.1 431 /)
  t.match(headers, /"status":431/)
  const method = await raw(server.port, 'BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\n')
  t.match(method, /^HTTP\/1\.1 (501|400) /)
  t.match(method, /application\/problem\+json/)
  const broken = await raw(server.port, 'GET /healthz HTTP/1.1\r\nHost x\r\n\r\n')
  t.match(broken, /^HTTP\/1\.1 400 /)
  t.match(broken, /application\/problem\+json/)
  const tooLarge = await send(server.port, '/v1/schedules', { body: { scheduler: 'step', decay_t: 1, lr: 0.1, count: 1, padding: 'x'.repeat(1_100_000) } })
  t.equal(tooLarge.status, 413)
  t.match(JSON.parse(tooLarge.body.toString()), { status: 413 })
  server.child.kill('SIGTERM')
  await server.exited
})

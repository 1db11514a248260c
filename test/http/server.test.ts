/**
 * The real server in a child process: it listens where PORT and HOST say, logs JSON,
 * and on SIGTERM stops accepting connections, finishes the request in flight and
 * exits 0.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { request } from 'node:http'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const root = fileURLToPath(new URL('../../', import.meta.url))

interface Server {
  child: ChildProcess
  port: number
  /** Resolves with the first log line that matches. */
  waitForLog: (test: (line: Record<string, any>) => boolean) => Promise<Record<string, any>>
  exited: Promise<number | null>
}

async function startServer (env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const lines: Array<Record<string, any>> = []
  const waiting: Array<{ test: (line: Record<string, any>) => boolean, resolve: (line: Record<string, any>) => void }> = []
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: Record<string, any>
    try {
      line = JSON.parse(text)
    } catch {
      line = { unparsed: text }
    }
    lines.push(line)
    for (const waiter of [...waiting]) {
      if (waiter.test(line)) {
        waiting.splice(waiting.indexOf(waiter), 1)
        waiter.resolve(line)
      }
    }
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const waitForLog = (test: (line: Record<string, any>) => boolean) => new Promise<Record<string, any>>((resolve, reject) => {
    const seen = lines.find(test)
    if (seen !== undefined) return resolve(seen)
    waiting.push({ test, resolve })
    void exited.then((code) => reject(new Error(`the server exited (${code}) before the log line came; it logged ${JSON.stringify(lines).slice(0, 2000)}`)))
  })
  const listening = await waitForLog((line) => typeof line.msg === 'string' && line.msg.startsWith('Server listening at http://127.0.0.1:'))
  return { child, port: Number(/:(\d+)$/.exec(listening.msg)![1]), waitForLog, exited }
}

/** A GET on a connection of its own (no keep-alive pool). */
function getStatus (port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    }).on('error', reject).end()
  })
}

t.test('SIGTERM: no new connections, the request in flight finishes, exit 0', async (t) => {
  const server = await startServer({})
  t.teardown(() => { if (server.child.exitCode === null) server.child.kill('SIGKILL') })

  t.equal(await getStatus(server.port, '/healthz'), 200, 'the server answers')
  t.match(await server.waitForLog((line) => line.msg === 'request completed'), { level: 30, res: { statusCode: 200 } }, 'pino JSON logs')

  // A request in flight: its body is half sent when the signal comes.
  const body = JSON.stringify({ scheduler: 'step', decay_t: 5, decay_rate: 0.5, lr: 1e-4, count: 50 })
  const answer = new Promise<{ status: number, body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, agent: false, method: 'POST', path: '/v1/schedules', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => { text += chunk })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
    })
    req.on('error', reject)
    req.write(body.slice(0, 20))
    void server.waitForLog((line) => line.msg === 'closing: no new connections, finishing the requests in flight').then(async () => {
      // Closed for new connections, while the request above is still open. (A connection
      // that races the closing listener may be reset instead: try again until refused.)
      let outcome = ''
      for (let attempt = 0; attempt < 40 && outcome !== 'ECONNREFUSED'; attempt++) {
        outcome = await getStatus(server.port, '/healthz').then((status) => `answered ${status}`, (error) => error.code ?? String(error))
        if (outcome !== 'ECONNREFUSED') await new Promise((resolve) => setTimeout(resolve, 50))
      }
      t.equal(outcome, 'ECONNREFUSED', 'new connections are refused once closing')
      req.end(body.slice(20))
    })
  })
  await server.waitForLog((line) => line.msg === 'incoming request' && line.req?.url === '/v1/schedules')
  server.child.kill('SIGTERM')

  const { status, body: text } = await answer
  t.equal(status, 200, 'the request in flight is answered')
  t.equal(JSON.parse(text).lr.length, 50)
  t.equal(await server.exited, 0, 'exit code 0')
})

t.test('a bad setting stops the server with a message and exit code 1', async (t) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: root, env: { ...process.env, PORT: '0', MAX_VALUES: 'lots' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk) => { output += chunk })
  child.stderr.on('data', (chunk) => { output += chunk })
  const code = await new Promise((resolve) => child.on('exit', resolve))
  t.equal(code, 1)
  t.match(output, /MAX_VALUES must be a positive integer/)
})

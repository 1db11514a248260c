/**
 * The real server in a child process, for the tests that need one (signals,
 * sockets, timeouts): started on a free port with the settings a test gives it,
 * its JSON log lines readable as they come, and plain HTTP requests to it on
 * connections of their own.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { type IncomingMessage, request } from 'node:http'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('../../', import.meta.url))

export interface ServerProcess {
  child: ChildProcess
  port: number
  /** Every log line so far. */
  lines: Array<Record<string, any>>
  /** Resolves with the first log line that matches. */
  waitForLog: (test: (line: Record<string, any>) => boolean) => Promise<Record<string, any>>
  exited: Promise<number | null>
}

export async function startServer (env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', WORKERS: '2', ...env },
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
  return { child, port: Number(/:(\d+)$/.exec(listening.msg)![1]), lines, waitForLog, exited }
}

export interface Answer {
  status: number
  headers: IncomingMessage['headers']
  body: Buffer
  /** Whether the body arrived whole (the response ended, rather than being cut). */
  complete: boolean
}

/** A request on a connection of its own (no keep-alive pool), read to its end or its cut. */
export function send (port: number, path: string, options: { method?: string, body?: unknown, headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body)
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      agent: false,
      method: options.method ?? (payload === undefined ? 'GET' : 'POST'),
      headers: { ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}), ...options.headers }
    }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), complete: res.complete }))
      res.on('error', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), complete: false }))
      res.on('aborted', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), complete: false }))
    })
    req.on('error', reject)
    req.end(payload)
  })
}

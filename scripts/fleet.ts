/**
 * A local fleet: N replicas of the server on loopback ports and nginx in front of
 * them (deploy/nginx.conf.template), for trying the fleet on one machine and for
 * the tests.
 *
 *     npm run fleet -- 3              three replicas; prints http://127.0.0.1:PORT
 *     npm run fleet -- 3 --port 8080  the balancer on port 8080
 *
 * It builds the server first if dist/ is missing or older than src/. Each replica is
 * `node dist/server.js` with its own PORT and WORKERS = the cores shared out among
 * the replicas (at least 1); other settings come from the environment (LOG_LEVEL
 * defaults to warn here). nginx runs as an ordinary process with a prefix of its own
 * in a temporary directory (config, pid, logs, cache). The balancer's URL is the one
 * line printed on stdout; everything else goes to stderr. On SIGTERM or SIGINT nginx
 * stops gracefully (its requests in flight are answered), then every replica drains
 * (SIGTERM) and the temporary directory is removed.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('../', import.meta.url))
export const templatePath = join(root, 'deploy', 'nginx.conf.template')

export interface FleetOptions {
  /** How many replicas. */
  replicas: number
  /** The balancer's port; a free one by default. */
  port?: number
  /** Environment variables for every replica, over the fleet's own (PORT, HOST, WORKERS, LOG_LEVEL). */
  env?: Record<string, string>
  /** Where the replicas' and nginx's output lines go, each with its source. Default: stderr. */
  log?: (source: string, line: string) => void
  /** nginx's worker processes. Default 1. */
  nginxWorkers?: number
}

export interface Replica {
  index: number
  port: number
  /** The running process; undefined once stopped. */
  process: ChildProcess | undefined
}

export interface Fleet {
  /** The balancer: http://127.0.0.1:PORT */
  url: string
  /** The temporary directory of nginx's config, logs and cache. */
  prefix: string
  replicas: Replica[]
  nginx: ChildProcess
  /** Sends `signal` to replica `index` and waits for it to exit; its exit code (null when killed by a signal). */
  signal: (index: number, signal: NodeJS.Signals) => Promise<number | null>
  /** Starts replica `index` again on its port and waits until it is ready. */
  start: (index: number) => Promise<void>
  /** nginx's access log so far. */
  accessLog: () => string
  /** Stops nginx gracefully, then drains every replica still running; their exit codes. */
  stop: () => Promise<Array<number | null>>
}

/** Writes nginx's config from the template: `${NAME}` placeholders, the `${REPLICA}` line once per replica. */
export function nginxConfig (template: string, values: { prefix: string, listen: string, replicas: string[], workerProcesses: number }): string {
  const fill = (text: string) => text.replace(/\$\{([A-Z_]+)\}/g, (_match, name: string) => {
    switch (name) {
      case 'PREFIX': return values.prefix
      case 'LISTEN': return values.listen
      case 'WORKER_PROCESSES': return String(values.workerProcesses)
      case 'REPLICA': return values.replicas.join(', ')
      default: throw new Error(`${templatePath}: unknown placeholder \${${name}}`)
    }
  })
  return template.split('\n').flatMap((line) => line.includes('${REPLICA}') && !line.trim().startsWith('#')
    ? values.replicas.map((address) => line.replace('${REPLICA}', address))
    : [line]).map(fill).join('\n')
}

/** A port free on 127.0.0.1 now (the system's choice). */
export async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

function newestMtime (path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))))
}

/** Builds dist/ with tsc when it is missing or older than the sources. */
export function ensureBuilt (log: (line: string) => void = (line) => process.stderr.write(line + '\n')): void {
  const server = join(root, 'dist', 'server.js')
  const sources = Math.max(newestMtime(join(root, 'src')), statSync(join(root, 'tsconfig.build.json')).mtimeMs, statSync(join(root, 'package.json')).mtimeMs)
  if (existsSync(server) && newestMtime(join(root, 'dist')) >= sources) return
  log('building dist/ (tsc -p tsconfig.build.json)')
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' })
}

/** nginx: $NGINX, else on PATH, else Debian's /usr/sbin/nginx. */
function nginxBinary (): string {
  if (process.env.NGINX !== undefined && process.env.NGINX !== '') return process.env.NGINX
  for (const dir of (process.env.PATH ?? '').split(':').concat('/usr/sbin')) {
    if (dir !== '' && existsSync(join(dir, 'nginx'))) return join(dir, 'nginx')
  }
  throw new Error('nginx is not installed: apt-get install nginx (Debian\'s package)')
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits until GET `url` answers 200, while `alive()`; throws after `timeoutMs`. */
async function waitFor (url: string, alive: () => string | undefined, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const dead = alive()
    if (dead !== undefined) throw new Error(dead)
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) })
      await response.arrayBuffer()
      if (response.status === 200) return
    } catch {}
    if (Date.now() > deadline) throw new Error(`${url} was not ready within ${timeoutMs} ms`)
    await sleep(50)
  }
}

/** Resolves with the exit code (null after a signal), at once if the process has already exited. */
function exitOf (child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode)
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

/** Waits up to `ms` for `child` to exit; then kills it. */
async function exitWithin (child: ChildProcess, ms: number): Promise<number | null> {
  const timer = setTimeout(() => child.kill('SIGKILL'), ms)
  try {
    return await exitOf(child)
  } finally {
    clearTimeout(timer)
  }
}

function forward (child: ChildProcess, source: string, log: (source: string, line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (stream !== null) createInterface({ input: stream }).on('line', (line) => log(source, line))
  }
}

export async function startFleet (options: FleetOptions): Promise<Fleet> {
  const count = options.replicas
  if (!Number.isInteger(count) || count < 1) throw new Error(`the number of replicas must be a whole number ≥ 1; got ${count}`)
  const log = options.log ?? ((source, line) => process.stderr.write(`[${source}] ${line}\n`))
  ensureBuilt((line) => log('fleet', line))
  const workers = String(Math.max(1, Math.floor(availableParallelism() / count)))
  const prefix = mkdtempSync(join(tmpdir(), 'lr-fleet-'))
  // nginx's workers run as an unprivileged user when nginx starts as root: they
  // must reach the cache and temp directories inside.
  chmodSync(prefix, 0o755)
  mkdirSync(join(prefix, 'temp'))

  const replicas: Replica[] = []
  let stopping = false

  const startReplica = async (replica: Replica): Promise<void> => {
    const child = spawn(process.execPath, [join(root, 'dist', 'server.js')], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', WORKERS: process.env.WORKERS ?? workers, ...options.env, PORT: String(replica.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // A process group of its own: a terminal's Ctrl-C reaches only this script,
      // which stops nginx first and then drains the replicas, once each.
      detached: true
    })
    replica.process = child
    forward(child, `replica ${replica.index}`, log)
    void exitOf(child).then((code) => {
      if (replica.process === child) replica.process = undefined
      if (!stopping) log('fleet', `replica ${replica.index} (port ${replica.port}) exited: ${code ?? child.signalCode}`)
    })
    await waitFor(`http://127.0.0.1:${replica.port}/readyz`, () => child.exitCode !== null || child.signalCode !== null ? `replica ${replica.index} exited (${child.exitCode ?? child.signalCode}) before it was ready` : undefined)
  }

  let nginx: ChildProcess | undefined
  const cleanUp = async (): Promise<Array<number | null>> => {
    stopping = true
    if (nginx !== undefined) {
      // Graceful: no new connections, the requests in flight answered.
      nginx.kill('SIGQUIT')
      await exitWithin(nginx, 15_000)
    }
    // Each drains: the answers it has begun are finished (SHUTDOWN_GRACE_MS).
    const codes = await Promise.all(replicas.filter((replica) => replica.process !== undefined).map(async (replica) => {
      const child = replica.process!
      child.kill('SIGTERM')
      return await exitWithin(child, 35_000)
    }))
    rmSync(prefix, { recursive: true, force: true })
    return codes
  }

  try {
    for (let index = 0; index < count; index++) {
      replicas.push({ index, port: await freePort(), process: undefined })
    }
    await Promise.all(replicas.map(startReplica))

    const port = options.port ?? await freePort()
    const config = nginxConfig(readFileSync(templatePath, 'utf8'), {
      prefix,
      listen: `127.0.0.1:${port}`,
      replicas: replicas.map((replica) => `127.0.0.1:${replica.port}`),
      workerProcesses: options.nginxWorkers ?? 1
    })
    writeFileSync(join(prefix, 'nginx.conf'), config)
    const binary = nginxBinary()
    const args = ['-p', prefix + '/', '-c', join(prefix, 'nginx.conf'), '-g', 'daemon off;']
    execFileSync(binary, ['-t', '-q', ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
    nginx = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    forward(nginx, 'nginx', log)
    const started = nginx
    const url = `http://127.0.0.1:${port}`
    await waitFor(`${url}/readyz`, () => {
      if (started.exitCode === null && started.signalCode === null) return undefined
      const errors = existsSync(join(prefix, 'error.log')) ? readFileSync(join(prefix, 'error.log'), 'utf8') : ''
      return `nginx exited (${started.exitCode ?? started.signalCode}): ${errors.trim().split('\n').slice(-5).join('\n')}`
    })
    void exitOf(nginx).then((code) => { if (!stopping) log('fleet', `nginx exited: ${code ?? started.signalCode}`) })

    return {
      url,
      prefix,
      replicas,
      nginx,
      signal: async (index, signal) => {
        const child = replicas[index].process
        if (child === undefined) throw new Error(`replica ${index} is not running`)
        child.kill(signal)
        return await exitOf(child)
      },
      start: async (index) => {
        if (replicas[index].process !== undefined) throw new Error(`replica ${index} is running`)
        await startReplica(replicas[index])
      },
      accessLog: () => existsSync(join(prefix, 'access.log')) ? readFileSync(join(prefix, 'access.log'), 'utf8') : '',
      stop: cleanUp
    }
  } catch (error) {
    await cleanUp()
    throw error
  }
}

/** `npm run fleet -- N [--port P]` */
async function main (argv: string[]): Promise<void> {
  let replicas = 3
  let port: number | undefined
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port') port = Number(argv[++i])
    else if (/^\d+$/.test(argv[i])) replicas = Number(argv[i])
    else {
      process.stderr.write(`usage: npm run fleet -- [replicas] [--port PORT]; got ${JSON.stringify(argv[i])}\n`)
      process.exit(2)
    }
  }
  const fleet = await startFleet({ replicas, port })
  process.stderr.write(`[fleet] ${replicas} replica${replicas === 1 ? '' : 's'} on ports ${fleet.replicas.map((replica) => replica.port).join(', ')}, nginx in front (pid ${fleet.nginx.pid}, prefix ${fleet.prefix}); SIGINT or SIGTERM stops them\n`)
  process.stdout.write(fleet.url + '\n')
  let stopping = false
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return
      stopping = true
      process.stderr.write(`[fleet] ${signal}: stopping nginx, then draining the replicas\n`)
      fleet.stop().then((codes) => {
        const clean = codes.every((code) => code === 0)
        process.stderr.write(`[fleet] stopped${clean ? '' : ` (replica exit codes: ${codes.join(', ')})`}\n`)
        process.exit(clean ? 0 : 1)
      }, (error: unknown) => {
        process.stderr.write(`[fleet] could not stop cleanly: ${String(error)}\n`)
        process.exit(1)
      })
    })
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`[fleet] could not start: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  })
}

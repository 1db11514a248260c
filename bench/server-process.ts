/**
 * A real server process for the benches that measure one from outside: `src/server.ts`
 * with `env` over the bench's environment, on a port of its own; resolves once it
 * listens (its log line at LOG_LEVEL info).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../', import.meta.url))

export async function startServer (env: Record<string, string> = {}): Promise<{ child: ChildProcess, port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const port = await new Promise<number>((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`the server exited (${code})`)))
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(line)
      if (match !== null) resolve(Number(match[1]))
    })
  })
  return { child, port }
}

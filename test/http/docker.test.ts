/**
 * The Dockerfile, without a Docker engine: dockerfilelint, the shape of its stages,
 * and the runtime stage's own steps run in a temporary directory: its COPY lines,
 * its RUN (npm ci --omit=dev), its ENV and CMD, then its HEALTHCHECK against the
 * running server, the API and the playground page it serves, and SIGTERM.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import t from 'tap'

const root = fileURLToPath(new URL('../../', import.meta.url))
const run = promisify(execFile)

interface Instruction { keyword: string, args: string }

/** The Dockerfile's instructions, by stage (comments dropped, continuations joined). */
function stages (text: string): Array<{ name: string, instructions: Instruction[] }> {
  const result: Array<{ name: string, instructions: Instruction[] }> = []
  for (const line of text.replace(/\\\n/g, ' ').split('\n')) {
    const match = /^\s*([A-Z]+)\s+(.*)$/.exec(line)
    if (match === null || line.trim().startsWith('#')) continue
    const [, keyword, args] = match
    if (keyword === 'FROM') result.push({ name: /\bAS\s+(\S+)/i.exec(args)?.[1] ?? '', instructions: [] })
    result[result.length - 1].instructions.push({ keyword, args: args.trim() })
  }
  return result
}

const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8')
const [build, runtime] = stages(dockerfile)
const all = (keyword: string) => runtime.instructions.filter((instruction) => instruction.keyword === keyword)

t.test('dockerfilelint finds nothing', async (t) => {
  const { stdout } = await run(process.execPath, [join(root, 'node_modules/dockerfilelint/bin/dockerfilelint'), '-j', join(root, 'Dockerfile')])
  const report = JSON.parse(stdout)
  t.equal(report.totalIssues, 0, JSON.stringify(report.files?.[0]?.issues ?? report))
})

t.test('two stages: build with dev dependencies, a runtime with production ones as a non-root user', async (t) => {
  t.equal(build.name, 'build')
  t.match(build.instructions.map((i) => `${i.keyword} ${i.args}`).join('\n'), /RUN npm ci[^\n]*\n(?:.*\n)*RUN npm run build/)
  t.equal(runtime.name, 'runtime', 'the last stage is the runtime')
  t.match(all('RUN').map((i) => i.args).join('\n'), /npm ci --omit=dev/)
  t.notMatch(runtime.instructions.map((i) => i.args).join('\n'), /npm run build|tsc/, 'no compiler in the runtime')
  t.match(all('USER')[0]?.args, /^(?!root$|0$)\S+$/, 'a non-root user')
  t.match(all('ENV').map((i) => i.args).join(' '), /\bHOST=0\.0\.0\.0\b/)
  t.same(all('EXPOSE').map((i) => i.args), ['3000'])
  t.match(all('HEALTHCHECK')[0]?.args, /CMD \[.*\/healthz/)
  t.same(JSON.parse(all('CMD')[0].args), ['node', 'dist/server.js'])
})

/** A free TCP port on this machine. */
async function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    }).on('error', reject)
  })
}

t.test("the runtime stage's steps, outside a container", async (t) => {
  const context = mkdtempSync(join(tmpdir(), 'lr-schedules-image-'))
  t.teardown(() => rmSync(context, { recursive: true, force: true }))
  const built = join(context, 'build')
  const app = join(context, 'app')

  // The build stage's product, compiled from this checkout.
  await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', join(built, 'dist')])

  const env: Record<string, string> = {}
  let workdir = ''
  for (const { keyword, args } of runtime.instructions) {
    if (keyword === 'ENV') {
      for (const [, key, value] of args.matchAll(/(\w+)=(\S+)/g)) env[key] = value
    } else if (keyword === 'WORKDIR') {
      workdir = join(app, args)
    } else if (keyword === 'COPY') {
      const from = /--from=(\S+)/.exec(args)?.[1]
      const sources = args.replace(/--\S+/g, '').trim().split(/\s+/)
      const target = sources.pop()!
      for (const source of sources) {
        // From the context (this checkout), or from the build stage's /app.
        const origin = from === undefined ? join(root, source) : join(built, source.replace(/^\/app\//, ''))
        cpSync(origin, target.endsWith('/') ? join(workdir, target, basename(source)) : join(workdir, target), { recursive: true })
      }
    } else if (keyword === 'RUN') {
      // npm's cache first: the CI machine has just run npm ci for the tests.
      await run('sh', ['-c', args], { cwd: workdir, env: { ...process.env, npm_config_prefer_offline: 'true' }, maxBuffer: 1 << 24 })
    }
  }
  const devDependencies = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies)
  const installed = (await run('npm', ['ls', '--omit=dev', '--depth=0', '--json'], { cwd: workdir })).stdout
  t.same(devDependencies.filter((name) => installed.includes(`"${name}"`)), [], 'no dev dependency in the image')

  const port = String(await freePort())
  const [command, ...commandArgs] = JSON.parse(all('CMD')[0].args)
  const server: ChildProcess = spawn(command === 'node' ? process.execPath : command, commandArgs, {
    cwd: workdir,
    env: { PATH: process.env.PATH, ...env, PORT: port },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  t.teardown(() => { if (server.exitCode === null) server.kill('SIGKILL') })
  const exited = new Promise((resolve) => server.on('exit', resolve))
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: server.stdout! }).on('line', (line) => { if (line.includes('Server listening at')) resolve() })
    void exited.then((code) => reject(new Error(`the server exited with ${code}`)))
  })

  const healthcheck = JSON.parse(all('HEALTHCHECK')[0].args.replace(/^.*?CMD\s+/, ''))
  const probe = await run(healthcheck[0] === 'node' ? process.execPath : healthcheck[0], healthcheck.slice(1), { env: { ...env, PORT: port } }).then(() => 0, (error) => error.code)
  t.equal(probe, 0, 'the HEALTHCHECK passes against the server')
  const answer = await fetch(`http://127.0.0.1:${port}/v1/schedules/step?decay_t=5&decay_rate=0.5&lr=1e-4&count=6`)
  t.same((await answer.json()).lr, [0.0001, 0.0001, 0.0001, 0.0001, 0.0001, 0.00005])
  const page = await fetch(`http://127.0.0.1:${port}/`)
  t.equal(page.status, 200, 'the playground at /, from the image\'s public/')
  t.match(page.headers.get('content-type'), /^text\/html/)
  t.match(await page.text(), /<script type="module" src="playground\.js">/)
  const script = await fetch(`http://127.0.0.1:${port}/playground.js`)
  t.equal(script.status, 200)
  t.match(script.headers.get('content-type'), /javascript/)
  t.match(await script.text(), /^\/\/ The playground/)

  server.kill('SIGTERM')
  t.equal(await exited, 0, 'SIGTERM: exit 0')
})

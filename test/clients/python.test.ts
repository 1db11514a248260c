/**
 * The Python client's own suite (clients/python/tests, unittest): it starts a real
 * server and drives the drop-in timm, torch and transformers classes through every
 * golden vector of ../shared/fixtures. Run twice: with NumPy (Debian's
 * /usr/bin/python3, whose python3-torch also runs the fixtures on torch.optim.SGD),
 * where windows of values travel as NPY, and without it, where they travel as JSON.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const repo = fileURLToPath(new URL('../../', import.meta.url))

t.setTimeout(20 * 60_000)

/** The interpreter a command name runs, or null where there is none. */
function interpreter (command: string): string | null {
  const found = spawnSync(command, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' })
  return found.status === 0 ? found.stdout.trim() : null
}

function hasModule (python: string, module: string): boolean {
  return spawnSync(python, ['-c', `import ${module}`]).status === 0
}

const debian = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : null
const onPath = interpreter('python3')
const withNumpy = [debian, onPath].find((python): python is string => python !== null && hasModule(python, 'numpy')) ?? null
const withoutNumpy = onPath ?? debian

interface Run { name: string, python: string | null, args: string[] }
const runs: Run[] = [
  { name: 'with NumPy (NPY windows)', python: withNumpy, args: ['-m', 'unittest', 'discover', '-v', '-s', 'clients/python/tests'] },
  { name: 'without NumPy (JSON windows)', python: withoutNumpy, args: ['clients/python/tests/run_without_numpy.py'] }
]

for (const run of runs) {
  const skip = run.python !== null ? false : run === runs[0] ? 'no python3 with NumPy here (apt-get install python3-numpy)' : 'no python3 here'
  t.test(`the Python client's tests, ${run.name}`, { skip }, async (t) => {
    if (run.python === null) return
    const started = Date.now()
    const result = spawnSync(run.python, run.args, { cwd: repo, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' }, maxBuffer: 64 << 20 })
    const output = `${result.stdout}${result.stderr}`
    const ran = /^Ran (\d+) tests? in/m.exec(output)
    const skipped = /skipped=(\d+)/.exec(output)
    t.comment(`${run.python}: ${ran?.[1] ?? '?'} tests, ${skipped?.[1] ?? 0} skipped, ${((Date.now() - started) / 1000).toFixed(1)} s`)
    const tally = /values compared through the client[^\n]*\n((?: {2}[^\n]*\n?)*)/.exec(output)
    for (const line of (tally?.[0] ?? '').trim().split('\n')) t.comment(line.trim())
    for (const line of output.split('\n').filter((line) => /^skipped|skipped '/.test(line))) t.comment(line.trim())
    t.equal(result.status, 0, `python -m unittest passes${result.status === 0 ? '' : `:\n${output.slice(-6000)}`}`)
    t.ok(ran !== null && Number(ran[1]) > 0, 'ran the tests')
  })
}

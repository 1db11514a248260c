/**
 * The engine on 1,000,000-value schedules: time with the engine's correctly rounded
 * math against the same engine code with V8's Math.* (a child process whose math
 * seam resolves to bench/baseline/math.ts), and the memory a request takes beyond
 * its output.
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

function run (options: { baseline?: boolean, memory?: boolean } = {}): any {
  const args = [
    '--expose-gc', '--import', 'tsx',
    ...(options.baseline === true ? ['--import', here('./baseline/hooks.mjs')] : []),
    here('./engine-run.ts'),
    ...(options.memory === true ? ['memory'] : [])
  ]
  return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8' }))
}

export default function engineBench (): void {
  const ours: Record<string, number> = run()
  const baseline: Record<string, number> = run({ baseline: true })
  const rows = Object.keys(ours).map((name) => ({
    workload: name,
    'engine ms': ours[name].toFixed(1),
    'Math.* ms': baseline[name].toFixed(1),
    'engine/Math.*': (ours[name] / baseline[name]).toFixed(2)
  }))
  console.table(rows)
  const memory = run({ memory: true })
  console.log(`memory: a 1,000,000-value noisy cosine answers ${memory.outputMB.toFixed(1)} MB of output; beyond it the engine peaks at ${memory.peakMB.toFixed(2)} MB (garbage included) and retains ${memory.retainedMB.toFixed(2)} MB`)
}

if (process.argv[1]?.endsWith('engine.bench.ts')) engineBench()

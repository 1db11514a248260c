/**
 * The engine on 1,000,000-value schedules, three ways, each in a child process:
 *
 * - time per workload with the engine's correctly rounded math, against the same
 *   engine code with V8's Math.* (a child whose math seam resolves to
 *   bench/baseline/math.ts);
 * - the issue's two ratios, each side measured in turns in one process: the
 *   per-update cosine against a tight loop of the engine's own cos over the same
 *   angles (target: at most 1.5), and the cosine with normal noise at every step
 *   against the serial reseeding loop from before (bench/serial-noise.ts; target:
 *   at least 2.5 times faster); each pair is checked to give the same bits first;
 * - the memory a noisy 1M cosine takes beyond its output.
 *
 *     npm run bench -- engine
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Ratio } from './engine-run.js'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

function run (mode: 'times' | 'ratios' | 'memory', options: { baseline?: boolean } = {}): any {
  const args = [
    '--expose-gc', '--import', 'tsx',
    ...(options.baseline === true ? ['--import', here('./baseline/hooks.mjs')] : []),
    here('./engine-run.ts'),
    mode
  ]
  return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 }))
}

const fixed = (ms: number): string => ms.toFixed(1)

export default function engineBench (): void {
  const ours: Record<string, number> = run('times')
  const baseline: Record<string, number> = run('times', { baseline: true })
  console.log('Time per workload, best of 5 (ms): the engine, and the same code on V8\'s Math.*')
  console.table(Object.keys(ours).map((name) => ({
    workload: name,
    'engine ms': fixed(ours[name]),
    'Math.* ms': fixed(baseline[name]),
    'engine/Math.*': (ours[name] / baseline[name]).toFixed(2)
  })))

  const [cosine, noisy]: Ratio[] = run('ratios')
  console.log('The issue\'s ratios, each pair measured in turns in one process, best of 7 (same bits checked first)')
  console.table([
    { measure: cosine.measure, 'ms': fixed(cosine.ms), baseline: cosine.baseline, 'baseline ms': fixed(cosine.baselineMs), ratio: `${(cosine.ms / cosine.baselineMs).toFixed(2)}× the loop`, target: '≤ 1.5×' },
    { measure: noisy.measure, 'ms': fixed(noisy.ms), baseline: noisy.baseline, 'baseline ms': fixed(noisy.baselineMs), ratio: `${(noisy.baselineMs / noisy.ms).toFixed(2)}× faster`, target: '≥ 2.5×' }
  ])

  const memory = run('memory')
  console.log(`memory: a 1,000,000-value noisy cosine answers ${memory.outputMB.toFixed(1)} MB of output; beyond it the engine peaks at ${memory.peakMB.toFixed(2)} MB (garbage included) and retains ${memory.retainedMB.toFixed(2)} MB`)
}

if (process.argv[1]?.endsWith('engine.bench.ts')) engineBench()

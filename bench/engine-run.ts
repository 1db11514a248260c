/**
 * One run of the engine bench's workloads, printed as JSON: milliseconds (best of
 * several) per workload. `engine.bench.ts` runs it twice, with the engine's math and
 * with V8's, so both use the very same engine code.
 */
import { evaluateSchedule, parametersSchema, periodicSchedulers, type PeriodicScheduler } from '../src/schedules/index.js'

export const workloads: Record<string, { scheduler: keyof typeof periodicSchedulers, kwargs: Record<string, unknown>, unit?: 'epoch' | 'update' }> = {
  'cosine, 1e6 values': { scheduler: 'cosine', kwargs: { t_initial: 1_000_000 } },
  'cosine k_decay + cycle_mul, 1e6': { scheduler: 'cosine', kwargs: { t_initial: 100_000, cycle_mul: 2, cycle_limit: 4, k_decay: 1.5 } },
  'tanh, 1e6 values': { scheduler: 'tanh', kwargs: { t_initial: 1_000_000 } },
  'poly, 1e6 values': { scheduler: 'poly', kwargs: { t_initial: 1_000_000, power: 0.9 } },
  'step, 1e6 values': { scheduler: 'step', kwargs: { decay_t: 1000, decay_rate: 0.99 } },
  'cosine + normal noise, 1e6': { scheduler: 'cosine', kwargs: { t_initial: 1_000_000, noise_range_t: 0 } }
}

export function runWorkloads (repeats = 5): Record<string, number> {
  const times: Record<string, number> = {}
  for (const [name, workload] of Object.entries(workloads)) {
    const scheduler: PeriodicScheduler<any> = periodicSchedulers[workload.scheduler]
    const params = parametersSchema(scheduler).parse(workload.kwargs)
    let best = Infinity
    for (let i = 0; i < repeats; i++) {
      const start = process.hrtime.bigint()
      evaluateSchedule(scheduler, params, [{ lr: 0.1 }], { unit: workload.unit ?? 'epoch', start: 0, count: 1_000_000, view: 'lr' })
      best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6)
    }
    times[name] = best
  }
  return times
}

/**
 * What a 1,000,000-value noisy cosine allocates beyond its output, with a collection
 * before and after (run with --expose-gc), so garbage does not count.
 */
export function memoryBeyondOutput (): { outputMB: number, retainedMB: number, peakMB: number } {
  const scheduler: PeriodicScheduler<any> = periodicSchedulers.cosine
  const params = parametersSchema(scheduler).parse({ t_initial: 1_000_000, noise_range_t: 0 })
  const gc = globalThis.gc ?? (() => {})
  gc()
  const used = () => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers }
  const before = used()
  const answer = evaluateSchedule(scheduler, params, [{ lr: 0.1 }], { unit: 'epoch', start: 0, count: 1_000_000, view: 'lr' })
  const peak = used()
  gc()
  const after = used()
  const output = answer.values[0]!.byteLength
  return { outputMB: output / 1e6, retainedMB: (after - before - output) / 1e6, peakMB: (peak - before - output) / 1e6 }
}

if (process.argv[1]?.endsWith('engine-run.ts')) {
  console.log(JSON.stringify(process.argv[2] === 'memory' ? memoryBeyondOutput() : runWorkloads()))
}

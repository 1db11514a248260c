import { readFileSync } from 'node:fs'
import t from 'tap'
import { isNoiseApplied, noiseAt, type NoiseConfig } from '../../src/schedules/timm/noise.js'
import { TorchGenerator, torchSeed32 } from '../../src/noise/torch-random.js'

// The golden vectors live beside the checkout (<repo>/../shared), never inside it.
const FIXTURES = new URL('../../../shared/fixtures/timm.json', import.meta.url)

interface ScheduleCase {
  id: string
  kind: 'schedule'
  kwargs: Record<string, unknown>
  t_count: number
  expected: { error?: string, raw?: (number[] | null)[], noisy?: (number[] | null)[] }
}

const fixtures = JSON.parse(readFileSync(FIXTURES, 'utf8')) as { cases: { kind: string }[] }
const cases = fixtures.cases.filter((c): c is ScheduleCase => c.kind === 'schedule')
  .filter(c => c.expected.error === undefined && c.kwargs.noise_range_t != null)

// timm's Scheduler defaults.
const configOf = (kwargs: Record<string, unknown>): NoiseConfig => ({
  noise_range_t: kwargs.noise_range_t as NoiseConfig['noise_range_t'],
  noise_type: (kwargs.noise_type ?? 'normal') as NoiseConfig['noise_type'],
  noise_pct: (kwargs.noise_pct ?? 0.67) as number,
  noise_seed: (kwargs.noise_seed ?? 42) as number
})

t.test('golden vectors: noisy = raw + raw * noiseAt(t), bit for bit', async t => {
  let steps = 0
  let exact = 0
  let rejectedFirst = 0
  const mismatches: string[] = []
  const g = new TorchGenerator(0)
  for (const c of cases) {
    const config = configOf(c.kwargs)
    for (let step = 0; step < c.t_count; step++) {
      const raw = c.expected.raw?.[step]
      const noisy = c.expected.noisy?.[step]
      if (raw == null || noisy == null) continue
      if (!isNoiseApplied(config.noise_range_t, step)) {
        if (raw.some((v, i) => v !== noisy[i])) mismatches.push(`${c.id} t=${step}: noise outside the range`)
        continue
      }
      // raw 0 stays 0 whatever the noise: nothing to recover there.
      if (raw[0] === 0) continue
      steps++
      const noise = noiseAt(config, step)
      if (raw.every((v, i) => v + v * noise === noisy[i])) exact++
      else mismatches.push(`${c.id} t=${step}: noise ${noise}, raw ${raw}, noisy ${noisy}`)
      if (config.noise_type === 'normal') {
        g.reseed(torchSeed32(config.noise_seed, step))
        if (Math.abs(g.randn()) >= config.noise_pct) rejectedFirst++
      }
    }
  }
  t.comment(`${cases.length} noisy cases, ${exact}/${steps} noisy steps exact ` +
    `(${(100 * exact / steps).toFixed(2)}%); ${rejectedFirst} of them rejected the first normal draw`)
  t.ok(steps > 1000, 'the fixtures exercise the noise')
  t.ok(rejectedFirst > 100, 'the fixtures exercise rejected draws')
  t.same(mismatches.slice(0, 20), [], 'no mismatch')
  t.equal(exact, steps, 'every recoverable step matches exactly')
})

/**
 * The engine's noise as it was before the generators were seeded in blocks: at every
 * noisy step, one generator reseeded with `noise_seed + t` and drawn from. That is
 * `noiseAt` (src/schedules/timm/noise.ts), which the engine still calls for a step
 * whose draws outrun its block; the engine bench's baseline calls it at every step
 * and checks that it gives the engine's bits.
 */
import { isNoiseApplied, noiseAt, type NoiseConfig } from '../src/schedules/timm/noise.js'

/** The noise loop of `timmSchedule`'s fill as it was: rows of `groups` raw values, steps `from .. to - 1`. */
export function applySerialNoise (config: NoiseConfig, from: number, to: number, out: Float64Array, groups: number): void {
  for (let t = from, i = 0; t < to; t++, i += groups) {
    if (!isNoiseApplied(config.noise_range_t, t)) continue
    const noise = noiseAt(config, t)
    for (let g = i; g < i + groups; g++) out[g] = out[g] + out[g] * noise
  }
}

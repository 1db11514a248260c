/**
 * timm's linear warmup, written once. timm pastes the same block into every
 * scheduler; the copies differ in two places, reproduced here as options:
 * tanh without `warmup_prefix` warms toward the schedule's value at `warmup_t`, not
 * toward the base LR, and plateau keeps warming up while `t <= warmup_t`.
 */
import type { WarmupParams } from './params.js'
import type { LrFill } from './base.js'

/**
 * The per-group increment, `(target - warmup_lr_init) / warmup_t`, as timm's
 * constructors compute `warmup_steps`.
 */
export function warmupSteps (targets: readonly number[], warmup: WarmupParams): number[] {
  return targets.map((v) => (v - warmup.warmup_lr_init) / warmup.warmup_t)
}

/**
 * `lr(t) = warmup_lr_init + t * step[g]` while `t < warmup_t`, then `decay(t')`,
 * where `t' = t - warmup_t` with `warmup_prefix` and `t' = t` without
 * (timm's `_get_lr` preamble, common to step, multistep, cosine, tanh and poly).
 * A window is split where the warmup ends: its warmup steps, then one call of
 * `decay` for the rest.
 *
 * `targets` are what the warmup climbs to: the base LRs, except for tanh without
 * `warmup_prefix` (see tanh.ts).
 */
export function withWarmup (decay: LrFill, targets: readonly number[], warmup: WarmupParams): LrFill {
  const { warmup_t: warmupT, warmup_lr_init: warmupLrInit, warmup_prefix: prefix } = warmup
  if (warmupT === 0) return decay
  const steps = warmupSteps(targets, warmup)
  const n = steps.length
  return (from, to, out, offset) => {
    let t = from
    let i = offset
    for (; t < to && t < warmupT; t++, i += n) {
      for (let g = 0; g < n; g++) out[i + g] = warmupLrInit + t * steps[g]
    }
    if (t < to) decay(prefix ? t - warmupT : t, prefix ? to - warmupT : to, out, i)
  }
}

/**
 * The LR each group holds once the constructor has run: `warmup_lr_init` when there
 * is a warmup, else the base LR, times the group's `lr_scale` where it has one
 * (timm's `update_groups` in `Scheduler.__init__` and again in each constructor).
 */
export function constructorValues (
  groups: readonly { lr_scale?: number | undefined }[],
  baseValues: readonly number[],
  warmup: { warmup_t: number, warmup_lr_init: number }
): number[] {
  return groups.map((group, g) => {
    const value = warmup.warmup_t !== 0 ? warmup.warmup_lr_init : baseValues[g]
    return group.lr_scale === undefined ? value : value * group.lr_scale
  })
}

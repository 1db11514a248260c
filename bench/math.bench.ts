/**
 * The correctly rounded functions of src/math against Math.* on the same inputs in the
 * same run: ns per call, calls per second, and the ratio ours/Math (time). Inputs follow the ranges the schedules use.
 * Each loop is its own function literal so that V8 keeps its call site monomorphic.
 * Every loop runs once to warm up, then the best of five runs is reported.
 *
 * The subnormal rows: results below 2^-1022, which the fast paths round on the grid of
 * the subnormals.
 *
 * Last line: a 1,000,000-value cosine schedule (1 cos + 2 pow per value, as
 * timm's CosineLRScheduler with cycle_mul and cycle_decay), ours against Math.*.
 */
import { exp } from '../src/math/exp.js'
import { log, log1p } from '../src/math/log.js'
import { pow } from '../src/math/pow.js'
import { tanh } from '../src/math/tanh.js'
import { cos, sin } from '../src/math/trig.js'

const N = 1_000_000

/** A fixed-seed uniform generator (xorshift64*), so every run sees the same inputs. */
function uniform(seed: number): () => number {
  let s = BigInt(seed) | 1n
  return () => {
    s ^= s >> 12n
    s ^= (s << 25n) & 0xffffffffffffffffn
    s ^= s >> 27n
    return Number(((s * 0x2545f4914f6cdd1dn) & 0xffffffffffffffffn) >> 11n) / 2 ** 53
  }
}

function fill(seed: number, f: (u: number, i: number) => number): Float64Array {
  const u = uniform(seed)
  const a = new Float64Array(N)
  for (let i = 0; i < N; i++) a[i] = f(u(), i)
  return a
}

const angles = fill(1, (u, i) => (i % 2 === 0 ? 2 * Math.PI * u : Math.PI * u))
const exps = fill(2, (u) => 40 * u - 20)
const logs = fill(3, (u, i) => (i % 2 === 0 ? 10 * u : 1 + (u - 0.5) / 64))
const log1ps = fill(4, (u) => -u)
const tanhs = fill(5, (u) => 40 * u - 20)
const bases = fill(6, (u, i) => (i % 3 === 0 ? 0.1 + 0.89 * u : i % 3 === 1 ? 1e7 * u : 100 * u))
const exponents = fill(7, (u, i) => (i % 3 === 0 ? Math.floor(1000 * u) : i % 3 === 1 ? 0.1 + 9.9 * u : 20 * u - 10))
// Results below 2^-1022: decay_rate ** k with k in the subnormal range, and e^x for x in
// (−745.2, −708]. These used to take the exact slow path on every call.
const tinyBases = fill(8, (u) => 0.05 + 0.949 * u)
const tinyExponents = fill(9, (u, i) => Math.round((708.4 + 36.7 * u) / -Math.log(tinyBases[i])))
const tinyExps = fill(10, (u) => -745.2 + 37.2 * u)

type Loop = () => number

function best(loop: Loop): number {
  loop()
  let min = Infinity
  for (let k = 0; k < 5; k++) {
    const t0 = process.hrtime.bigint()
    loop()
    min = Math.min(min, Number(process.hrtime.bigint() - t0))
  }
  return min / N
}

const cases: Array<[string, Loop, Loop]> = [
  ['cos', () => { let s = 0; for (let i = 0; i < N; i++) s += cos(angles[i]); return s },
    () => { let s = 0; for (let i = 0; i < N; i++) s += Math.cos(angles[i]); return s }],
  ['sin', () => { let s = 0; for (let i = 0; i < N; i++) s += sin(angles[i]); return s },
    () => { let s = 0; for (let i = 0; i < N; i++) s += Math.sin(angles[i]); return s }],
  ['exp', () => { let s = 0; for (let i = 0; i < N; i++) s += exp(exps[i]); return s },
    () => { let s = 0; for (let i = 0; i < N; i++) s += Math.exp(exps[i]); return s }],
  ['log', () => { let s = 0; for (let i = 0; i < N; i++) s += log(logs[i]); return s },
    () => { let s = 0; for (let i = 0; i < N; i++) s += Math.log(logs[i]); return s }],
  ['log1p', () => { let s = 0; for (let i = 0; i < N; i++) s += log1p(log1ps[i]); return s },
    () => { let s = 0; for (let i = 0; i < N; i++) s += Math.log1p(log1ps[i]); return s }],
  ['tanh', () => { let s = 0; for (let i = 0; i < N; i++) s += tanh(tanhs[i]); return s },
    () => { let s = 0; for (let i = 0; i < N; i++) s += Math.tanh(tanhs[i]); return s }],
  ['pow', () => { let s = 0; for (let i = 0; i < N; i++) s += pow(bases[i], exponents[i]); return s },
    () => { let s = 0; for (let i = 0; i < N; i++) s += Math.pow(bases[i], exponents[i]); return s }],
  ['exp (subnormal results)', () => { let s = 0; for (let i = 0; i < N; i++) s += exp(tinyExps[i]); return s },
    () => { let s = 0; for (let i = 0; i < N; i++) s += Math.exp(tinyExps[i]); return s }],
  ['pow (subnormal results)', () => { let s = 0; for (let i = 0; i < N; i++) s += pow(tinyBases[i], tinyExponents[i]); return s },
    () => { let s = 0; for (let i = 0; i < N; i++) s += Math.pow(tinyBases[i], tinyExponents[i]); return s }],
]

/** lr(t) of a cosine schedule with cycle_mul 1.5 and cycle_decay 0.9 (one cycle per 1000 steps). */
function cosineSchedule(c: (x: number) => number, p: (x: number, y: number) => number): number {
  let s = 0
  for (let t = 0; t < N; t++) {
    const i = Math.floor(t / 1000) % 40
    const gamma = p(0.9, i)
    const length = 1000 * p(1.5, i)
    s += 1e-5 + 0.5 * (0.1 * gamma - 1e-5) * (1 + c((Math.PI * (t % 1000)) / length))
  }
  return s
}

export default function run(): void {
  const rows = cases.map(([name, ours, math]) => {
    const a = best(ours)
    const b = best(math)
    return { fn: name, 'ours ns': a.toFixed(1), 'Math ns': b.toFixed(1), 'ours Mops/s': (1e3 / a).toFixed(1), 'Math Mops/s': (1e3 / b).toFixed(1), 'ours/Math': (a / b).toFixed(2) }
  })
  const a = best(() => cosineSchedule(cos, pow))
  const b = best(() => cosineSchedule(Math.cos, Math.pow))
  rows.push({ fn: 'cosine schedule (1e6)', 'ours ns': a.toFixed(1), 'Math ns': b.toFixed(1), 'ours Mops/s': (1e3 / a).toFixed(1), 'Math Mops/s': (1e3 / b).toFixed(1), 'ours/Math': (a / b).toFixed(2) })
  console.table(rows)
}

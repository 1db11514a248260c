/**
 * pow and exp where the result is subnormal, underflows to ±0, overflows to ±Infinity,
 * or lies near one of those thresholds: the fast path must round these exactly, and must
 * not hand them to the slow path (which costs 20–80 µs a call) except for the rare
 * undecided rounding. Every result is compared bit for bit (Object.is) with the exact
 * BigInt slow path and/or decimal.js at 70 digits; the slow-path counters of
 * multiprecision.ts say how many inputs the fast path gave up on.
 */
import t from 'tap'
import fc from 'fast-check'
import { roundTestSubnormal } from '../../src/math/double-double.js'
import { EXP_EPS, type ExpResult, exp, expKernel } from '../../src/math/exp.js'
import { pow, powKernel } from '../../src/math/pow.js'
import { expSlow, powSlow, slowCalls, slowMemo } from '../../src/math/multiprecision.js'
import { floorDiv, pyPow } from '../../src/schedules/core/python.js'
import { cos } from '../../src/math/trig.js'
import { bits, exact, nearestDyadic, next, prev, ref } from './reference.js'
import { relativeError, same } from './support.js'

const MIN_NORMAL = 2.2250738585072014e-308

/** A fixed-seed uniform generator in [0, 1) (xorshift64*), so that every run sees the same inputs. */
function uniform01(seed: number): () => number {
  let s = BigInt(seed) | 1n
  return () => {
    s ^= s >> 12n
    s ^= (s << 25n) & 0xffffffffffffffffn
    s ^= s >> 27n
    return Number(((s * 0x2545f4914f6cdd1dn) & 0xffffffffffffffffn) >> 11n) / 2 ** 53
  }
}

/** Runs `f` and returns how many times it entered the slow path of pow and exp. */
function slowEntries(f: () => void): number {
  const before = slowCalls.pow + slowCalls.exp
  f()
  return slowCalls.pow + slowCalls.exp - before
}

/** fl(x) after `steps` ulps (negative: before). */
function walk(x: number, steps: number): number {
  for (let i = 0; i < Math.abs(steps); i++) x = steps > 0 ? next(x) : prev(x)
  return x
}

// --- the rounding test on the subnormal grid ------------------------------------------

/** hi + lo + k·eps·hi exactly, as m·2^e (m may be negative). eps a power of two. */
function dyadicSum(hi: number, lo: number, eps: number, k: number): { m: bigint, e: number } {
  const parts = [hi, lo, k * eps * hi].filter((v) => v !== 0).map((v) => ({ ...bits(v), neg: v < 0 }))
  const e = Math.min(...parts.map((p) => p.e))
  let m = 0n
  for (const p of parts) m += (p.neg ? -1n : 1n) * (p.m << BigInt(p.e - e))
  return { m, e }
}

t.test('roundTestSubnormal is sound, and decides all but a sliver next to each boundary', async (t) => {
  let decided = 0
  let undecided = 0
  const branches = new Set<string>()
  fc.assert(
    fc.property(
      fc.integer({ min: -1075, max: -1022 }), // scale: the grid step is g = 2^(-1074-scale) in units of hi
      fc.double({ min: 1, max: 2, maxExcluded: true, noNaN: true }), // where in [1, 2)
      fc.constantFrom(-1, 0, 1), // aim below, at, or above the rounding boundary next to it
      fc.integer({ min: 1, max: 80 }), // how far from it: 2^-d
      fc.constantFrom(2 ** -77, 2 ** -68, 2 ** -61), // error bounds as exp and pow pass them
      (scale, u, side, d, eps) => {
        // The boundary B = (2m + 1)·g/2, exactly; as a double-double bh + bl (bl is 0 or ±g/2).
        const g = 2 ** (-1074 - scale)
        const m = Math.floor(u / g)
        const bh = (m + 0.5) * g
        const bl = (m - bh / g + 0.5) * g // exact: m − bh/g + 1/2 is 0 or ±1/2
        const delta = side * 2 ** -d
        const hi = bh + delta // TwoSum(bh, delta), then the low parts
        const e = hi - bh
        const lo = bh - (hi - e) + (delta - e) + bl
        if (!(hi >= 1 && hi < 2) || Math.abs(lo) > 2 ** -53 * hi) return true
        const r = roundTestSubnormal(hi, lo, scale, eps)
        // |hi + lo − B| exactly (B = (2m + 1)·2^(-1075-scale)), then as a Number
        const v = dyadicSum(hi, lo, eps, 0)
        const bExp = -1075 - scale
        const common = Math.min(v.e, bExp)
        const gapInt = (v.m << BigInt(v.e - common)) - ((2n * BigInt(m) + 1n) << BigInt(bExp - common))
        const gap = Math.abs(Number(gapInt)) * 2 ** common
        if (r !== r) {
          undecided++
          if (gap > 2 * eps * hi + 2 ** -50 * g && gap < g / 4) throw new Error(`undecided ${gap / g} of a step from the boundary (scale ${scale}, eps ${eps})`)
          return true
        }
        if (gapInt === 0n) throw new Error(`an exact tie was decided: ${hi} + ${lo} at scale ${scale}`)
        decided++
        // Sound: every value within eps·hi of hi + lo rounds to r.
        for (const k of [-1, 0, 1]) {
          const { m: vm, e: ve } = dyadicSum(hi, lo, eps, k)
          const want = vm <= 0n ? 0 : nearestDyadic(vm, ve + scale)
          if (!same(r, want)) throw new Error(`roundTestSubnormal(${hi}, ${lo}, ${scale}, ${eps}) = ${r}, but a value ${k}·eps·hi away rounds to ${want}`)
        }
        branches.add(r / 5e-324 === Math.round(hi * 2 ** (scale + 1074)) ? 'n' : 'n ± 1')
        return true
      }),
    { numRuns: 20_000 },
  )
  t.ok(decided > 5_000, `decided ${decided}, undecided ${undecided}`)
  t.same([...branches].sort(), ['n', 'n ± 1'], 'both ways of rounding were taken')
  t.ok(Number.isNaN(roundTestSubnormal(1, 0, -1075, 2 ** -77)), 'an exact tie (2^-1075) is never decided')
  t.ok(Number.isNaN(roundTestSubnormal(1.5, 0, -1074, 2 ** -77)), 'an exact tie (1.5·2^-1074) is never decided')
  t.equal(roundTestSubnormal(1, 0, -1074, 2 ** -77), 5e-324)
  t.equal(roundTestSubnormal(1.9999999999999998, 0, -1022, 2 ** -77), 2 ** -1021 - 2 ** -1074, 'the top of the grid, below 2^-1021')
  t.ok(Number.isNaN(roundTestSubnormal(1.9999999999999998, 2 ** -53, -1022, 2 ** -77)), 'a tie at the top of the grid')
  t.equal(roundTestSubnormal(1, 0, -1080, 2 ** -77), 0, 'far below: 0')
})

// --- exp -----------------------------------------------------------------------------

/** ln of the thresholds (as doubles): 2^-1075, 2^-1074, 2^-1022, 2^-1021, 2^1024·(1 − 2^-54), and the fast path's own bounds. */
const EXP_THRESHOLDS = [-745.2, -745.1332191019411, -744.4400719213812, -708.3964185322641, -708, -707.7032713517042, 709.7, 709.782712893384, 709.79, 709.8]

t.test('exp: random results below 2^-1021 and near overflow, against the exact paths', async (t) => {
  const u = uniform01(11)
  let slow = 0
  for (let i = 0; i < 50_000; i++) {
    const x = i % 4 === 3 ? 709.6 + 0.3 * u() : -750 + 43 * u()
    let got = 0
    slow += slowEntries(() => { got = exp(x) })
    const want = expSlow(x)
    if (!same(got, want)) t.fail(`exp(${x}) = ${got}, exact ${want}`)
    if (i % 25 === 0 && !same(got, ref.exp(x))) t.fail(`exp(${x}) = ${got}, decimal.js ${ref.exp(x)}`)
  }
  t.ok(slow <= 5, `50,000 inputs (2,000 against decimal.js too): ${slow} took the slow path`)
})

t.test('exp: 400 consecutive doubles around each threshold', async (t) => {
  let slow = 0
  let n = 0
  for (const x0 of EXP_THRESHOLDS) {
    for (let x = walk(x0, -200), i = 0; i < 400; i++, x = next(x)) {
      let got = 0
      slow += slowEntries(() => { got = exp(x) })
      const want = expSlow(x)
      if (!same(got, want)) t.fail(`exp(${x}) = ${got}, exact ${want}`)
      if (i % 20 === 0 && !same(got, ref.exp(x))) t.fail(`exp(${x}) = ${got}, decimal.js ${ref.exp(x)}`)
      n++
    }
  }
  t.ok(slow <= 2, `${n} inputs: ${slow} took the slow path`)
  t.equal(exp(-745.1332191019411), 5e-324)
  t.equal(exp(prev(-745.1332191019411)), 0)
  t.equal(exp(709.782712893384), 1.7976931348622732e308, 'the largest double, by a hair') // hard case of CRlibm's list
  t.equal(exp(next(709.782712893384)), Infinity)
  t.equal(exp(-1e308), 0)
  t.equal(exp(1e308), Infinity)
})

t.test('exp: the kernel keeps its error bound down to −745.2 and up to 709.8', async (t) => {
  const out: ExpResult = { hi: 0, lo: 0, scale: 0 }
  const u = uniform01(12)
  let worst = 0
  for (let i = 0; i < 1000; i++) {
    const x = i % 2 ? -745.2 + 37.2 * u() : 709.7 + 0.1 * u()
    expKernel(x, 0, false, out)
    worst = Math.max(worst, relativeError(out.hi, out.lo, exact(x).exp(), out.scale))
  }
  t.ok(worst < 2 ** -78 && 2 ** -78 < EXP_EPS, `largest relative error: 2^${Math.log2(worst).toFixed(1)} (bound 2^-78)`)
})

// --- pow -----------------------------------------------------------------------------

/** Random (x, y) with y·log x in [zlo, zhi], in the shapes pow meets. */
function powInputs(seed: number, count: number, zlo: number, zhi: number): Array<[number, number]> {
  const u = uniform01(seed)
  const out: Array<[number, number]> = []
  for (let i = 0; i < count; i++) {
    const z = zlo + (zhi - zlo) * u()
    let x: number
    let y: number
    switch (i % 6) {
      case 0: x = u() || 0.5; y = z / Math.log(x); break // base below 1
      case 1: x = 2 ** (1000 * u()) * (1 + u()); y = z / Math.log(x); break // base above 1
      case 2: x = 1 + (u() - 0.5) * 2 ** -(5 + 40 * u()); y = z / Math.log(x); break // base near 1, |y| large
      case 3: x = 5e-324 * (1 + 2 ** 52 * u()); y = z / Math.log(x); break // subnormal base, y near 1
      case 4: y = 1 + Math.floor(20_000 * u()); x = Math.exp(z / y); break // integer exponent
      default: x = 0.05 + 0.9 * u(); y = Math.round(z / Math.log(x)) + (u() - 0.5); break // decay_rate ** (t / decay_t)
    }
    if (x > 0 && x !== 1 && Number.isFinite(y) && y !== 0) out.push([x, y])
  }
  return out
}

t.test('pow: random results below 2^-1021, near the underflow threshold and near overflow, against the exact paths', async (t) => {
  const inputs = [
    ...powInputs(21, 24_000, -746, -707),
    ...powInputs(22, 6_000, -745.5, -744.2), // around 2^-1075 and 2^-1074
    ...powInputs(23, 6_000, -708.6, -708.2), // around 2^-1022
    ...powInputs(24, 12_000, 709.6, 709.85), // around overflow
  ]
  let slow = 0
  inputs.forEach(([x, y], i) => {
    let got = 0
    slow += slowEntries(() => { got = pow(x, y) })
    const want = powSlow(x, y)
    if (!same(got, want)) t.fail(`pow(${x}, ${y}) = ${got}, exact ${want}`)
    if (i % 40 === 0 && !same(got, ref.pow(x, y))) t.fail(`pow(${x}, ${y}) = ${got}, decimal.js ${ref.pow(x, y)}`)
  })
  t.ok(slow <= 10, `${inputs.length} inputs (${Math.ceil(inputs.length / 40)} against decimal.js too): ${slow} took the slow path`)
})

t.test('pow: 200 consecutive exponents around each threshold, for bases of every kind', async (t) => {
  const bases = [0.1, 0.3, 0.9, 0.999, 1 - 2 ** -30, 1 + 2 ** -40, 3, 1e10, 1e300, 7e-300, 3e-320]
  let n = 0
  let slow = 0
  for (const x of bases) {
    for (const z of EXP_THRESHOLDS) {
      for (let y = walk(z / Math.log(x), -100), i = 0; i < 200; i++, y = next(y)) {
        let got = 0
        slow += slowEntries(() => { got = pow(x, y) })
        const want = powSlow(x, y)
        if (!same(got, want)) t.fail(`pow(${x}, ${y}) = ${got}, exact ${want}`)
        n++
      }
    }
  }
  t.ok(slow <= 5, `${n} inputs: ${slow} took the slow path`)
})

t.test('pow: far past the thresholds, ±0 and ±Infinity without the slow path, signs as C99', async (t) => {
  const u = uniform01(31)
  let slow = 0
  for (let i = 0; i < 20_000; i++) {
    const under = i % 2 === 0
    // 5 past the thresholds: rounding y to an integer moves z by at most 2.4
    const z = under ? -750.2 - 1e6 * u() ** 4 : 714.8 + 1e6 * u() ** 4
    const x = i % 3 === 0 ? 0.5 + 0.49 * u() : i % 3 === 1 ? 1.01 + 100 * u() : 1 - 2 ** -30 * (0.01 + u())
    const y = Math.round(z / Math.log(x)) // an integer, so a negative base is allowed too
    const odd = Math.abs(y % 2) === 1
    slow += slowEntries(() => {
      if (!same(pow(x, y), under ? 0 : Infinity)) t.fail(`pow(${x}, ${y})`)
      if (!same(pow(-x, y), (odd ? -1 : 1) * (under ? 0 : Infinity))) t.fail(`pow(${-x}, ${y})`)
    })
  }
  t.equal(slow, 0, '40,000 inputs, none through the slow path')
})

t.test('pow: negative bases with integer exponents, subnormal and near-overflow results', async (t) => {
  let n = 0
  for (const [x, y] of powInputs(41, 6_000, -746, -707).concat(powInputs(42, 2_000, 709.6, 709.85))) {
    const k = Math.round(y)
    if (k === 0) continue
    const odd = Math.abs(k % 2) === 1
    const want = powSlow(x, k)
    if (!same(pow(-x, k), odd ? -want : want)) t.fail(`pow(${-x}, ${k}) = ${pow(-x, k)}, exact ${odd ? -want : want}`)
    n++
  }
  t.ok(same(pow(-0.5, 1075), -0), 'half the least subnormal, negative: −0')
  t.ok(same(pow(-0.5, 1074), 5e-324))
  t.ok(same(pow(-0.5, 1073), -1e-323))
  t.ok(same(pow(-0.1, 323), -1e-323), '(−0.1)^323')
  t.ok(same(pow(-0.1, 324), 0), '(−0.1)^324 = 0: 0.1^324 < 2^-1075')
  t.ok(same(pow(-10, 309), -Infinity))
  t.ok(same(pow(-10, 308), 1e308))
  t.pass(`${n} inputs`)
})

t.test('pow: exact results and exact midpoints on the subnormal grid', async (t) => {
  for (let k = 1000; k <= 1100; k++) {
    t.ok(same(pow(0.5, k), nearestDyadic(1n, -k)), `0.5^${k}`)
    t.ok(same(pow(2, -k), nearestDyadic(1n, -k)), `2^-${k}`)
  }
  t.ok(same(pow(2 ** -43, 25), 0), '(2^-43)^25 = 2^-1075, a tie: +0')
  t.ok(same(pow(0.25, 537.5), 0), '0.25^537.5 = 2^-1075')
  t.ok(same(pow(3 * 2 ** -215, 5), nearestDyadic(243n, -1075)), '243·2^-1075: a tie, to even')
  t.ok(same(pow(3 * 2 ** -215, 5), 122 * 5e-324))
  t.ok(same(pow(5 * 2 ** -360, 3), nearestDyadic(125n, -1080)))
  t.ok(same(pow(2, 1024), Infinity))
  t.ok(same(pow(2, 1023.9999999999999), ref.pow(2, 1023.9999999999999)), 'just below 2^1024')
})

t.test('pow: the kernel keeps its error bound down to −745.2 and up to 709.8', async (t) => {
  const out: ExpResult = { hi: 0, lo: 0, scale: 0 }
  let worst = 0
  let n = 0
  for (const [x, y] of powInputs(51, 1_200, -745.2, -708).concat(powInputs(52, 300, 709.7, 709.8))) {
    const eps = powKernel(x, y, out)
    if (!(eps === eps)) continue
    const e = relativeError(out.hi, out.lo, exact(x).pow(exact(y)), out.scale)
    if (!(e < eps)) t.fail(`pow(${x}, ${y}): error ${e} above the bound ${eps}`)
    worst = Math.max(worst, e / eps)
    n++
  }
  t.ok(n > 1000, `${n} inputs, largest error ${worst.toFixed(3)} of its bound`)
})

// --- schedule-like inputs -------------------------------------------------------------

/** Every integer k for which b^k lies in [2^-1100, 2^-1000]: the subnormal range and around it. */
function subnormalExponents(b: number): number[] {
  const l = -Math.log(b)
  const ks: number[] = []
  for (let k = Math.floor(1000 * Math.LN2 / l); k <= Math.ceil(1100 * Math.LN2 / l); k++) ks.push(k)
  return ks
}

t.test('decay_rate ** k for every k around the subnormal range (decimal.js)', async (t) => {
  let n = 0
  let slow = 0
  for (const b of [0.1, 0.9, 0.5, 0.2, 0.3, 0.7]) {
    for (const k of subnormalExponents(b)) {
      let got = 0
      slow += slowEntries(() => { got = pow(b, k) })
      const want = b === 0.5 ? nearestDyadic(1n, -k) : ref.pow(b, k)
      if (!same(got, want)) t.fail(`${b} ** ${k} = ${got}, correctly rounded ${want}`)
      n++
    }
  }
  t.equal(slow, 0, `${n} powers, none through the slow path`)
})

t.test('decay_rate ** (t // decay_t) sweeps (exact slow path)', async (t) => {
  const cases: Array<[number, number]> = [[0.95, 1], [0.99, 1], [0.5, 2.4], [0.97, 2.4], [0.9, 30], [0.1, 0.7], [0.999, 1]]
  let n = 0
  let slow = 0
  for (const [rate, decayT] of cases) {
    const l = -Math.log(rate)
    const t0 = Math.floor(700 / l * decayT)
    const t1 = Math.ceil(750 / l * decayT)
    let lastK = NaN
    for (let step = t0; step <= t1; step++) {
      const k = floorDiv(step, decayT)
      let got = 0
      slow += slowEntries(() => { got = pow(rate, k) })
      if (k !== lastK) { // each exponent once against the exact path
        const want = powSlow(rate, k)
        if (!same(got, want)) t.fail(`${rate} ** (${step} // ${decayT}) = ${got}, exact ${want}`)
        lastK = k
        n++
      }
    }
  }
  t.equal(slow, 0, `${n} distinct powers, none through the slow path`)
})

t.test('1,000,000 schedule-like subnormal or zero results take no slow call', async (t) => {
  // Decay rates spread over (0.05, 0.999), each raised to every integer power whose
  // result is subnormal, plus the first ones past it, which are zero.
  const u = uniform01(61)
  let calls = 0
  let subnormal = 0
  let zero = 0
  const slow = slowEntries(() => {
    while (calls < 1_000_000) {
      const b = 0.05 + 0.949 * u()
      const l = -Math.log(b)
      const k1 = Math.ceil(750 / l)
      for (let k = Math.floor(1022 * Math.LN2 / l); k <= k1 && calls < 1_000_000; k++) {
        const r = pow(b, k)
        if (r === 0) zero++
        else if (r < MIN_NORMAL) subnormal++
        calls++
      }
    }
  })
  t.ok(subnormal > 850_000 && zero > 100_000, `${subnormal} subnormal and ${zero} zero results`)
  t.equal(slow, 0, 'no slow call')
})

t.test('1,000,000 subnormal exp results take no slow call', async (t) => {
  const u = uniform01(62)
  const slow = slowEntries(() => {
    for (let i = 0; i < 1_000_000; i++) exp(-745.2 + 37.2 * u())
  })
  t.equal(slow, 0)
})

t.test('schedule formulas whose values are subnormal take no slow call', async (t) => {
  // timm's formulas as the schedulers evaluate them (src/schedules), 200,000 steps each:
  // step, lr·decay_rate ** (t // decay_t); multistep with 400 milestones passed,
  // lr·decay_rate ** 400; cosine with cycle_decay, lr·cycle_decay ** i·(1 + cos(…))/2.
  const T = 2833
  const start = 6720 * T // 0.9^6720 < 2^-1021: every value from here on is subnormal or zero
  const runs: Array<[string, (t: number) => number, number]> = [
    ['step, decay_rate 0.9, decay_t 2833', (t) => 0.1 * pyPow(0.9, floorDiv(t, T)), start],
    ['step, decay_rate 0.5, decay_t 1', (t) => 0.1 * pyPow(0.5, floorDiv(t, 1)), 1000],
    ['step, decay_rate 0.1, decay_t 2.4', (t) => 0.1 * pyPow(0.1, floorDiv(t, 2.4)), 700],
    ['multistep, 400 milestones passed, decay_rate 0.17', () => 0.1 * pyPow(0.17, 400), 0], // 0.17^400 ≈ 2^-1022.6
    ['cosine, cycle_decay 0.9', (t) => 0.5 * 0.1 * pyPow(0.9, floorDiv(t, T)) * (1 + cos(Math.PI * (t % T) / T)), start],
  ]
  for (const [name, lrAt, from] of runs) {
    let tiny = 0
    const slow = slowEntries(() => {
      for (let step = from; step < from + 200_000; step++) if (lrAt(step) < MIN_NORMAL) tiny++
    })
    t.ok(tiny > 190_000, `${name}: ${tiny} of 200,000 values below 2^-1022`)
    t.equal(slow, 0, `${name}: no slow call`)
  }
  for (let k = 6700; k < 7100; k++) if (!same(pyPow(0.9, k), ref.pow(0.9, k))) t.fail(`0.9 ** ${k}`)
})

t.test('an input the fast path cannot decide, repeated at every step, is evaluated exactly once', async (t) => {
  // step with decay_rate 1.0878451 and decay_t 10^6: 1.0878451 ** 5 for a million steps
  // in a row, a normal-range rounding that only the exact path decides.
  const rate = 1.0878451
  const entries = slowCalls.pow
  const misses = slowMemo.misses
  const want = ref.pow(rate, 5)
  for (let step = 5_000_000; step < 5_200_000; step++) {
    if (!same(pyPow(rate, floorDiv(step, 1e6)), want)) t.fail(`step ${step}`)
  }
  t.equal(slowCalls.pow - entries, 200_000, 'every step reaches the slow path')
  t.ok(slowMemo.misses - misses <= 1, 'which evaluates it once and remembers it')
})

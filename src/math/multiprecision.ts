/**
 * The slow path of Ziv's strategy, in exact integer arithmetic (BigInt).
 *
 * A real is carried as fixed point: the integer N stands for N·2^-w. Every kernel
 * below states how far its integer result can be from the exact real, in units of
 * 2^-w; internal guard bits keep that to a couple of units. A slow function turns its
 * result into an {@link Enclosure} (an integer interval certain to contain the exact
 * value) and {@link ziv} rounds both ends of the interval to the nearest double: when
 * they agree, monotonicity of rounding makes that double the correctly rounded result;
 * otherwise the precision is doubled and the function re-evaluated.
 *
 * Termination: exp, log, log1p, sin, cos and tanh of a nonzero rational are
 * transcendental (Lindemann–Weierstrass), so they are never exactly a double or a
 * midpoint between two doubles, and some precision separates them from every
 * rounding boundary (the trivial inputs 0 and 1 are answered before any of this
 * runs). pow(x, y) can be exactly a midpoint, so {@link powSlow} first decides those
 * cases exactly ({@link exactPow}) before entering the loop.
 *
 * Speed: one evaluation at the first precision (128 bits) costs some microseconds;
 * the fast paths send only about one call in 10^4 or fewer here.
 */
import { bitLength, decompose, decomposeOdd, exponentOf, ldexp } from './bits.js'

/**
 * How many times each slow function has been entered since the process started (or
 * since a test reset them). Only the slow functions touch these, so the fast paths pay
 * nothing; tests read them to bound how many inputs take the slow path.
 */
export const slowCalls = { exp: 0, log: 0, log1p: 0, pow: 0, sin: 0, cos: 0, tanh: 0 }

/** Sum of {@link slowCalls}. */
export function totalSlowCalls(): number {
  const c = slowCalls
  return c.exp + c.log + c.log1p + c.pow + c.sin + c.cos + c.tanh
}

/**
 * The slow functions remember their answers: a schedule evaluates the same input at
 * step after step (decay_rate ** (t // decay_t) is one power for decay_t steps in a
 * row; a cosine cycle repeats its angles), so without this one input whose rounding the
 * fast path cannot decide would cost the exact evaluation (tens of µs) at every step.
 * Only inputs that reach the slow path are stored, keyed by their exact values (the
 * shortest round-trip decimal, which names one double; −0 apart), and the store is
 * emptied when it reaches {@link MEMO_LIMIT} entries, so it stays small. `hits` and
 * `misses` count the calls answered from it and the exact evaluations.
 */
export const slowMemo = { hits: 0, misses: 0 }
const MEMO_LIMIT = 4096
const memo = new Map<string, number>()

function exactKey(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x)
}

function remembered(key: string, evaluate: () => number): number {
  const known = memo.get(key)
  if (known !== undefined) {
    slowMemo.hits++
    return known
  }
  slowMemo.misses++
  const r = evaluate()
  if (memo.size >= MEMO_LIMIT) memo.clear()
  memo.set(key, r)
  return r
}

/** The exact value lies in [(n − err)·2^s, (n + err)·2^s]. */
export interface Enclosure {
  n: bigint
  err: bigint
  s: number
}

/** Round-to-nearest-even of n·2^s for n ≥ 0, with IEEE overflow and gradual underflow. */
export function roundScaled(n: bigint, s: number): number {
  if (n === 0n) return 0
  const b = bitLength(n) // n·2^s lies in [2^(b-1+s), 2^(b+s))
  if (b + s > 1025) return Infinity
  if (b + s < -1075) return 0
  const shift = Math.max(b - 53, -1074 - s) // keep 53 bits, or stop at the 2^-1074 quantum
  let q: bigint
  if (shift <= 0) {
    q = n << BigInt(-shift)
  } else {
    const k = BigInt(shift)
    q = n >> k
    const rest = n - (q << k)
    const half = 1n << (k - 1n)
    if (rest > half || (rest === half && (q & 1n) === 1n)) q += 1n
  }
  return ldexp(Number(q), s + shift) // q ≤ 2^53 is exact as a Number
}

function roundSigned(n: bigint, s: number): number {
  return n < 0n ? -roundScaled(-n, s) : roundScaled(n, s)
}

/** The double both ends of the enclosure round to, or undefined if they differ. */
export function decide({ n, err, s }: Enclosure): number | undefined {
  const lo = n - err
  const hi = n + err
  if (lo <= 0n && hi >= 0n) return undefined
  const a = roundSigned(lo, s)
  return a === roundSigned(hi, s) ? a : undefined
}

/** Ziv's loop: evaluate at 128, 256, … bits until the rounding is decided. */
export function ziv(enclose: (precision: number) => Enclosure): number {
  for (let p = 128; p <= 16384; p *= 2) {
    const r = decide(enclose(p))
    if (r !== undefined) return r
  }
  throw new Error('correct rounding undecided at 16384 bits')
}

/** x·2^w truncated toward zero (exact when x is a multiple of 2^-w). */
export function toFixed(x: number, w: number): bigint {
  if (x === 0) return 0n
  const { m, e } = decompose(x)
  const t = e + w
  const v = t >= 0 ? m << BigInt(t) : m >> BigInt(-t)
  return x < 0 ? -v : v
}

/**
 * N·2^-w (N ≥ 0) as a sum of doubles for Cody–Waite reduction: one part per entry of
 * `bits`, each the next that many leading bits of what is left (truncated, so that its
 * product with an integer of 53 − bits bits is exact), then a last part rounded to nearest.
 */
export function constantParts(N: bigint, w: number, bits: number[]): number[] {
  const parts: number[] = []
  let rest = N
  for (const b of bits) {
    const drop = BigInt(bitLength(rest) - b)
    const head = (rest >> drop) << drop
    parts.push(roundScaled(head, -w))
    rest -= head
  }
  parts.push(roundScaled(rest, -w))
  return parts
}

/** The double-double (hi, lo) nearest to N·2^-w; hi = RN(N·2^-w), lo = RN(rest). */
export function ddOfFixed(N: bigint, w: number): [number, number] {
  const hi = roundSigned(N, -w)
  return [hi, roundSigned(N - toFixed(hi, w), -w)]
}

// --- constants --------------------------------------------------------------------

/** atanh(1/k)·2^w = Σ 2^w / ((2j+1)·k^(2j+1)); each of the T terms is off by < 3. */
function atanhInverse(k: bigint, w: bigint, alternate: boolean): bigint {
  const k2 = k * k
  let power = (1n << w) / k
  let sum = 0n
  for (let d = 1n; power !== 0n; d += 2n) {
    sum += alternate && (d & 2n) !== 0n ? -(power / d) : power / d
    power /= k2
  }
  return sum
}

interface Cached { w: number, v: bigint }
let ln2Cache: Cached = { w: 0, v: 0n }
let piCache: Cached = { w: 0, v: 0n }

/**
 * ln 2 · 2^w, off by less than 2. Computed as 2·atanh(1/3) with 32 guard bits (the
 * series' error, 3 per term, stays far below 2^32), cached at the largest w asked.
 */
export function ln2Fixed(w: number): bigint {
  if (w > ln2Cache.w) {
    const W = Math.max(2 * w, 1024)
    ln2Cache = { w: W, v: (2n * atanhInverse(3n, BigInt(W + 32), false)) >> 32n }
  }
  return ln2Cache.v >> BigInt(ln2Cache.w - w)
}

/** π·2^w, off by less than 2: Machin's π = 16·atan(1/5) − 4·atan(1/239), as above. */
export function piFixed(w: number): bigint {
  if (w > piCache.w) {
    const W = Math.max(2 * w, 1024)
    const g = BigInt(W + 32)
    piCache = { w: W, v: (16n * atanhInverse(5n, g, true) - 4n * atanhInverse(239n, g, true)) >> 32n }
  }
  return piCache.v >> BigInt(piCache.w - w)
}

// --- kernels ----------------------------------------------------------------------

/**
 * e^(r·2^-w)·2^w for |r·2^-w| ≤ 1, off by less than 2.
 *
 * Argument halving and squaring: s = r/2^h, Taylor series of e^s until the terms
 * vanish, then h squarings. With g = h + 24 guard bits: before squaring the error is
 * below 3N + 7 units (N terms, each truncation ≤ 1 unit, plus the truncated s);
 * squaring doubles a relative error, so afterwards it is below e·2^h·(3N + 9) <
 * 2^(h+18) units for N < 2^14, i.e. below 2^-6 of a unit once the guard bits go.
 */
export function expSmall(r: bigint, w: number): bigint {
  const h = Math.max(4, Math.ceil(Math.sqrt(w) / 2))
  const g = h + 24
  const W = BigInt(w + g)
  const s = (r << BigInt(g)) >> BigInt(h)
  let sum = 1n << W
  let term = sum
  for (let n = 1n; term !== 0n; n++) {
    term = ((term * s) >> W) / n
    sum += term
  }
  for (let i = 0; i < h; i++) sum = (sum * sum) >> W
  return sum >> BigInt(g)
}

/**
 * Enclosure of e^(X·2^-w), X known to within xErr units: X = k·ln2 + R with
 * |R| ≤ ln2/2, e^X = 2^k·e^R. R is off by xErr + 2|k| units, which is a relative error
 * of e^R; with e^R ≤ √2 and expSmall's 2 units the total stays below 3|k| + 2·xErr + 3.
 */
export function expEnclosure(X: bigint, w: number, xErr: bigint): Enclosure {
  const approx = Number(X >> BigInt(w - 64)) / 2 ** 64
  const k = Math.round(approx / Math.LN2)
  const R = X - BigInt(k) * ln2Fixed(w)
  return { n: expSmall(R, w), err: 3n * BigInt(Math.abs(k)) + 2n * xErr + 3n, s: k - w }
}

/**
 * log(M·2^E)·2^w, off by less than 2, given a double `seed` close to the logarithm.
 *
 * One correction step: with y0 the seed, log x = y0 + log1p(t) where
 * t = x·e^(-y0) − 1 is tiny (about 2^-52), and the log1p series in t converges in a
 * handful of terms. e^(-y0) = 2^-k·e^R with R = k·ln2 − y0. With 32 guard bits the
 * errors (5|k| + 4 from e^R and ln 2, 2 per series term) vanish below one unit.
 */
export function logFixed(M: bigint, E: number, seed: number, w: number): bigint {
  const W = w + 32
  const Wb = BigInt(W)
  const y0 = toFixed(seed, W)
  const k = Math.round(seed / Math.LN2)
  const R = BigInt(k) * ln2Fixed(W) - y0
  const product = M * expSmall(R, W)
  const shift = E - k
  const t = (shift >= 0 ? product << BigInt(shift) : product >> BigInt(-shift)) - (1n << Wb)
  let sum = 0n
  let power = t
  for (let j = 1n; power !== 0n; j++) {
    sum += (j & 1n) === 1n ? power / j : -(power / j)
    power = (power * t) >> Wb
  }
  return (y0 + sum) >> 32n
}

/**
 * Taylor series of sin or cos at r·2^-w (|r·2^-w| ≤ 1), returning the sum and the
 * number of terms; each term is off by at most 2 units, so the sum is off by less
 * than 2·terms + 2.
 */
function trigTaylor(r: bigint, w: number, cosine: boolean): { v: bigint, terms: number } {
  const W = BigInt(w)
  const r2 = (r * r) >> W
  let term = cosine ? 1n << W : r
  let sum = term
  let n = cosine ? 0n : 1n
  let terms = 1
  while (term !== 0n) {
    term = -((term * r2) >> W) / ((n + 1n) * (n + 2n))
    n += 2n
    sum += term
    terms++
  }
  return { v: sum, terms }
}

/**
 * sin(i·π/d) as a double-double, for the fast paths' tables (i ≥ 0, i/d ≤ 1/2). At the
 * default 136 bits the error is below 2^-128 absolute (some 60 units), below 2^-106
 * relative for every table entry (the smallest nonzero ones are about 2^-9); the same
 * holds for the two table helpers below.
 */
export function sinPiFraction(i: number, d: number, w = 136): [number, number] {
  const theta = (BigInt(i) * piFixed(w)) / BigInt(d)
  return ddOfFixed(trigTaylor(theta, w, false).v, w)
}

/** e^(j·ln2/d) as a double-double, for the fast paths' tables (|j/d| ≤ 1). */
export function exp2Fraction(j: number, d: number, w = 136): [number, number] {
  return ddOfFixed(expSmall((BigInt(j) * ln2Fixed(w)) / BigInt(d), w), w)
}

/** log(x) as a double-double, for the fast paths' tables (x positive, finite). */
export function logDouble(x: number, w = 136): [number, number] {
  if (x === 1) return [0, 0]
  const { m, e } = decompose(x)
  return ddOfFixed(logFixed(m, e, Math.log(x), w), w)
}

// --- the slow functions -------------------------------------------------------------

function expExact(x: number): number {
  if (x > 710) return Infinity
  if (x < -746) return 0
  return ziv((p) => {
    const w = p + 16
    return expEnclosure(toFixed(x, w), w, 1n) // e^x ≥ 2^-1076: relative error below 2^-(p+2)
  })
}

/** Correctly rounded e^x for finite x (any magnitude). */
export function expSlow(x: number): number {
  slowCalls.exp++
  return remembered(`exp ${exactKey(x)}`, () => expExact(x))
}

/** Correctly rounded log(M·2^E), the logarithm being of magnitude near |seed|. */
function logOfDyadic(M: bigint, E: number, seed: number): number {
  const w0 = 8 - Math.min(0, exponentOf(seed)) // |log| ≥ 2^exponent: w0 makes it relative
  return ziv((p) => ({ n: logFixed(M, E, seed, p + w0), err: 2n, s: -(p + w0) }))
}

function logExact(x: number): number {
  if (x === 1) return 0
  const { m, e } = decompose(x)
  return logOfDyadic(m, e, Math.log(x))
}

/** Correctly rounded log(x) for finite x > 0. */
export function logSlow(x: number): number {
  slowCalls.log++
  return remembered(`log ${exactKey(x)}`, () => logExact(x))
}

function log1pExact(x: number): number {
  if (x === 0) return x
  const { m, e } = decompose(x)
  const sign = x < 0 ? -1n : 1n
  const onePlus = e >= 0 ? 1n + sign * (m << BigInt(e)) : (1n << BigInt(-e)) + sign * m
  return logOfDyadic(onePlus, Math.min(e, 0), Math.log1p(x))
}

/** Correctly rounded log(1 + x) for finite x > −1 (1 + x is formed exactly). */
export function log1pSlow(x: number): number {
  slowCalls.log1p++
  return remembered(`log1p ${exactKey(x)}`, () => log1pExact(x))
}

/**
 * Enclosure of sin x or cos x for finite x ≠ 0: x = k·π/2 + r exactly in integers
 * (π to as many bits as x has integer bits, plus p + 40), then the Taylor series of
 * sin r or cos r by the quadrant k mod 4. If x is so close to a multiple of π/2 that r
 * has fewer than p + 16 significant bits beyond its error, the reduction is redone
 * with more bits.
 */
function trigEnclosure(x: number, cosine: boolean, p: number): Enclosure {
  const { m, e } = decompose(x)
  let extra = 40
  for (;;) {
    const w = Math.max(p + extra + Math.max(0, e + 53), -e)
    const halfPi = piFixed(w - 1)
    const X = m << BigInt(e + w)
    const k = (2n * X + halfPi) / (2n * halfPi)
    const r = X - k * halfPi
    const rErr = 2n * k + 1n
    const deficit = bitLength(rErr) + p + 16 - bitLength(r < 0n ? -r : r)
    if (deficit > 0) {
      extra += deficit + 16
      continue
    }
    const q = Number(k & 3n)
    const useCos = cosine === ((q & 1) === 0)
    const negative = cosine ? q === 1 || q === 2 : q >= 2
    const { v, terms } = trigTaylor(r, w, useCos)
    const flip = negative !== (!cosine && x < 0) // sin is odd, cos even
    return { n: flip ? -v : v, err: rErr + BigInt(2 * terms + 2), s: -w }
  }
}

function sinExact(x: number): number {
  return ziv((p) => trigEnclosure(x, false, p))
}

/** Correctly rounded sin x for finite x ≠ 0. */
export function sinSlow(x: number): number {
  slowCalls.sin++
  return remembered(`sin ${exactKey(x)}`, () => sinExact(x))
}

function cosExact(x: number): number {
  if (x === 0) return 1
  return ziv((p) => trigEnclosure(x, true, p))
}

/** Correctly rounded cos x for finite x. */
export function cosSlow(x: number): number {
  slowCalls.cos++
  return remembered(`cos ${exactKey(x)}`, () => cosExact(x))
}

function tanhExact(x: number): number {
  const ax = Math.abs(x)
  if (ax > 22) return Math.sign(x)
  const { m, e } = decompose(ax)
  const w0 = 40 - Math.min(0, exponentOf(ax))
  return ziv((p) => {
    const w = Math.max(p + w0, 1 - e)
    const W = BigInt(w)
    const twoX = m << BigInt(e + 1 + w)
    const k = Math.round((2 * ax) / Math.LN2)
    const E = expSmall(BigInt(k) * ln2Fixed(w) - twoX, w) >> BigInt(k)
    const one = 1n << W
    const q = ((one - E) << W) / (one + E)
    return { n: x < 0 ? -q : q, err: BigInt(6 * k + 8), s: -w }
  })
}

/**
 * Correctly rounded tanh x for finite x ≠ 0: tanh|x| = (1 − E)/(1 + E) with
 * E = e^(-2|x|) = 2^-k·e^R. E is off by less than 3k + 3 units, and the quotient by
 * less than twice that plus one. Past |x| = 22, 1 − tanh|x| < 2^-62 and the result is ±1.
 */
export function tanhSlow(x: number): number {
  slowCalls.tanh++
  return remembered(`tanh ${exactKey(x)}`, () => tanhExact(x))
}

/** Integer square root (floor) of n ≥ 0, by Newton's iteration. */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n
  let x = 1n << BigInt((bitLength(n) >> 1) + 1)
  for (;;) {
    const y = (x + n / x) >> 1n
    if (y >= x) return x
    x = y
  }
}

/**
 * pow(x, y) when it is a dyadic rational with at most 54 significant bits — the only
 * way it can be a double or the midpoint of two — rounded exactly; undefined otherwise.
 * x > 0 and y finite.
 *
 * With x = a·2^b and y = c·2^-d (a, c odd): if d = 0 (y an integer), x^y is dyadic
 * iff a = 1 or y > 0, and then it is a^y·2^(b·y). If d > 0, x^y is dyadic iff a is a
 * perfect 2^d-th power r^(2^d) and 2^d divides b; then x^y = (r·2^(b/2^d))^(±c), dyadic
 * iff r = 1 or the exponent is positive. An odd a^c > 1 needs c ≤ 34 to fit in 54 bits.
 */
export function exactPow(x: number, y: number): number | undefined {
  const { m: a, e: b } = decomposeOdd(x)
  const { m: c, e: ey } = decomposeOdd(y)
  const d = Math.max(0, -ey)
  let base = a
  let exp2 = b
  if (d > 0) {
    if (d > 6 || b % 2 ** d !== 0) return undefined
    for (let i = 0; i < d; i++) {
      const root = isqrt(base)
      if (root * root !== base) return undefined
      base = root
    }
    exp2 = b / 2 ** d
  }
  // x^y = base^n·2^(exp2·n), n = y·2^d (an integer)
  const n = d > 0 ? (y < 0 ? -c : c) : BigInt(y)
  if (base === 1n) {
    const k = Number(n) * exp2
    if (k > 1100) return Infinity
    if (k < -1200) return 0
    return roundScaled(1n, k)
  }
  if (n < 0n || n > 34n) return undefined
  const odd = base ** n
  if (bitLength(odd) > 54) return undefined
  return roundScaled(odd, exp2 * Number(n))
}

function powExact(x: number, y: number): number {
  const exact = exactPow(x, y)
  if (exact !== undefined) return exact
  const seed = Math.log(x)
  const estimate = y * seed
  if (estimate > 710) return Infinity
  if (estimate < -746) return 0
  const { m: mx, e: ex } = decompose(x)
  const { m: my, e: ey } = decompose(y)
  const yTop = ey + bitLength(my) // |y| < 2^yTop
  return ziv((p) => {
    const w = p + 24
    const wLog = w + Math.max(0, yTop) + 8
    const shift = ey + w - wLog
    const product = my * logFixed(mx, ex, seed, wLog)
    const z = shift >= 0 ? product << BigInt(shift) : product >> BigInt(-shift)
    // z is off by |y|·2·2^(w−wLog) + 1 < 2 units
    return expEnclosure(y < 0 ? -z : z, w, 2n)
  })
}

/**
 * Correctly rounded x^y for finite x > 0, x ≠ 1, finite y ≠ 0: exact cases by
 * {@link exactPow}; otherwise e^(y·log x) with log x to enough bits that y·log x is
 * off by less than 2 units at p + 24 bits.
 */
export function powSlow(x: number, y: number): number {
  slowCalls.pow++
  if (Object.is(x, lastPow.x) && Object.is(y, lastPow.y)) { // a step schedule's case, without building a key
    slowMemo.hits++
    return lastPow.r
  }
  const r = remembered(`pow ${exactKey(x)} ${exactKey(y)}`, () => powExact(x, y))
  lastPow.x = x
  lastPow.y = y
  lastPow.r = r
  return r
}

const lastPow = { x: NaN, y: NaN, r: NaN }

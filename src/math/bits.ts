/**
 * IEEE 754 binary64 plumbing: the exact integer form of a double, exact powers of two,
 * and the fast exponent/mantissa access the table-driven kernels index with.
 */

const buffer = new ArrayBuffer(8)
const f64 = new Float64Array(buffer)
const u64 = new BigUint64Array(buffer)
const i32 = new Int32Array(buffer)

/** Index of the 32-bit word that holds the sign, exponent and top 20 mantissa bits. */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0
const LO = 1 - HI

/** The high 32 bits of `x` (sign, 11 exponent bits, 20 mantissa bits), as a signed int. */
export function highWord(x: number): number {
  f64[0] = x
  return i32[HI]
}

/** x/2^⌊log2 x⌋ ∈ [1, 2) for positive normal x, exactly (from the 52 fraction bits). */
export function significand(x: number): number {
  f64[0] = x
  return 1 + ((i32[HI] & 0xfffff) * 4294967296 + (i32[LO] >>> 0)) * 2 ** -52
}

/** The double whose high word is `hi` and whose low word is that of `x`. */
export function withHighWord(x: number, hi: number): number {
  f64[0] = x
  i32[HI] = hi
  return f64[0]
}

/** 2^k for an integer k in [-1022, 1023], built from its bits (exact, no libm). */
export function pow2Normal(k: number): number {
  i32[LO] = 0
  i32[HI] = (k + 1023) << 20
  return f64[0]
}

/** 2^k for any integer k in [-1074, 1023] (subnormal powers included). */
export function pow2(k: number): number {
  if (k >= -1022) return pow2Normal(k)
  return pow2Normal(k + 1022) * 2.2250738585072014e-308 // exact: a subnormal power of two
}

/** x·2^k, exact whenever the result is representable (Infinity when it overflows). */
export function ldexp(x: number, k: number): number {
  while (k > 1000) {
    x *= pow2Normal(1000)
    k -= 1000
  }
  while (k < -1000) {
    // An intermediate is the result times a power of two above 1: same significand, so
    // it is exact whenever the result is representable.
    x *= pow2Normal(-1000)
    k += 1000
  }
  return x * pow2Normal(k)
}

/** |x| = m·2^e exactly, with m a non-negative integer (< 2^53). x must be finite. */
export function decompose(x: number): { m: bigint, e: number } {
  f64[0] = x
  const bits = u64[0]
  const biased = Number((bits >> 52n) & 0x7ffn)
  const frac = bits & 0xfffffffffffffn
  if (biased === 0) return { m: frac, e: -1074 }
  return { m: frac | 0x10000000000000n, e: biased - 1075 }
}

/** Like {@link decompose}, with m odd (or zero). */
export function decomposeOdd(x: number): { m: bigint, e: number } {
  let { m, e } = decompose(x)
  if (m === 0n) return { m, e: 0 }
  while ((m & 0xffffn) === 0n) {
    m >>= 16n
    e += 16
  }
  while ((m & 1n) === 0n) {
    m >>= 1n
    e += 1
  }
  return { m, e }
}

/** floor(log2 |x|) for finite nonzero x, exact (subnormals included). */
export function exponentOf(x: number): number {
  const { m, e } = decompose(x)
  return e + bitLength(m) - 1
}

/** Number of bits of a non-negative bigint (0 for 0). */
export function bitLength(n: bigint): number {
  if (n === 0n) return 0
  const hex = n.toString(16)
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0], 16)))
}

/** The next double above x (x finite). */
export function nextUp(x: number): number {
  if (x === 0) return 5e-324
  f64[0] = x
  u64[0] += x > 0 ? 1n : -1n
  return f64[0]
}

/** The next double below x (x finite). */
export function nextDown(x: number): number {
  return -nextUp(-x)
}

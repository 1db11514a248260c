const N = 624
const M = 397
const MATRIX_A = 0x9908b0df
const UPPER_MASK = 0x80000000
const LOWER_MASK = 0x7fffffff

/**
 * The 32-bit Mersenne Twister, output for output identical to C++'s `std::mt19937`
 * and to PyTorch's `at::mt19937` (the engine of its CPU generator).
 *
 * Seeding is the standard one: `s[0] = seed`,
 * `s[i] = 1812433253 * (s[i-1] ^ (s[i-1] >>> 30)) + i  (mod 2^32)` for `i` in `1..623`.
 * Output `k` is the tempered value of state word `k mod 624` after the twist.
 */
export class Mt19937 {
  private readonly state = new Uint32Array(N)
  private index = 0
  // Words [0, seeded) of the state hold their seeding value (or, once read, their
  // twisted one); the rest are seeded when first needed.
  private seeded = 0

  /** @param seed taken modulo 2^32, as `std::mt19937(uint32_t)` takes it. */
  constructor (seed: number) {
    this.reseed(seed)
  }

  /** Resets the state as a fresh `Mt19937(seed)` would, without allocating. */
  reseed (seed: number): void {
    this.state[0] = seed >>> 0
    this.seeded = 1
    this.index = 0
  }

  /** The next output, an integer in [0, 2^32). */
  nextUint32 (): number {
    const s = this.state
    const i = this.index
    // The twist is done one word at a time, just before the word is read: word i
    // depends on words i + 1 and i + 397 (mod 624), and the in-place reference
    // loop reads exactly the same mix of new and old words in the same order, so
    // the outputs are identical. Seeding is lazy too: the first output needs words
    // 0, 1 and 397, the k-th up to 396 + k, and the whole state only from output 227
    // on. A caller that reseeds every step (the noise) and reads a few outputs then
    // pays for about 400 seeding steps instead of 624 plus a 624-word twist.
    const next = i + 1 === N ? 0 : i + 1
    const far = i < N - M ? i + M : i + M - N
    if (far >= this.seeded) this.seedThrough(far)
    const y = (s[i] & UPPER_MASK) | (s[next] & LOWER_MASK)
    let x = s[far] ^ (y >>> 1)
    if ((y & 1) !== 0) x ^= MATRIX_A
    s[i] = x
    this.index = next

    x ^= x >>> 11
    x ^= (x << 7) & 0x9d2c5680
    x ^= (x << 15) & 0xefc60000
    x ^= x >>> 18
    return x >>> 0
  }

  /** Extends the standard seeding recurrence through word `last`. */
  private seedThrough (last: number): void {
    const s = this.state
    let prev = s[this.seeded - 1]
    for (let i = this.seeded; i <= last; i++) {
      prev = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0
      s[i] = prev
    }
    this.seeded = last + 1
  }
}

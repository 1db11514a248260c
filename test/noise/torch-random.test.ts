import { createHash } from 'node:crypto'
import fc from 'fast-check'
import t from 'tap'
import { TorchGenerator, torchSeed32 } from '../../src/noise/torch-random.js'

// PyTorch's well-known first draws: torch.manual_seed(s); torch.randn(3) / torch.rand(2).
// torch.randn(3) on CPU draws one element at a time, exactly as repeated randn(1) does.
const KNOWN = [
  { seed: 0, randn: [1.5409960746765137, -0.29342889785766602, -2.1787893772125244], rand: [0.49625658988952637, 0.76822179555892944] },
  { seed: 1, randn: [0.66135215759277344, 0.26692411303520203, 0.061677258461713791], rand: [0.75763159990310669, 0.27931088209152222] },
  { seed: 42, randn: [0.33669036626815796, 0.12880940735340118, 0.23446236550807953], rand: [0.8822692632675171, 0.91500395536422729] },
  { seed: 2 ** 32 - 1, randn: [1.2197630405426025, -0.39297947287559509, 1.0230751037597656], rand: [0.99379938840866089, 0.57130634784698486] }
]

// SHA-256 of 10,000 successive draws as little-endian float32, computed by a C++
// program running PyTorch's algorithm over std::mt19937 and glibc's libm.
const STREAMS = [
  { seed: 0, randn: 'e8ebf82cd7bf293360391882d1e4318ec4ec7d0e235c28d6e8526aecab9ba52f', rand: '918e9fc598ba854434f14e6806aec24fe6187a467fa3c432f8732630c8f45b37' },
  { seed: 1, randn: 'cf885ef62fd419346056062a9d675de19e93905b3d417f25337e2eac9a929024', rand: '139648188368dbf63f9d492a827e95b9e585c72481af5a5f13d172884470e6d1' },
  { seed: 42, randn: 'ba394cdfdb912e5dd9546d89a45b43cd73c9825d0b76b456e36562a731b624a3', rand: 'f2617a762790a0003da93f6e555a8a0b7c25b7cc39cc0a303b5b234792e9fea5' },
  { seed: 2 ** 32 - 1, randn: '2264eb399875b362018a093abe7c27c23ceed2d144e7e0459a6440ca9e7cf4a9', rand: 'd1874bf594b915a82f6e8563839d6c9b69dd5f93aea74f9c9a42e3ed9d7a797a' }
]

function float32Sha256 (next: () => number, n: number): string {
  const bytes = Buffer.alloc(n * 4)
  for (let i = 0; i < n; i++) bytes.writeFloatLE(next(), i * 4)
  return createHash('sha256').update(bytes).digest('hex')
}

t.test('seed 42: randn 0.33669036626815796, rand 0.8822692632675171', async t => {
  t.equal(new TorchGenerator(42).randn(), 0.33669036626815796)
  t.equal(new TorchGenerator(42).rand(), 0.8822692632675171)
})

t.test('the second randn is the cached sine sample (seed 42: tensor([0.3367, 0.1288]))', async t => {
  const g = new TorchGenerator(42)
  t.equal(g.randn().toFixed(4), '0.3367')
  t.equal(g.randn().toFixed(4), '0.1288')
})

t.test('first draws match PyTorch for several seeds', async t => {
  for (const k of KNOWN) {
    const g = new TorchGenerator(k.seed)
    t.same(k.randn.map(() => g.randn()), k.randn, `seed ${k.seed}: randn`)
    const h = new TorchGenerator(k.seed)
    t.same(k.rand.map(() => h.rand()), k.rand, `seed ${k.seed}: rand`)
  }
})

t.test('10,000 draws match the C++ reference stream', async t => {
  for (const s of STREAMS) {
    const g = new TorchGenerator(s.seed)
    t.equal(float32Sha256(() => g.randn(), 10_000), s.randn, `seed ${s.seed}: randn`)
    const h = new TorchGenerator(s.seed)
    t.equal(float32Sha256(() => h.rand(), 10_000), s.rand, `seed ${s.seed}: rand`)
  }
})

t.test('random32 is the bare mt19937 stream', async t => {
  const g = new TorchGenerator(42)
  t.same([g.random32(), g.random32()], [1608637542, 3421126067])
})

t.test('draws are float32 values', async t => {
  const g = new TorchGenerator(3)
  for (let i = 0; i < 1000; i++) {
    const x = g.randn()
    const u = g.rand()
    if (Math.fround(x) !== x || Math.fround(u) !== u || !(u >= 0 && u < 1)) t.fail(`draw ${i}: ${x}, ${u}`)
  }
  t.pass()
})

t.test('reseed restarts the stream and drops the cached normal sample', async t => {
  const g = new TorchGenerator(7)
  g.randn() // leaves a cached sample behind
  g.reseed(42)
  t.equal(g.randn(), 0.33669036626815796)
  t.equal(g.randn(), 0.12880940735340118)
})

t.test('randnWithin draws exactly as a randn loop does', async t => {
  const naive = (g: TorchGenerator, limit: number, maxDraws: number): number => {
    for (let i = 0; i < maxDraws; i++) {
      const x = g.randn()
      if (Math.abs(x) < limit) return x
    }
    return Number.NaN
  }
  fc.assert(fc.property(
    fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    fc.constantFrom(0.01, 0.05, 0.1, 0.3, 0.67, 1, 2),
    fc.integer({ min: 0, max: 3 }),
    fc.integer({ min: 1, max: 40 }),
    (seed, limit, before, maxDraws) => {
      const a = new TorchGenerator(seed)
      const b = new TorchGenerator(seed)
      // Start from every phase: with and without a cached sample.
      for (let i = 0; i < before; i++) { a.randn(); b.randn() }
      const x = a.randnWithin(limit, maxDraws)
      const y = naive(b, limit, maxDraws)
      if (!Object.is(x, y)) return false
      // Same generator state afterwards, cached sample included.
      return a.randn() === b.randn() && a.randn() === b.randn()
    }
  ), { numRuns: 3000 })
  t.pass('3000 random generators')
})

t.test('randnWithin at a limit equal to a sample: strict <, decided exactly', async t => {
  const first = 0.33669036626815796 // seed 42's first randn, a float32
  t.equal(new TorchGenerator(42).randnWithin(first, 10), 0.12880940735340118, 'equal to the limit: rejected')
  const above = first + 2 ** -54 // the next double up
  t.ok(above > first && Math.fround(above) === first)
  t.equal(new TorchGenerator(42).randnWithin(above, 10), first, 'just below the limit: accepted')
  t.ok(Number.isNaN(new TorchGenerator(42).randnWithin(0, 1000)), 'limit 0: nothing accepted')
  t.ok(Number.isNaN(new TorchGenerator(42).randnWithin(Number.NaN, 10)), 'NaN limit: nothing accepted')
})

t.test('torchSeed32: (seed + offset) mod 2^32 as torch.manual_seed takes it', async t => {
  t.equal(torchSeed32(42, 0), 42)
  t.equal(torchSeed32(-5, 0), 4294967291, 'a negative seed wraps as 64-bit two\'s complement')
  t.equal(torchSeed32(-5, 3), 4294967294)
  t.equal(torchSeed32(-5, 5), 0)
  t.equal(torchSeed32(-5, 7), 2)
  t.equal(torchSeed32(4294967299, 0), 3)
  t.equal(torchSeed32(4294967295, 0), 4294967295)
  t.equal(torchSeed32(4294967295, 1), 0, 'seed + t straddling 2^32')
  t.equal(torchSeed32(4294967290, 10), 4)
  t.equal(torchSeed32(2 ** 33 - 1, 2), 1)
  t.equal(torchSeed32(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER), 4294967294, 'a sum no double holds')
  t.equal(torchSeed32(-Number.MAX_SAFE_INTEGER, 0), 1)
  t.ok(Object.is(torchSeed32(-0, 0), 0))
})

t.test('torchSeed32 agrees with 64-bit integer arithmetic', async t => {
  fc.assert(fc.property(
    fc.maxSafeInteger(), fc.maxSafeInteger(),
    (seed, offset) => torchSeed32(seed, offset) === Number(BigInt.asUintN(32, BigInt(seed) + BigInt(offset)))
  ), { numRuns: 5000 })
  t.pass('5000 random pairs')
})

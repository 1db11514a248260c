import { createHash } from 'node:crypto'
import t from 'tap'
import { Mt19937 } from '../../src/noise/mt19937.js'

// Reference values from C++'s std::mt19937 (g++ 12, libstdc++): for each seed, the
// SHA-256 of its first 10,000 outputs as little-endian uint32, the first five
// outputs and the 10,000th.
const REFERENCE = [
  { seed: 0, first: [2357136044, 2546248239, 3071714933, 3626093760, 2588848963], last: 1543171712, sha256: 'c3673b059b45e9ddd0df8ed2c20bfbb2b7f7f89e4382dfd7ddb9b8d835c91972' },
  { seed: 1, first: [1791095845, 4282876139, 3093770124, 4005303368, 491263], last: 1237896635, sha256: '7141c36d8b984a0a62dca8aa7a42adc9e256435cf41a08564e4a14f8f2be82ce' },
  { seed: 42, first: [1608637542, 3421126067, 4083286876, 787846414, 3143890026], last: 1399405940, sha256: 'd85832ea3fdd45aba234c2d43775a184cc48d3b44da39c1d9b1389de82214741' },
  { seed: 5489, first: [3499211612, 581869302, 3890346734, 3586334585, 545404204], last: 4123659995, sha256: '6db9f1ecfbb75fcb929ec9757c088f3ffb2e7e3680c007f2519401c129a8d842' },
  { seed: 2 ** 32 - 1, first: [419326371, 479346978, 3918654476, 2416749639, 3388880820], last: 1117955853, sha256: 'eb4ae2d927aa04a146304c65d02e919294bc069e67572fd15077fe26c2b34e53' },
  { seed: 123456789, first: [2288500408, 4254805660, 2294099250, 56498137, 2188513626], last: 4147794090, sha256: '4643390d8e46305f234bcf8804853590e9d87f5909abe03b8db29de796b0eb62' }
]

function draw (mt: Mt19937, n: number): Uint32Array {
  const out = new Uint32Array(n)
  for (let i = 0; i < n; i++) out[i] = mt.nextUint32()
  return out
}

function sha256 (values: Uint32Array): string {
  // Uint32Array is host-endian; spell out little-endian so the hash is portable.
  const bytes = Buffer.alloc(values.length * 4)
  values.forEach((v, i) => bytes.writeUInt32LE(v, i * 4))
  return createHash('sha256').update(bytes).digest('hex')
}

t.test('the standard check value: the 10,000th output for seed 5489 is 4123659995', async t => {
  const out = draw(new Mt19937(5489), 10_000)
  t.equal(out[9999], 4123659995)
})

t.test('10,000 outputs match std::mt19937 for several seeds', async t => {
  for (const ref of REFERENCE) {
    const out = draw(new Mt19937(ref.seed), 10_000)
    t.same([...out.subarray(0, 5)], ref.first, `seed ${ref.seed}: first outputs`)
    t.equal(out[9999], ref.last, `seed ${ref.seed}: 10,000th output`)
    t.equal(sha256(out), ref.sha256, `seed ${ref.seed}: all 10,000 outputs`)
  }
})

t.test('outputs are integers in [0, 2^32)', async t => {
  const out = draw(new Mt19937(7), 2000)
  t.ok([...out].every(v => Number.isInteger(v) && v >= 0 && v < 2 ** 32))
  const mt = new Mt19937(2 ** 32 - 1)
  for (let i = 0; i < 2000; i++) {
    const v = mt.nextUint32()
    if (!(Number.isInteger(v) && v >= 0 && v < 2 ** 32)) t.fail(`output ${i} is ${v}`)
  }
})

t.test('reseed gives the same stream as a fresh engine, wherever the old one stood', async t => {
  const fresh = draw(new Mt19937(42), 1500)
  // The state is seeded and twisted lazily: stop before, at and after those edges.
  for (const before of [0, 1, 3, 226, 227, 228, 623, 624, 700]) {
    const mt = new Mt19937(1)
    draw(mt, before)
    mt.reseed(42)
    t.same(draw(mt, 1500), fresh, `after ${before} draws`)
  }
})

t.test('the seed is taken modulo 2^32', async t => {
  t.same(draw(new Mt19937(2 ** 32 + 42), 10), draw(new Mt19937(42), 10))
})

import t from 'tap'
import fc from 'fast-check'
import { Mt19937 } from '../../src/noise/mt19937.js'
import { type FirstOutputs, MAX_FIRST_OUTPUTS, scalarFirstOutputs } from '../../src/noise/mt19937-lanes.js'
import { simdFirstOutputs } from '../../src/noise/mt19937-simd.js'
import { torchSeed32 } from '../../src/noise/torch-random.js'

const simd = simdFirstOutputs()
const engines: Array<[string, FirstOutputs]> = [['scalar', scalarFirstOutputs()]]
if (simd !== null) engines.push(['simd', simd])

t.test('WebAssembly SIMD is available on Node 20', async t => {
  t.not(simd, null)
  t.equal(simd?.lanes, 32)
  t.equal(engines[0][1].lanes, 8)
})

/** Where the engines' outputs first differ from the serial engine's, or null. */
function mismatch (engines: FirstOutputs, seed: number, count: number): string | null {
  engines.compute(seed, count)
  const serial = new Mt19937(0)
  for (let j = 0; j < engines.lanes; j++) {
    serial.reseed(torchSeed32(seed, j))
    for (let k = 0; k < count; k++) {
      const expected = serial.nextUint32()
      const got = engines.outputs[k * engines.lanes + j]
      if (got !== expected) return `seed ${seed} + ${j}, output ${k}: ${got}, serial ${expected}`
    }
  }
  return null
}

for (const [name, e] of engines) {
  t.test(`${name}: every output of a block equals the serial engine's (all counts, seeds at the edges)`, async t => {
    const seeds = [
      0, 1, 42, 5489, 123456789,
      2 ** 31 - 3, 2 ** 31, // the sign bit of an int32
      2 ** 32 - 1, 2 ** 32 - 5, 2 ** 32 - e.lanes, // the block wraps past 2^32 to 0
      torchSeed32(-1, 0), torchSeed32(-8, 3), torchSeed32(-(2 ** 63), 0), torchSeed32(2 ** 64 - 1, 0),
      torchSeed32(2 ** 53 - 1, 7), torchSeed32(-(2 ** 53) + 1, 2 ** 53 - 1)
    ]
    let checked = 0
    for (const seed of seeds) {
      for (const count of [1, 2, 3, 4, 8, 20, 100, 226, MAX_FIRST_OUTPUTS]) {
        t.equal(mismatch(e, seed, count), null, `seed ${seed}, ${count} outputs`)
        checked += e.lanes * count
      }
    }
    t.comment(`${checked} outputs checked`)
  })

  t.test(`${name}: any integer seed is taken mod 2^32, as Mt19937 takes it`, async t => {
    const outputs = (seed: number): number[] => {
      e.compute(seed, 4)
      return Array.from(e.outputs.subarray(0, 4 * e.lanes))
    }
    t.same(outputs(2 ** 32 + 42), outputs(42))
    t.same(outputs(-1), outputs(2 ** 32 - 1))
    t.same(outputs(2 ** 40 + 7), outputs(7))
  })

  t.test(`${name}: random blocks of consecutive seeds, 20,000 seeds in all, equal the serial engine's`, async t => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      fc.integer({ min: 1, max: 24 }),
      (seed, count) => mismatch(e, seed, count) === null
    ), { numRuns: 20_000 / e.lanes })
    t.pass()
  })

  t.test(`${name}: a count outside 1 .. 227 is refused`, async t => {
    for (const count of [0, -1, MAX_FIRST_OUTPUTS + 1, Number.NaN]) t.throws(() => e.compute(0, count), RangeError)
  })
}

t.test('both engines give the same outputs for the same seeds', { skip: simd === null }, async t => {
  const scalar = engines[0][1]
  for (const seed of [7, 2 ** 32 - 9]) {
    simd!.compute(seed, 20)
    for (let block = 0; block < 32; block += 8) {
      scalar.compute(seed + block, 20)
      for (let k = 0; k < 20; k++) {
        for (let j = 0; j < 8; j++) {
          if (simd!.outputs[k * 32 + block + j] !== scalar.outputs[k * 8 + j]) t.fail(`seed ${seed} + ${block + j}, output ${k}`)
        }
      }
    }
  }
  t.pass()
})

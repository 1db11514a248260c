/**
 * {@link FirstOutputs} in WebAssembly SIMD: 32 engines at once, eight vectors of
 * four 32-bit lanes, so that eight independent multiply chains hide each other's
 * latency. The same three loops as the scalar version (mt19937-lanes.ts): words
 * `1 .. count` kept, words `count + 1 .. 396` passed through, words
 * `397 .. 396 + count` each turned into an output with the kept words.
 *
 * The module is small enough to write out here, instruction by instruction, with a
 * few helpers for the binary format; it is compiled once, when first asked for.
 *
 * Memory (one 64 KiB page): the kept words at 0, word `i` of engine `j` at
 * `(i * 32 + j) * 4`; the outputs at {@link OUTPUTS_AT}, output `k` of engine `j`
 * at `OUTPUTS_AT + (k * 32 + j) * 4`. With at most 227 outputs, the words take
 * 29,184 bytes and the outputs 29,056.
 */
import type { FirstOutputs } from './mt19937-lanes.js'
import { MAX_FIRST_OUTPUTS } from './mt19937-lanes.js'

const VECTORS = 8
const LANES = 4 * VECTORS
/** Bytes from one word (or output) of every engine to the next: 32 engines × 4 bytes. */
const ROW = 4 * LANES
const OUTPUTS_AT = 32768

// The binary format: LEB128 integers, vectors, sections.
function uleb (n: number): number[] {
  const bytes: number[] = []
  do {
    let byte = n & 0x7f
    n >>>= 7
    if (n !== 0) byte |= 0x80
    bytes.push(byte)
  } while (n !== 0)
  return bytes
}
function sleb (n: number): number[] {
  const bytes: number[] = []
  for (;;) {
    const byte = n & 0x7f
    n >>= 7
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      bytes.push(byte)
      return bytes
    }
    bytes.push(byte | 0x80)
  }
}
const vector = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()]
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body]
const name = (text: string): number[] => vector([...text].map((c) => [c.charCodeAt(0)]))

// Instructions.
const I32 = 0x7f
const V128 = 0x7b
const localGet = (l: number): number[] => [0x20, ...uleb(l)]
const localSet = (l: number): number[] => [0x21, ...uleb(l)]
const i32Const = (n: number): number[] => [0x41, ...sleb(n | 0)]
const i32Add = [0x6a]
const i32Sub = [0x6b]
const i32Shl = [0x74]
const i32GeU = [0x4f]
const i32GtU = [0x4b]
const simd = (op: number, ...immediates: number[]): number[] => [0xfd, ...uleb(op), ...immediates]
// memarg: alignment 2^4 = 16 bytes, then the offset.
const v128Load = (offset: number): number[] => simd(0x00, 4, ...uleb(offset))
const v128Store = (offset: number): number[] => simd(0x0b, 4, ...uleb(offset))
const v128Const = (lanes: readonly number[]): number[] => simd(0x0c, ...lanes.flatMap((x) => [x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, (x >>> 24) & 0xff]))
const i32x4Splat = simd(0x11)
const v128And = simd(0x4e)
const v128Or = simd(0x50)
const v128Xor = simd(0x51)
const i32x4Neg = simd(0xa1)
const i32x4Shl = simd(0xab)
const i32x4ShrU = simd(0xad)
const i32x4Add = simd(0xae)
const i32x4Mul = simd(0xb5)
/** `block loop <body> end end`: `br 0` repeats, `br_if 1` leaves. */
const loop = (...body: number[][]): number[] => [0x02, 0x40, 0x03, 0x40, ...body.flat(), 0x0c, 0, 0x0b, 0x0b]
const breakIf = [0x0d, 1]
const splat = (n: number): number[] => [...i32Const(n), ...i32x4Splat]

// Locals: the parameters seed and count, then i, the row's address, the multiplier,
// i splatted, y and x of the twist, and the eight vectors of seeding state.
const SEED = 0
const COUNT = 1
const I = 2
const ADDRESS = 3
const MULTIPLIER = 4
const I_SPLAT = 5
const Y = 6
const X = 7
const STATE = Array.from({ length: VECTORS }, (_, v) => 8 + v)

/** `s = 1812433253 * (s ^ (s >>> 30)) + i` in every lane of every vector. */
const seedingStep = (): number[] => [
  ...localGet(I), ...i32x4Splat, ...localSet(I_SPLAT),
  ...STATE.flatMap((s) => [
    ...localGet(s), ...localGet(s), ...i32Const(30), ...i32x4ShrU, ...v128Xor,
    ...localGet(MULTIPLIER), ...i32x4Mul, ...localGet(I_SPLAT), ...i32x4Add, ...localSet(s)
  ])
]
const nextI = [...localGet(I), ...i32Const(1), ...i32Add, ...localSet(I)]
/** ADDRESS = (i - first) * ROW. */
const rowOf = (first: number): number[] => [...localGet(I), ...i32Const(first), ...i32Sub, ...i32Const(Math.log2(ROW)), ...i32Shl, ...localSet(ADDRESS)]

/** Output `k = i - 397` of each engine from the state (word i) and kept words k, k + 1. */
const outputs = (): number[] => STATE.flatMap((s, v) => [
  // y = (word k & 0x80000000) | (word k + 1 & 0x7fffffff)
  ...localGet(ADDRESS), ...v128Load(16 * v), ...splat(0x80000000), ...v128And,
  ...localGet(ADDRESS), ...v128Load(ROW + 16 * v), ...splat(0x7fffffff), ...v128And, ...v128Or, ...localSet(Y),
  // x = word i ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df)
  ...localGet(s), ...localGet(Y), ...i32Const(1), ...i32x4ShrU, ...v128Xor,
  ...localGet(Y), ...splat(1), ...v128And, ...i32x4Neg, ...splat(0x9908b0df), ...v128And, ...v128Xor, ...localSet(X),
  // the tempering
  ...localGet(X), ...localGet(X), ...i32Const(11), ...i32x4ShrU, ...v128Xor, ...localSet(X),
  ...localGet(X), ...localGet(X), ...i32Const(7), ...i32x4Shl, ...splat(0x9d2c5680), ...v128And, ...v128Xor, ...localSet(X),
  ...localGet(X), ...localGet(X), ...i32Const(15), ...i32x4Shl, ...splat(0xefc60000), ...v128And, ...v128Xor, ...localSet(X),
  ...localGet(ADDRESS), ...localGet(X), ...localGet(X), ...i32Const(18), ...i32x4ShrU, ...v128Xor, ...v128Store(OUTPUTS_AT + 16 * v)
])

/** `(func (param $seed i32) (param $count i32))`. */
const body: number[] = [
  ...splat(1812433253), ...localSet(MULTIPLIER),
  // Word 0 of engine 4v + l is seed + 4v + l, kept.
  ...STATE.flatMap((s, v) => [
    ...localGet(SEED), ...i32x4Splat, ...v128Const([4 * v, 4 * v + 1, 4 * v + 2, 4 * v + 3]), ...i32x4Add, ...localSet(s),
    ...i32Const(0), ...localGet(s), ...v128Store(16 * v)
  ]),
  ...i32Const(1), ...localSet(I),
  // Words 1 .. count, kept.
  ...loop(
    [...localGet(I), ...localGet(COUNT), ...i32GtU, ...breakIf],
    seedingStep(),
    rowOf(0),
    STATE.flatMap((s, v) => [...localGet(ADDRESS), ...localGet(s), ...v128Store(16 * v)]),
    nextI
  ),
  // Words count + 1 .. 396.
  ...loop(
    [...localGet(I), ...i32Const(397), ...i32GeU, ...breakIf],
    seedingStep(),
    nextI
  ),
  // Words 397 .. 396 + count: the outputs.
  ...loop(
    [...localGet(I), ...localGet(COUNT), ...i32Const(397), ...i32Add, ...i32GeU, ...breakIf],
    seedingStep(),
    rowOf(397),
    outputs(),
    nextI
  ),
  0x0b
]

function moduleBytes (): Uint8Array<ArrayBuffer> {
  const code = [...vector([[2, I32], [4 + VECTORS, V128]]), ...body]
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector([[0x60, ...vector([[I32], [I32]]), ...vector([])]])),
    ...section(3, vector([[0]])),
    ...section(5, vector([[0x00, 1]])),
    ...section(7, vector([[...name('seed'), 0x00, 0], [...name('memory'), 0x02, 0]])),
    ...section(10, vector([[...uleb(code.length), ...code]]))
  ])
}

/**
 * The part of the WebAssembly JavaScript API used here. Node's type definitions do
 * not declare `WebAssembly` (the DOM library does), so the global is read through
 * this shape.
 */
interface WebAssemblyApi {
  validate: (bytes: Uint8Array<ArrayBuffer>) => boolean
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> }
}

/**
 * The SIMD engines, or `null` where this runtime has no WebAssembly or no SIMD
 * (V8 with `--jitless`, for one).
 */
export function simdFirstOutputs (): FirstOutputs | null {
  const wasm = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly
  try {
    const bytes = moduleBytes()
    if (wasm === undefined || !wasm.validate(bytes)) return null
    const instance = new wasm.Instance(new wasm.Module(bytes), {})
    const seed = instance.exports.seed as (seed: number, count: number) => void
    const memory = instance.exports.memory as { buffer: ArrayBuffer }
    const outputs = new Uint32Array(memory.buffer, OUTPUTS_AT, MAX_FIRST_OUTPUTS * LANES)
    return {
      lanes: LANES,
      outputs,
      compute (first, count) {
        if (!(count >= 1 && count <= MAX_FIRST_OUTPUTS)) throw new RangeError(`count must be in 1 .. ${MAX_FIRST_OUTPUTS}, not ${count}`)
        seed(first, count)
      }
    }
  } catch {
    return null
  }
}

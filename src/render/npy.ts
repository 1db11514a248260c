/**
 * Answers as NumPy `.npy` files (format version 1.0): a float64 array of shape
 * (groups, steps), NaN where the library yields nothing, read by `numpy.load`.
 *
 * The array is stored in Fortran order, which for shape (groups, steps) puts every
 * group's value of a step together: exactly the rows the engine computes, so each
 * chunk is written as it comes, and `numpy.load` still gives `a[g, t]`.
 */

const MAGIC = [0x93, ...Buffer.from('NUMPY'), 1, 0]

/** The header of an array of `groups × steps` little-endian doubles. */
export function npyHeader (groups: number, steps: number): Uint8Array {
  const dict = `{'descr': '<f8', 'fortran_order': True, 'shape': (${groups}, ${steps}), }`
  // Magic, version, a 2-byte header length, then the dict padded with spaces and a
  // newline so that the data starts on a multiple of 64 bytes.
  const unpadded = MAGIC.length + 2 + dict.length + 1
  const padding = (64 - (unpadded % 64)) % 64
  const text = dict + ' '.repeat(padding) + '\n'
  const header = new Uint8Array(MAGIC.length + 2 + text.length)
  header.set(MAGIC, 0)
  new DataView(header.buffer).setUint16(MAGIC.length, text.length, true)
  header.set(Buffer.from(text, 'latin1'), MAGIC.length + 2)
  return header
}

const littleEndian = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f

/** The rows as raw little-endian doubles (a copy, so that it can be handed on). */
export function npyRows (values: Float64Array, groups: number, rows: number): Uint8Array {
  const bytes = new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + rows * groups * 8))
  if (!littleEndian) {
    const view = new DataView(bytes.buffer)
    for (let i = 0; i < rows * groups; i++) view.setFloat64(i * 8, values[i], true)
  }
  return bytes
}

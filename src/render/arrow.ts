/**
 * Answers as an Apache Arrow IPC stream (written by the apache-arrow package): a
 * `t` column (int64: the step, or the update for a plan) and one float64 column per
 * param group (`lr`, or `lr_0`, `lr_1`, ...), null where the library yields nothing.
 * pyarrow, polars, Arrow.jl and the Rust arrow crate read it.
 *
 * The stream is its schema, then a record batch per chunk as it is computed, then
 * the end-of-stream marker.
 */
import { Field, Float64, Int64, makeData, RecordBatch, RecordBatchStreamWriter, Schema, Struct } from 'apache-arrow'
import { lrColumns } from './csv.js'

export function arrowSchema (stepColumn: string, groups: number): Schema {
  return new Schema([
    new Field(stepColumn, new Int64(), false),
    ...lrColumns(groups).map((name) => new Field(name, new Float64(), true))
  ])
}

const schemaMessages = new Map<string, Uint8Array>()

/** The schema message that opens the stream. */
export function arrowHead (stepColumn: string, groups: number): Uint8Array {
  const key = `${stepColumn} ${groups}`
  let bytes = schemaMessages.get(key)
  if (bytes === undefined) {
    const writer = new RecordBatchStreamWriter()
    writer.reset(undefined, arrowSchema(stepColumn, groups))
    bytes = writer.toUint8Array(true)
    schemaMessages.set(key, bytes)
  }
  return bytes
}

/** The end-of-stream marker (a continuation token and a zero length). */
export const ARROW_TAIL = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0])

/** One record batch message: rows `first .. first + rows - 1`. */
export function arrowRows (stepColumn: string, values: Float64Array, groups: number, rows: number, first: number): Uint8Array {
  const schema = arrowSchema(stepColumn, groups)
  const steps = new BigInt64Array(rows)
  for (let n = 0; n < rows; n++) steps[n] = BigInt(first + n)
  const columns = Array.from({ length: groups }, (_, g) => {
    const column = new Float64Array(rows)
    let nulls = 0
    for (let n = 0; n < rows; n++) {
      const value = values[n * groups + g]
      column[n] = value
      if (Number.isNaN(value)) nulls++
    }
    if (nulls === 0) return makeData({ type: new Float64(), data: column, length: rows })
    const validity = new Uint8Array(Math.ceil(rows / 8))
    for (let n = 0; n < rows; n++) if (!Number.isNaN(column[n])) validity[n >> 3] |= 1 << (n & 7)
    return makeData({ type: new Float64(), data: column, length: rows, nullCount: nulls, nullBitmap: validity })
  })
  const batch = new RecordBatch(schema, makeData({
    type: new Struct(schema.fields),
    length: rows,
    children: [makeData({ type: new Int64(), data: steps, length: rows }), ...columns]
  }))
  const writer = new RecordBatchStreamWriter()
  writer.write(batch)
  const bytes = writer.toUint8Array(true)
  // The writer opens with the schema; the batch is what follows it.
  const head = arrowHead(stepColumn, groups)
  return bytes.slice(head.length)
}

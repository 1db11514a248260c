/**
 * Answers as JSON. Every value is written once: `lr` holds one entry per step, a
 * number when the request has one param group (`"lr": [0.1, 0.09, ...]`, as easy to
 * use as a list), and a list with one number per group when it has several
 * (`"lr": [[0.1, 0.05], [0.09, 0.045], ...]`: step t's LRs, in the groups' order,
 * ready to set on the optimizer). A step where the library yields nothing is null.
 * Numbers are JavaScript's shortest round-trip decimals: `json.loads` and
 * `JSON.parse` read back the same doubles.
 */

/** The rows of a window as the inside of a JSON array, without the brackets. */
export function jsonRows (values: Float64Array, groups: number, rows: number): string {
  if (rows === 0) return ''
  if (groups === 1) return JSON.stringify(Array.from(values.subarray(0, rows))).slice(1, -1)
  const list: number[][] = new Array(rows)
  for (let n = 0, i = 0; n < rows; n++, i += groups) list[n] = Array.from(values.subarray(i, i + groups))
  return JSON.stringify(list).slice(1, -1)
}

/** `{...fields,"lr":[`: what comes before the rows. */
export function jsonHead (fields: Record<string, unknown>): string {
  const opening = JSON.stringify(fields).slice(0, -1)
  return `${opening}${opening.length > 1 ? ',' : ''}"lr":[`
}

/** What closes the answer. */
export const JSON_TAIL = ']}'

/** One step: `{"t": 7, "lr": 0.00008}` (or a list per group), with the head's other fields. */
export function jsonPoint (fields: Record<string, unknown>, values: Float64Array, groups: number): string {
  const lr = groups === 1 ? values[0] : Array.from(values.subarray(0, groups))
  return JSON.stringify({ ...fields, lr })
}

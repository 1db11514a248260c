/**
 * Answers as CSV, for spreadsheets, pandas and `csv.reader`.
 *
 * - A header row, then one row per step.
 * - The first column is the step: `t` for a schedule (from `start`), `update` for a
 *   plan (from 0).
 * - One LR column per param group: `lr` when there is one group; `lr_0`, `lr_1`, ...
 *   (the groups' indices) when there are several.
 * - Values are JavaScript's shortest round-trip text, so `float(cell)` gives the same
 *   double as the JSON answer; a step where timm yields nothing is an empty cell.
 * - Lines end in `\n`, the last one included. No cell ever needs quoting.
 */
import type { PlanAnswer, ScheduleAnswer, Values } from './answer.js'
import { shortest } from './numbers.js'

/** `t,lr` (or `t,lr_0,lr_1,...`): a row per step from `answer.start`. */
export function scheduleCsv (answer: ScheduleAnswer): string {
  return [...scheduleCsvChunks(answer)].join('')
}

/** `update,lr` (or `update,lr_0,lr_1,...`): a row per optimizer update from 0. */
export function planCsv (answer: PlanAnswer): string {
  return [...planCsvChunks(answer)].join('')
}

/**
 * The same text in pieces of `CHUNK_ROWS` rows, for a streamed reply
 * (`Readable.from(scheduleCsvChunks(answer))`): a 1,000,000-row answer takes about
 * half a second to print, and streaming lets the server answer others meanwhile.
 */
export function scheduleCsvChunks (answer: ScheduleAnswer): Generator<string> {
  return table('t', answer.start, answer.count, answer.param_groups.map((group) => group.lr))
}

/** `planCsv` in pieces, as `scheduleCsvChunks`. */
export function planCsvChunks (answer: PlanAnswer): Generator<string> {
  const groups = answer.param_groups.map((group) => group.lr)
  return table('update', 0, groups[0]?.length ?? 0, groups)
}

/** The LR columns' names: `lr` for one group, `lr_<index>` for several. */
export function lrColumns (groups: number): string[] {
  return groups === 1 ? ['lr'] : Array.from({ length: groups }, (_, g) => `lr_${g}`)
}

/** Rows per piece of `scheduleCsvChunks` / `planCsvChunks`. */
export const CHUNK_ROWS = 1 << 16

function * table (stepColumn: string, start: number, count: number, groups: readonly Values[]): Generator<string> {
  yield [stepColumn, ...lrColumns(groups.length)].join(',') + '\n'
  for (let from = 0; from < count; from += CHUNK_ROWS) {
    const to = Math.min(from + CHUNK_ROWS, count)
    let text = ''
    for (let n = from; n < to; n++) {
      text += String(start + n)
      for (const values of groups) text += ',' + shortest(values[n])
      text += '\n'
    }
    yield text
  }
}

/**
 * Answers as CSV, for spreadsheets, pandas and `csv.reader`.
 *
 * - A header row, then one row per step.
 * - The first column is the step: `t` for a schedule, `update` for a plan.
 * - One LR column per param group: `lr` when there is one group; `lr_0`, `lr_1`, ...
 *   (the groups' indices) when there are several.
 * - Values are JavaScript's shortest round-trip text, so `float(cell)` gives the same
 *   double as the JSON answer; a step where the library yields nothing is an empty cell.
 * - Lines end in `\n`, the last one included. No cell ever needs quoting.
 */
import { shortest } from './numbers.js'

/** The LR columns' names: `lr` for one group, `lr_<index>` for several. */
export function lrColumns (groups: number): string[] {
  return groups === 1 ? ['lr'] : Array.from({ length: groups }, (_, g) => `lr_${g}`)
}

/** The header row. */
export function csvHead (stepColumn: string, groups: number): string {
  return [stepColumn, ...lrColumns(groups)].join(',') + '\n'
}

/** Rows `first .. first + rows - 1` of row-major values. */
export function csvRows (values: Float64Array, groups: number, rows: number, first: number): string {
  let text = ''
  for (let n = 0, i = 0; n < rows; n++) {
    text += String(first + n)
    for (let g = 0; g < groups; g++) text += ',' + shortest(values[i++])
    text += '\n'
  }
  return text
}

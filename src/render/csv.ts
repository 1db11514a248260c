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
  return table('t', answer.start, answer.count, answer.param_groups.map((group) => group.lr))
}

/** `update,lr` (or `update,lr_0,lr_1,...`): a row per optimizer update from 0. */
export function planCsv (answer: PlanAnswer): string {
  const groups = answer.param_groups.map((group) => group.lr)
  return table('update', 0, groups[0]?.length ?? 0, groups)
}

/** The LR columns' names: `lr` for one group, `lr_<index>` for several. */
export function lrColumns (groups: number): string[] {
  return groups === 1 ? ['lr'] : Array.from({ length: groups }, (_, g) => `lr_${g}`)
}

function table (stepColumn: string, start: number, count: number, groups: readonly Values[]): string {
  const lines = new Array<string>(count + 1)
  lines[0] = [stepColumn, ...lrColumns(groups.length)].join(',')
  for (let n = 0; n < count; n++) {
    let line = String(start + n)
    for (const values of groups) line += ',' + shortest(values[n])
    lines[n + 1] = line
  }
  return lines.join('\n') + '\n'
}

/**
 * A scheduler definition run as the service runs it, for the conformance tests:
 * its fields parsed by its own zod shape (defaults filled, cross-field rules
 * checked), the schedule created, and a window computed by the compute layer's
 * `computeRows` (which refuses a value that is not a finite number).
 */
import { z } from 'zod'
import { computeRows } from '../../src/compute/rows.js'
import type { AnySchedulerDefinition, ParamGroup } from '../../src/schedules/core/define.js'

/** The definition's fields, validated as a request's would be (without the API's own fields). */
export function paramsOf (definition: AnySchedulerDefinition, fields: Record<string, unknown>, groups = 1): any {
  return z.strictObject(definition.shape)
    .superRefine((params, ctx) => definition.check?.(params, ctx, groups))
    .parse(fields)
}

/** Steps `start .. start + count - 1`, a list per group; null where the library yields nothing. */
export function run (definition: AnySchedulerDefinition, fields: Record<string, unknown>, groups: readonly ParamGroup[], start: number, count: number): Array<Array<number | null>> {
  const params = paramsOf(definition, fields, groups.length)
  const out = new Float64Array(count * groups.length)
  computeRows(definition.create(params, groups), groups.length, start, start + count, out)
  return groups.map((_, g) => Array.from({ length: count }, (_, n) => {
    const value = out[n * groups.length + g]
    return Number.isNaN(value) ? null : value
  }))
}

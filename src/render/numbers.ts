/**
 * How numbers are printed where people read them: CSV cells (JavaScript's shortest
 * round-trip form, which `float()` and `JSON.parse` read back to the same double) and
 * titles or code (Python's `repr`, as a timm user would write the argument).
 */

/** The shortest text that reads back as the same double; empty for null, NaN or ±Infinity. */
export function shortest (value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '' : String(value)
}

export { pythonNumber, pythonValue } from '../schedules/core/python.js'

/**
 * How numbers are printed where people read them: CSV cells (JavaScript's shortest
 * round-trip form, which `float()` and `JSON.parse` read back to the same double) and
 * titles or code (Python's `repr`, as a timm user would write the argument).
 */

/** The shortest text that reads back as the same double; empty for null, NaN or ±Infinity. */
export function shortest (value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '' : String(value)
}

/**
 * Python's `repr` of a number as it would be written in a constructor call: an
 * integral value below 2^53 as an int (`5`, as timm's own signatures write `decay_t`),
 * anything else as Python's float repr (`1e-05`, `0.0001`, `2.5`), which keeps the
 * shortest round-trip digits and switches to an exponent below 1e-4 or from 1e16.
 */
export function pythonNumber (value: number): string {
  if (Number.isNaN(value)) return "float('nan')"
  if (!Number.isFinite(value)) return value > 0 ? "float('inf')" : "-float('inf')"
  if (Number.isInteger(value) && Math.abs(value) < 2 ** 53) return Object.is(value, -0) ? '-0.0' : String(value)
  const [mantissa, exponentText] = value.toExponential().split('e')
  const exponent = Number(exponentText)
  if (exponent < -4 || exponent >= 16) {
    const sign = exponent < 0 ? '-' : '+'
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`
  }
  // In this range JavaScript prints the same digits in positional notation.
  const text = String(value)
  return text.includes('.') || text.includes('e') ? text : `${text}.0`
}

/** A JSON-like parameter value in Python syntax: numbers by `pythonNumber`, lists, strings, True/False/None. */
export function pythonValue (value: unknown): string {
  if (value === null || value === undefined) return 'None'
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  if (typeof value === 'number') return pythonNumber(value)
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
  if (Array.isArray(value)) return `[${value.map(pythonValue).join(', ')}]`
  return String(value)
}

/**
 * Python's float arithmetic where it differs from JavaScript's, and where it raises
 * instead of answering. timm's schedules are Python expressions; these functions
 * make the same expressions give the same doubles, or the same refusal, here.
 */
import { log, pow } from '../../math/index.js'
import { ScheduleError } from './errors.js'

/**
 * `a // b` for Python floats (CPython `float_floor_div`): `fmod` first, then the
 * quotient of the exact difference, then a correction that keeps the result the
 * floor of the true quotient, which `Math.floor(a / b)` is not (`0.5 // 0.1` is 4.0).
 * Exact for integers below 2^53, so it serves `int // int` too.
 */
export function floorDiv (a: number, b: number): number {
  if (b === 0) throw new ScheduleError('division by zero: timm divides by a parameter that is 0', 'ZeroDivisionError')
  let mod = a % b
  let div = (a - mod) / b
  if (mod !== 0) {
    if ((b < 0) !== (mod < 0)) {
      mod += b
      div -= 1
    }
  }
  if (div === 0) return (a / b < 0 || Object.is(a / b, -0)) ? -0 : 0
  let quotient = Math.floor(div)
  if (div - quotient > 0.5) quotient += 1
  return quotient
}

/**
 * `x ** y` for Python floats (CPython `float_pow`): C `pow`, except that Python
 * raises where C would answer. `0.0 ** -1` is a ZeroDivisionError, a finite base to a
 * finite exponent overflowing to infinity is an OverflowError, and a negative base
 * to a fractional exponent gives a complex number, which no learning rate can be.
 */
export function pyPow (x: number, y: number): number {
  if (y === 0) return 1
  if (Number.isNaN(x)) return x
  if (Number.isNaN(y)) return x === 1 ? 1 : y
  if (!Number.isFinite(y) || !Number.isFinite(x)) return pow(x, y)
  if (x === 0) {
    if (y < 0) throw new ScheduleError('0.0 cannot be raised to a negative power', 'ZeroDivisionError')
    return pow(x, y)
  }
  if (x < 0 && y !== Math.floor(y)) {
    throw new ScheduleError(`a negative number (${x}) raised to a fractional power (${y}) is complex in Python; no learning rate can come of it`, 'ValueError')
  }
  const result = pow(x, y)
  if (!Number.isFinite(result)) {
    throw new ScheduleError(`${x} ** ${y} overflows a double (Python raises OverflowError: numerical result out of range)`, 'OverflowError')
  }
  return result
}

/**
 * `math.log(x, base)`: `log(x) / log(base)`, two roundings as CPython does them.
 * A non-positive argument is a "math domain error" (ValueError), base 1 a
 * ZeroDivisionError.
 */
export function logBase (x: number, base: number): number {
  if (!(x > 0) || !(base > 0)) {
    if (Number.isNaN(x) || Number.isNaN(base)) return NaN
    throw new ScheduleError(`math.log(${x}, ${base}) is a math domain error: both must be positive`, 'ValueError')
  }
  const den = log(base)
  if (den === 0) throw new ScheduleError('math.log with base 1 divides by zero', 'ZeroDivisionError')
  return log(x) / den
}

/** `math.floor(x)` as an integer: infinity is an OverflowError and NaN a ValueError. */
export function pyFloor (x: number): number {
  if (Number.isNaN(x)) throw new ScheduleError('math.floor(nan): cannot convert float NaN to integer', 'ValueError')
  if (!Number.isFinite(x)) throw new ScheduleError('math.floor(inf): cannot convert float infinity to integer', 'OverflowError')
  return Math.floor(x)
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

/**
 * A call as Python code: `Name(optimizer, a=1, b=[30, 60])`, positional arguments
 * written as given, keyword values by `pythonValue`.
 */
export function pythonCall (callee: string, positional: readonly string[], keywords: ReadonlyArray<readonly [string, unknown]>): string {
  return `${callee}(${[...positional, ...keywords.map(([name, value]) => `${name}=${pythonValue(value)}`)].join(', ')})`
}

/**
 * The keyword arguments of a call for validated `params`: each field of `shape`
 * that is set and differs from its default (a required field is always written),
 * in the shape's order, leaving out `skip`.
 */
export function keywordArguments (shape: Readonly<Record<string, { _zod: { def: unknown } }>>, params: Readonly<Record<string, unknown>>, skip: readonly string[] = []): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = []
  for (const [name, field] of Object.entries(shape)) {
    if (skip.includes(name) || params[name] === undefined) continue
    const def = field._zod.def as { type: string, defaultValue?: unknown }
    if (def.type === 'default' && JSON.stringify(def.defaultValue) === JSON.stringify(params[name])) continue
    out.push([name, params[name]])
  }
  return out
}

/**
 * `x ** k` by Python's rules for the integer powers a schedule steps through (a
 * decay per cycle or per milestone), each computed once: consecutive steps share
 * their power, so a step's decay is a lookup, not a `pow`.
 */
import { pyPow } from '../core/python.js'

/** `k => pyPow(x, k)`, remembering the last power asked (the next step usually asks it again). */
export function powers (x: number): (k: number) => number {
  let lastK = NaN
  let last = NaN
  return (k) => {
    if (k !== lastK) {
      last = pyPow(x, k)
      lastK = k
    }
    return last
  }
}

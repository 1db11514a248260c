/**
 * The elementary functions the engine evaluates where timm evaluates C's libm
 * (through CPython's `math` module and PyTorch's CPU kernels).
 *
 * Every schedule formula imports them from here, never from `Math`, so that the
 * precision of the whole engine is decided in one place. The aim is glibc's bits.
 *
 * - cos, sin, exp, log, pow: correctly rounded (round to nearest even of the exact
 *   result; C99 Annex F special values). glibc 2.36's versions are correctly rounded
 *   except in about 0.1% of calls (they are within 0.52 ulp), where no portable
 *   algorithm can follow them; V8's Math.* differ from glibc in 2.5–7% of calls.
 * - tanh, log1p: V8's Math.tanh and Math.log1p. glibc's are fdlibm's algorithms (about
 *   1 ulp, not correctly rounded in 5–10% of calls) and V8's are ports of the same
 *   code: they match glibc on 1990 and 1999 of the 2,000 inputs of
 *   test/math/glibc-table.json, the correctly rounded versions on 1816 and 1889.
 *   Correctly rounded tanh and log1p are in tanh.ts and log.ts.
 * - sqrt: Math.sqrt, which IEEE 754 requires to be correctly rounded.
 *
 * See each file for the algorithm and the error bound of its fast path, and
 * multiprecision.ts for the exact slow path.
 */
export { cos, sin } from './trig.js'
export { exp } from './exp.js'
export { log } from './log.js'
export { pow } from './pow.js'
export const tanh = Math.tanh
export const log1p = Math.log1p
export const sqrt = Math.sqrt

/**
 * The elementary functions the engine evaluates where timm evaluates C's libm
 * (through CPython's `math` module and PyTorch's CPU kernels).
 *
 * Every schedule formula imports them from here, never from `Math`, so that the
 * precision of the whole engine is decided in one place.
 */
export const cos = Math.cos
export const sin = Math.sin
export const tanh = Math.tanh
export const exp = Math.exp
export const log = Math.log
export const log1p = Math.log1p
export const pow = Math.pow
export const sqrt = Math.sqrt

/**
 * The engine's math seam with V8's own functions: the baseline the engine bench
 * measures the correctly rounded functions against, on the engine's own code path.
 */
export const cos = Math.cos
export const sin = Math.sin
export const exp = Math.exp
export const log = Math.log
export const pow = Math.pow
export const tanh = Math.tanh
export const log1p = Math.log1p
export const sqrt = Math.sqrt

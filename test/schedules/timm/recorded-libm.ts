/**
 * src/math with its libm functions observed: in `record` mode each call's
 * function and arguments are collected (the engine's results returned); in
 * `substitute` mode a call listed in `results` returns the result listed there,
 * e.g. glibc's. The sweep test loads timm's schedulers against this module.
 */
import * as engine from '../../../src/math/index.js'

export * from '../../../src/math/index.js'

/** A call's key: the function and its arguments, as `fn(x)` or `fn(x,y)`. */
export const callKey = (fn: string, x: number, y?: number): string => y === undefined ? `${fn}(${x})` : `${fn}(${x},${y})`

export const libm = {
  mode: 'record' as 'record' | 'substitute',
  calls: new Map<string, readonly [string, number, number | undefined]>(),
  results: new Map<string, number>(),
}

function observed (fn: string, x: number, y: number | undefined, own: number): number {
  const key = callKey(fn, x, y)
  if (libm.mode === 'record') {
    libm.calls.set(key, [fn, x, y])
    return own
  }
  return libm.results.get(key) ?? own
}

export const cos = (x: number): number => observed('cos', x, undefined, engine.cos(x))
export const sin = (x: number): number => observed('sin', x, undefined, engine.sin(x))
export const exp = (x: number): number => observed('exp', x, undefined, engine.exp(x))
export const log = (x: number): number => observed('log', x, undefined, engine.log(x))
export const tanh = (x: number): number => observed('tanh', x, undefined, engine.tanh(x))
export const pow = (x: number, y: number): number => observed('pow', x, y, engine.pow(x, y))

/** The engine's own result for a recorded call. */
export function engineResult (fn: string, x: number, y?: number): number {
  return fn === 'pow' ? engine.pow(x, y!) : (engine as unknown as Record<string, (x: number) => number>)[fn](x)
}

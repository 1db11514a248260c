// A module resolution hook for the baseline run: the engine's math seam (src/math/index.js)
// resolves to bench/baseline/math.ts, and nothing else changes.
import { register } from 'node:module'

register('./resolve.mjs', import.meta.url)

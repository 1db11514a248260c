const baseline = new URL('./math.ts', import.meta.url).href

// The engine's math seam (src/math/index.js), imported from anywhere in src/, resolves
// to V8's functions instead; src/math itself and everything outside src/ are untouched.
export async function resolve (specifier, context, nextResolve) {
  const parent = context.parentURL
  if (parent?.includes('/src/') && !parent.includes('/src/math/') && specifier.endsWith('/math/index.js') &&
      new URL(specifier, parent).pathname.endsWith('/src/math/index.js')) {
    return nextResolve(baseline, context)
  }
  return nextResolve(specifier, context)
}

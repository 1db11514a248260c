const baseline = new URL('./math.ts', import.meta.url).href

export async function resolve (specifier, context, nextResolve) {
  if (specifier === '../math/index.js' && context.parentURL?.includes('/src/')) {
    return nextResolve(baseline, context)
  }
  return nextResolve(specifier, context)
}

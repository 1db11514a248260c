/**
 * A second copy of the schedulers whose imports of src/math resolve to another
 * module: the conformance tests load the engine against libm results as the golden
 * vectors' CPython saw them (glibc), to show that every value that differs comes
 * from a libm call and from nothing else. Module hooks tag each module of the copy
 * with a query; tap's mockImport cannot follow this project's `.js` specifiers of
 * `.ts` files past the first module.
 */
import { register } from 'node:module'

const hooks = `
const wrappers = new Map()
export function initialize (data) { wrappers.set(data.tag, data.wrapper) }
export async function resolve (specifier, context, next) {
  const resolved = await next(specifier, context)
  const parent = context.parentURL
  if (parent === undefined || !resolved.url.startsWith('file:')) return resolved
  const tag = [...new URL(parent).searchParams.keys()].find((key) => wrappers.has(key))
  if (tag === undefined) return resolved
  const url = new URL(resolved.url)
  if (/\\/src\\/math\\/index\\.[jt]s$/.test(url.pathname)) return { ...resolved, url: wrappers.get(tag) }
  url.searchParams.set(tag, '')
  return { ...resolved, url: url.href }
}`

/**
 * src/schedules/index.ts once more, with every module below it that imports
 * src/math/index.ts given `wrapper` in its place. `tag` names the copy.
 */
export async function schedulesWithMath (wrapper: URL, tag: string): Promise<typeof import('../../src/schedules/index.js')> {
  register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { wrapper: wrapper.href, tag } })
  return await import(`${new URL('../../src/schedules/index.ts', import.meta.url).href}?${tag}`)
}

/**
 * A fresh app per test, closed when the test ends, and the helpers the HTTP tests
 * share. Requests go through `inject`: no port is opened. The apps of a test file
 * share one compute pool of real worker threads, closed when the file ends.
 */
import tap, { type Test } from 'tap'
import { type AppOptions, buildApp } from '../../src/app.js'
import { ComputePool } from '../../src/compute/pool.js'

let shared: ComputePool | undefined

/** The test file's pool: two workers, started with the first computation. */
export function testPool (): ComputePool {
  if (shared === undefined) {
    shared = new ComputePool({ workers: 2, maxQueue: 64 })
    tap.teardown(() => shared?.close())
  }
  return shared
}

export function appFor (t: Test, options: AppOptions = {}) {
  const app = buildApp({ maxValues: 1_000_000, pool: testPool(), ...options })
  t.teardown(() => app.close())
  return app
}

export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  errors: Array<{ path: string, message: string }>
}

/** The paths a problem names, in order. */
export function pathsOf (body: string): string[] {
  return (JSON.parse(body) as Problem).errors.map((error) => error.path)
}

/** A query string from an object: arrays comma-separated, as the GET routes read them. */
export function queryOf (params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(Array.isArray(value) ? value.join(',') : String(value))}`)
    .join('&')
}

/** The text of every `<text>` element of an SVG answer, in order. */
export function svgTexts (svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)]
    .map((match) => match[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'))
}

/** An answer's `lr` as a list per group, whatever the number of groups. */
export function groupsOf (answer: { lr: unknown[] }, groups: number): unknown[][] {
  if (groups === 1) return [answer.lr]
  return Array.from({ length: groups }, (_, g) => answer.lr.map((row) => (row as unknown[])[g]))
}

/**
 * A fresh app per test, closed when the test ends, and the helpers the HTTP tests
 * share. Requests go through `inject`: no port is opened.
 */
import type { Test } from 'tap'
import { type AppOptions, buildApp } from '../../src/app.js'

export function appFor (t: Test, options: AppOptions = {}) {
  const app = buildApp({ maxValues: 1_000_000, ...options })
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

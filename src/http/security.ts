/**
 * Security headers: helmet's, computed once at start-up and set as they are on every
 * answer (helmet would rebuild them, and re-parse its Content-Security-Policy, per
 * request).
 *
 * Every answer is a public pure function of its request, so any origin may read it
 * (CORS, `CORS_ORIGINS`) and embed it (`Cross-Origin-Resource-Policy: cross-origin`:
 * an SVG chart in another site's `<img>`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import helmet from 'helmet'

/** helmet's headers, as its middleware sets them, read off once. */
export function securityHeaders (): Record<string, string> {
  const headers: Record<string, string> = {}
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => { headers[name.toLowerCase()] = String(value) },
    removeHeader: (name: string) => { delete headers[name.toLowerCase()] }
  }
  helmet({
    // The service speaks plain HTTP (TLS, if any, ends at a proxy in front of it):
    // upgrading the docs' assets to https would break /docs, and HSTS is the proxy's call.
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    strictTransportSecurity: false,
    crossOriginResourcePolicy: { policy: 'cross-origin' }
  })({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => { if (error !== undefined) throw error })
  return headers
}

/** `CORS_ORIGINS`: `*` (any origin; the default), or a comma-separated list of origins. */
export function corsOriginsFromEnv (env: NodeJS.ProcessEnv = process.env): '*' | string[] {
  const text = env.CORS_ORIGINS?.trim()
  if (text === undefined || text === '' || text === '*') return '*'
  const origins = text.split(',').map((origin) => origin.trim()).filter(Boolean)
  for (const origin of origins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) throw new Error(`CORS_ORIGINS must be * or a comma-separated list of origins such as https://dashboard.example.com; got ${JSON.stringify(origin)}`)
  }
  return origins
}

/**
 * The server: listens on PORT and HOST, logs JSON lines with pino at LOG_LEVEL
 * (default info), and shuts down without losing an answer.
 *
 * On SIGTERM or SIGINT it drains: /readyz turns 503 at once (a load balancer stops
 * sending work), the listening socket closes, a request arriving on an open
 * connection gets a 503 problem with `Connection: close`, and every answer already
 * begun is written to the end (until its last byte is handed to the system). The
 * process then exits 0; if answers are still being written after SHUTDOWN_GRACE_MS,
 * they are cut, and it exits 1. A second signal cuts at once.
 */
import type { ServerResponse } from 'node:http'
import net from 'node:net'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import { type Settings, settingsFromEnv } from './settings.js'

const lifecycle = { draining: false }
let settings: Settings
let app: FastifyInstance
try {
  settings = settingsFromEnv()
  app = buildApp({ ...settings, logger: { level: process.env.LOG_LEVEL ?? 'info' }, lifecycle })
} catch (error) {
  // A bad setting: say which, and stop.
  console.error(`could not start: ${(error as Error).message}`)
  process.exit(1)
}

/** Every response begun and not yet finished or abandoned. */
const inFlight = new Set<ServerResponse>()
app.server.on('request', (_request, response: ServerResponse) => {
  inFlight.add(response)
  response.once('close', () => inFlight.delete(response))
})

async function drain (signal: string): Promise<void> {
  lifecycle.draining = true
  const started = Date.now()
  app.log.info({ signal, inFlight: inFlight.size, graceMs: settings.shutdownGraceMs }, 'draining: no new requests, finishing the answers in flight')
  // Stop accepting connections, but leave the open ones open: a request arriving on one
  // gets a 503 problem with Connection: close (app.ts), which a client or a balancer
  // retries elsewhere. (http.Server's own close would also drop the idle ones at once,
  // and a client reusing one would see a reset instead of an answer.)
  net.Server.prototype.close.call(app.server)
  while (inFlight.size > 0 && Date.now() - started < settings.shutdownGraceMs) {
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  app.server.closeIdleConnections()
  const cut = inFlight.size
  if (cut > 0) {
    app.log.error({ cut, graceMs: settings.shutdownGraceMs }, 'answers still being written at the end of the grace period were cut')
    app.server.closeAllConnections()
  }
  await app.close()
  app.log.info({ ms: Date.now() - started, cut }, 'stopped')
  process.exit(cut > 0 ? 1 : 0)
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (lifecycle.draining) {
      app.log.error({ signal }, 'a second signal: stopping now')
      process.exit(1)
    }
    drain(signal).catch((error: unknown) => {
      app.log.fatal({ err: error }, 'could not drain')
      process.exit(1)
    })
  })
}
process.on('uncaughtException', (error) => {
  app.log.fatal({ err: error }, 'uncaught error')
  process.exit(1)
})

try {
  // The workers start loading beside the listening socket, not with the first request.
  app.computePool.start()
  await app.listen({ port: settings.port, host: settings.host })
} catch (error) {
  // A port in use, say: say so and stop.
  app.log.fatal({ err: error }, 'could not start')
  process.exit(1)
}

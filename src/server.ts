/**
 * The server: listens on PORT (default 3000) and HOST (default 127.0.0.1), logs JSON
 * lines with pino at LOG_LEVEL (default info), and on SIGTERM or SIGINT stops
 * accepting connections, lets the requests in flight finish, and exits 0.
 */
import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'

function port (text: string | undefined): number {
  if (text === undefined || text === '') return 3000
  const value = Number(text)
  if (!/^\d+$/.test(text) || value > 65535) throw new Error(`PORT must be a port number (0 to 65535); got ${JSON.stringify(text)}`)
  return value
}

let app: FastifyInstance | undefined
try {
  const server = buildApp({ logger: { level: process.env.LOG_LEVEL ?? 'info' } })
  app = server
  const listening = { port: port(process.env.PORT), host: process.env.HOST ?? '127.0.0.1' }
  closeWithGrace({
    // Requests still running after this long are cut, and the exit code is 1.
    delay: 10_000,
    logger: { error: (message: unknown) => server.log.error(message) }
  }, async ({ signal, err }) => {
    if (err !== undefined) server.log.error({ err }, 'closing after an uncaught error')
    else server.log.info({ signal }, 'closing: no new connections, finishing the requests in flight')
    await server.close()
  })
  await server.listen(listening)
} catch (error) {
  // A bad setting (PORT, MAX_VALUES, LOG_LEVEL) or a port in use: say so and stop.
  if (app !== undefined) app.log.fatal({ err: error }, 'could not start')
  else console.error(`could not start: ${(error as Error).message}`)
  process.exit(1)
}

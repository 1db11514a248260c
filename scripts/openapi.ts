/**
 * Writes the OpenAPI document the app serves at /openapi.json to openapi/openapi.json
 * (`npm run openapi`). A test fails when the committed file and the app differ.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { buildApp } from '../src/app.js'
import { DEFAULT_MAX_VALUES } from '../src/settings.js'

export const documentPath = fileURLToPath(new URL('../openapi/openapi.json', import.meta.url))

/** The document as the app serves it, formatted as it is committed. */
export async function openapiText (): Promise<string> {
  const app = buildApp({ maxValues: DEFAULT_MAX_VALUES })
  try {
    const response = await app.inject({ method: 'GET', url: '/openapi.json' })
    return JSON.stringify(JSON.parse(response.body), null, 2) + '\n'
  } finally {
    await app.close()
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(fileURLToPath(new URL('../openapi/', import.meta.url)), { recursive: true })
  writeFileSync(documentPath, await openapiText())
  console.log(`wrote ${documentPath}`)
}

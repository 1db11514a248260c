/**
 * The README's curl examples, run through the app: each command followed by a json
 * block must answer exactly that block, line by line.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { appFor } from './app.js'

const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8')

interface Example { method: 'GET' | 'POST', url: string, body?: string, expected: string }

/** Each ```sh block of curl commands with the ```json block after it. */
function examples (text: string): Example[] {
  const found: Example[] = []
  for (const [, commands, answers] of text.matchAll(/```sh\n((?:curl[^\n]*(?:\\\n[^\n]*)*\n)+)```\n```json\n([\s\S]*?)```/g)) {
    const curls = commands.replace(/\\\n\s*/g, ' ').trim().split('\n')
    const lines = answers.trim().split('\n')
    t.equal(curls.length, lines.length, `one answer line per command: ${curls[0]}`)
    curls.forEach((curl, i) => {
      const url = /'?(http:\/\/127\.0\.0\.1:3000[^\s']*)'?/.exec(curl)![1].replace('http://127.0.0.1:3000', '')
      const body = /-d '([^']*)'/.exec(curl)?.[1]
      found.push({ method: body === undefined ? 'GET' : 'POST', url, body, expected: lines[i] })
    })
  }
  return found
}

const all = examples(readme)
t.ok(all.length >= 8, `${all.length} examples`)
for (const example of all) {
  t.test(`${example.method} ${example.url}`, async (t) => {
    const app = appFor(t)
    const response = await app.inject({
      method: example.method,
      url: example.url,
      ...(example.body !== undefined && { payload: example.body, headers: { 'content-type': 'application/json' } })
    })
    t.equal(response.body, example.expected)
  })
}

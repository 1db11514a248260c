/**
 * The README's curl examples, run through the app: each command followed by a json
 * block must answer exactly that block, line by line; a command followed by a csv
 * block, exactly that text; a command that writes a chart (`-o name.svg`), exactly
 * the file docs/charts/name.svg that the README shows.
 */
import { existsSync, readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { DEFAULT_MAX_VALUES } from '../../src/settings.js'
import { appFor } from './app.js'

const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8')
const charts = fileURLToPath(new URL('../../docs/charts/', import.meta.url))

interface Example {
  method: 'GET' | 'POST'
  url: string
  headers: Record<string, string>
  body?: string
  /** The answer's text, exactly. */
  expected?: string
  /** The file the command writes with -o. */
  output?: string
}

/** A curl command's request: its URL, -d body and -H headers, and its -o file. */
function request (curl: string): Omit<Example, 'expected'> {
  const url = /'?(http:\/\/127\.0\.0\.1:3000[^\s']*)'?/.exec(curl)![1].replace('http://127.0.0.1:3000', '')
  const body = /-d '([^']*)'/.exec(curl)?.[1]
  const headers = Object.fromEntries([...curl.matchAll(/-H '([^:']+):\s*([^']*)'/g)].map(([, name, value]) => [name.toLowerCase(), value]))
  const output = /-o (\S+)/.exec(curl)?.[1]
  return { method: body === undefined ? 'GET' : 'POST', url, headers, body, output }
}

/** Each ```sh block of curl commands, with the ```json or ```csv block after it if there is one. */
function examples (text: string): Example[] {
  const found: Example[] = []
  for (const [, commands, kind, answers] of text.matchAll(/```sh\n((?:curl[^\n]*(?:\\\n[^\n]*)*\n)+)```\n(?:```(json|csv)\n([\s\S]*?)```)?/g)) {
    const curls = commands.replace(/\\\n\s*/g, ' ').trim().split('\n').map(request)
    if (kind === 'json') {
      const lines = answers.trim().split('\n')
      t.equal(curls.length, lines.length, `one answer line per command: ${curls[0].url}`)
      curls.forEach((curl, i) => found.push({ ...curl, expected: lines[i] }))
    } else if (kind === 'csv') {
      t.equal(curls.length, 1, `one command for a CSV answer: ${curls[0].url}`)
      found.push({ ...curls[0], expected: answers })
    } else {
      for (const curl of curls) {
        t.ok(curl.output !== undefined, `${curl.url}: a command without an answer shown writes a file (-o)`)
        found.push(curl)
      }
    }
  }
  return found
}

const all = examples(readme)
t.ok(all.length >= 14, `${all.length} examples`)
t.ok(all.filter((example) => example.output?.endsWith('.svg')).length >= 4, 'the tutorial\'s charts among them')
for (const example of all) {
  t.test(`${example.method} ${example.url}${example.output === undefined ? '' : ` -o ${example.output}`}`, async (t) => {
    const app = appFor(t, { maxValues: DEFAULT_MAX_VALUES })
    const response = await app.inject({
      method: example.method,
      url: example.url,
      headers: { ...(example.body !== undefined && { 'content-type': 'application/json' }), ...example.headers },
      ...(example.body !== undefined && { payload: example.body })
    })
    if (example.expected !== undefined) t.equal(response.body, example.expected)
    if (example.output !== undefined && !example.output.endsWith('.svg')) {
      // A binary answer (NPY, Arrow) is written to a file the README then reads.
      t.equal(response.statusCode, 200, response.statusCode === 200 ? 'answered' : response.body.slice(0, 300))
      t.match(response.headers['content-type'], example.output.endsWith('.npy') ? /^application\/x-npy/ : /^application\/vnd\.apache\.arrow\.stream/)
    } else if (example.output !== undefined) {
      t.equal(response.statusCode, 200, response.body.slice(0, 300))
      t.match(response.headers['content-type'], /^image\/svg\+xml/, 'a chart')
      const shown = charts + basename(example.output)
      t.ok(existsSync(shown), `the README shows docs/charts/${basename(example.output)}`)
      t.equal(response.body, readFileSync(shown, 'utf8'), `docs/charts/${basename(example.output)} is this command's answer`)
      t.ok(readme.includes(`](docs/charts/${basename(example.output)})`), 'and embeds it')
    }
  })
}

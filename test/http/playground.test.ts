/**
 * The playground's files, served by the app at / (the page itself is driven in a
 * browser by test/e2e/playground.test.ts): the page, its script and its style with
 * their content types, under the CSP, and nothing else from public/'s neighbours.
 */
import t from 'tap'
import { appFor } from './app.js'

t.test('GET / is the playground page', async (t) => {
  const app = appFor(t)
  const page = await app.inject({ method: 'GET', url: '/' })
  t.equal(page.statusCode, 200)
  t.equal(page.headers['content-type'], 'text/html; charset=utf-8')
  t.match(page.body, /<title>lr-schedules playground<\/title>/)
  const csp = String(page.headers['content-security-policy'])
  t.match(csp, /script-src 'self'/, 'scripts from the service only')
  t.match(csp, /default-src 'self'/)
  t.notMatch(csp, /upgrade-insecure-requests/)
  const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1])
  t.same(assets.filter((asset) => /^(https?:)?\/\//.test(asset)), [], 'nothing from elsewhere')
  for (const asset of ['playground.js', 'playground.css']) t.ok(assets.includes(asset), `the page loads ${asset}`)
  const head = await app.inject({ method: 'HEAD', url: '/' })
  t.equal(head.statusCode, 200, 'HEAD /')
})

t.test("the page's script and style, with their content types", async (t) => {
  const app = appFor(t)
  const types: Record<string, RegExp> = {
    '/playground.js': /^(application|text)\/javascript; charset=utf-8$/,
    '/playground.css': /^text\/css; charset=utf-8$/,
    '/index.html': /^text\/html; charset=utf-8$/
  }
  for (const [url, type] of Object.entries(types)) {
    const response = await app.inject({ method: 'GET', url })
    t.equal(response.statusCode, 200, url)
    t.match(response.headers['content-type'], type, url)
    t.ok(response.body.length > 100, `${url} has its content`)
  }
})

t.test('any other path is the API\'s 404 problem, never a file outside public/', async (t) => {
  const app = appFor(t)
  for (const url of ['/nope.js', '/package.json', '/../package.json', '/%2e%2e/package.json', '/src/app.ts', '/public/index.html']) {
    const response = await app.inject({ method: 'GET', url })
    t.equal(response.statusCode, 404, url)
    t.match(response.headers['content-type'], /^application\/problem\+json/, url)
  }
})

t.test('the routes the page calls are the API\'s own', async (t) => {
  const app = appFor(t)
  const script = (await app.inject({ method: 'GET', url: '/playground.js' })).body
  for (const path of ['openapi.json', 'v1/schedulers', 'v1/snippets', 'v1/schedules', 'v1/plans']) t.match(script, `new URL('${path}', document.baseURI)`)
  const doc = await app.inject({ method: 'GET', url: '/openapi.json' })
  const paths = doc.json().paths
  for (const path of ['/v1/schedules', '/v1/plans']) {
    t.ok(paths[path].post.parameters.some((parameter: { name: string }) => parameter.name === 'format'), `POST ${path} takes format, as the page sends it`)
  }
  t.ok(paths['/v1/plans'].get, 'GET /v1/plans: the download links')
  t.ok(paths['/v1/schedulers'].get && paths['/v1/snippets'].post, 'the list the picker shows and the snippets')
  const variants = paths['/v1/schedules'].post.requestBody.content['application/json'].schema.oneOf as { $ref: string }[]
  t.ok(variants.length > 0 && variants.every((variant) => variant.$ref.startsWith('#/components/schemas/')), "the body's variants the page follows to each scheduler's fields")
})

t.test('the page states nothing inline: no script, no style, no handler', async (t) => {
  const app = appFor(t)
  const page = (await app.inject({ method: 'GET', url: '/' })).body
  t.notMatch(page, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script')
  t.notMatch(page, /<style\b/, 'no style element')
  t.notMatch(page, /\sstyle=/, 'no style attribute')
  t.notMatch(page, /\son[a-z]+=/, 'no inline handler')
})

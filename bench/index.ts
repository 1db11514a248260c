/**
 * Runs every `bench/*.bench.ts` module in name order. Each module's default export
 * is an (async) function that measures and prints its own table.
 *
 *     npm run bench            all benches
 *     npm run bench -- math    only those whose file name contains "math"
 */
import { readdirSync } from 'node:fs'

const dir = new URL('.', import.meta.url)
const filter = process.argv[2] ?? ''
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort()

for (const file of files) {
  console.log(`\n# ${file}`)
  const bench = (await import(new URL(file, dir).href)) as { default: () => unknown }
  await bench.default()
}

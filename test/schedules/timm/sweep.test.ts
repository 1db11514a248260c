/**
 * The exactness sweep: ../shared/fixtures/timm-sweep.json, timm's schedulers per
 * update over 1,000 to 20,000 steps. The engine's rate of bit-for-bit values by
 * family, and the proof for every other value: with glibc's own results at the libm
 * calls the engine makes (asked of this machine's glibc through CPython's `math`,
 * as timm's Python called them), every golden value comes out bit for bit, and at
 * each call where glibc and the engine disagree the engine's result is the
 * correctly rounded one and glibc's its neighbour (tanh, which neither rounds
 * correctly: both within 2 ulp).
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { schedulerNamed } from '../../../src/schedules/index.js'
import type { AnySchedulerDefinition } from '../../../src/schedules/core/define.js'
import type { FixtureGroup } from '../../fixtures.js'
import { ulpDistance } from '../../fixtures.js'
import { next, prev, ref } from '../../math/reference.js'
import { schedulesWithMath } from '../../support/math-substitute.js'
import { run } from '../run.js'

interface SweepCase {
  id: string
  scheduler: string
  kwargs: Record<string, unknown>
  param_groups: FixtureGroup[]
  call: 'step' | 'step_update'
  t_count: number
  expected: { initial: number[], raw: Array<number[] | null> }
}

const sweep: { meta: Record<string, unknown>, cases: SweepCase[] } = JSON.parse(readFileSync(fileURLToPath(new URL('../../../../shared/fixtures/timm-sweep.json', import.meta.url)), 'utf8'))

/** Every case's raw view, step by step, a list per group. */
function rawValues (schedulerOf: (name: string) => AnySchedulerDefinition | undefined, c: SweepCase): Array<Array<number | null>> {
  return run(schedulerOf(c.scheduler)!, { ...c.kwargs, unit: c.call === 'step' ? 'epoch' : 'update', view: 'raw' }, c.param_groups, 0, c.t_count)
}

/**
 * The bounds the README states, by family: a one-ulp libm difference becomes this many
 * ulps of the LR at most (the test below shows that every difference is one). Cosine's
 * is the largest because `1 + cos` cancels near the end of a cycle, where the LR is
 * close to `lr_min`. Step and multistep differ nowhere in the sweep.
 */
const ULP_BOUNDS: Record<string, number> = { step: 0, multistep: 0, poly: 2, tanh: 4, cosine: 13 }

interface Differing { id: string, step: number, group: number, ulps: number }

/** The golden values that `values` does not give bit for bit, with tallies by family. */
function compare (valuesOf: (c: SweepCase) => Array<Array<number | null>>): { families: Map<string, { exact: number, values: number, maxUlps: number }>, differing: Differing[] } {
  const families = new Map<string, { exact: number, values: number, maxUlps: number }>()
  const differing: Differing[] = []
  for (const c of sweep.cases) {
    const values = valuesOf(c)
    const family = families.get(c.scheduler) ?? { exact: 0, values: 0, maxUlps: 0 }
    families.set(c.scheduler, family)
    c.expected.raw.forEach((row, step) => {
      if (row === null) {
        if (values.some((group) => group[step] !== null)) differing.push({ id: c.id, step, group: -1, ulps: Infinity })
        return
      }
      row.forEach((expected, group) => {
        family.values++
        const actual = values[group][step]
        if (actual !== null && Object.is(actual, expected)) {
          family.exact++
          return
        }
        const ulps = actual === null ? Infinity : ulpDistance(actual, expected)
        family.maxUlps = Math.max(family.maxUlps, ulps)
        differing.push({ id: c.id, step, group, ulps })
      })
    })
  }
  return { families, differing }
}

t.test('the sweep with the engine: exact rates by family', async (t) => {
  t.ok(sweep.cases.length >= 50, `${sweep.cases.length} cases`)
  const { families, differing } = compare((c) => rawValues(schedulerNamed, c))
  let exact = 0
  let values = 0
  for (const [family, counts] of families) {
    t.comment(`${family}: ${counts.exact}/${counts.values} bit for bit (${(100 * counts.exact / counts.values).toFixed(3)}%), others within ${counts.maxUlps} ulp`)
    exact += counts.exact
    values += counts.values
  }
  t.comment(`all: ${exact}/${values} bit for bit (${(100 * exact / values).toFixed(3)}%)`)
  for (const [family, bound] of Object.entries(ULP_BOUNDS)) {
    t.ok(families.get(family)!.maxUlps <= bound, `${family}: every value within ${bound} ulp of timm's`)
  }
  t.ok(values > 400_000, 'compared the sweep')
  t.same(differing.filter((d) => d.ulps === Infinity), [], 'a value wherever timm has one, and none where it has none')
})

/** This machine's glibc, if it is the one the golden vectors were made with. */
function glibcVersion (): string | undefined {
  try {
    return execFileSync('python3', ['-c', 'import platform; print("-".join(platform.libc_ver()))'], { encoding: 'utf8' }).trim()
  } catch {
    return undefined
  }
}

/** CPython's `math` on each call: glibc's cos, sin, exp, log, tanh and pow. */
function glibcResults (calls: ReadonlyArray<readonly [string, number, number | undefined]>): Array<number | null> {
  const script = `
import json, math, sys
calls = json.load(sys.stdin)
def result(fn, x, y):
    try:
        v = math.pow(x, y) if fn == 'pow' else getattr(math, fn)(x)
    except (ValueError, OverflowError):
        return None
    return repr(v)
json.dump([result(*call) for call in calls], sys.stdout)
`
  const output = execFileSync('python3', ['-c', script], { input: JSON.stringify(calls.map(([fn, x, y]) => [fn, x, y ?? null])), encoding: 'utf8', maxBuffer: 1 << 28 })
  return (JSON.parse(output) as Array<string | null>).map((text) => text === null ? null : Number(text))
}

const version = glibcVersion()
t.test("the sweep with glibc's results at the engine's libm calls", { skip: version === 'glibc-2.36' ? false : `needs glibc 2.36, as the golden vectors' CPython had (here: ${version ?? 'no python3'})` }, async (t) => {
  const schedules = await schedulesWithMath(new URL('./recorded-libm.ts', import.meta.url), 'recorded-libm')
  const { callKey, engineResult, libm } = await import('./recorded-libm.js')
  for (const c of sweep.cases) rawValues(schedules.schedulerNamed, c)
  const calls = [...libm.calls.values()]
  const glibc = glibcResults(calls)
  // Where glibc and the engine disagree, each must be glibc's rounding.
  let disagreeing = 0
  let tanhCalls = 0
  const notGlibcRounding: string[] = []
  calls.forEach(([fn, x, y], i) => {
    const ours = engineResult(fn, x, y)
    const theirs = glibc[i]
    if (theirs === null || Object.is(theirs, ours)) return
    libm.results.set(callKey(fn, x, y), theirs)
    disagreeing++
    const correctlyRounded = fn === 'pow' ? ref.pow(x, y!) : (ref as unknown as Record<string, (x: number) => number>)[fn](x)
    // tanh is V8's port of fdlibm's, as glibc's is fdlibm's: neither is correctly
    // rounded; glibc documents 2 ulp for it (src/math/index.ts).
    const explained = fn === 'tanh'
      ? ulpDistance(ours, correctlyRounded) <= 2 && ulpDistance(theirs, correctlyRounded) <= 2
      : Object.is(ours, correctlyRounded) && (theirs === next(ours) || theirs === prev(ours))
    if (fn === 'tanh') tanhCalls++
    if (!explained) {
      notGlibcRounding.push(`${callKey(fn, x, y)}: engine ${ours}, glibc ${theirs}, correctly rounded ${correctlyRounded}`)
    }
  })
  t.comment(`${calls.length} distinct libm calls; glibc and the engine disagree at ${disagreeing} of them: ${disagreeing - tanhCalls} where glibc is not correctly rounded, ${tanhCalls} tanh where neither is`)
  t.same(notGlibcRounding, [], "where they disagree, the engine's result is the correctly rounded one and glibc's its neighbour (tanh: both within 2 ulp)")
  libm.mode = 'substitute'
  const { differing } = compare((c) => rawValues(schedules.schedulerNamed, c))
  t.same(differing, [], "every golden value bit for bit with glibc's results at those calls")
})

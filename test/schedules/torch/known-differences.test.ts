/**
 * Proof, in exact arithmetic, that each libm result listed in known-differences.ts is
 * glibc's rounding and not the engine's: the engine's result is the correctly rounded
 * one, glibc's is its neighbour, and farther from the exact value.
 */
import t from 'tap'
import { cos, pow } from '../../../src/math/index.js'
import { exact, next, prev } from '../../math/reference.js'
import { carriedDifferences, glibcResults } from './known-differences.js'

/** |v - truth| in units of v's last place. */
function ulpsFrom (v: number, truth: ReturnType<typeof exact>): number {
  const ulp = Math.abs(next(v) - v)
  return exact(v).minus(truth).abs().div(exact(ulp)).toNumber()
}

t.test("glibc's cos and pow at the listed inputs are not correctly rounded; the engine's are", async (t) => {
  const wrong: string[] = []
  let worst = 0
  for (const [fn, x, y, glibc] of glibcResults) {
    const call = fn === 'cos' ? `cos(${x})` : `${x} ** ${y}`
    const truth = fn === 'cos' ? exact(x).cos() : exact(x).pow(exact(y as number))
    const ours = fn === 'cos' ? cos(x) : pow(x, y as number)
    const oursOff = ulpsFrom(ours, truth)
    const glibcOff = ulpsFrom(glibc, truth)
    worst = Math.max(worst, glibcOff)
    if (!(ours === next(glibc) || ours === prev(glibc))) wrong.push(`${call}: the engine's ${ours} is not next to glibc's ${glibc}`)
    if (!(oursOff < 0.5 && glibcOff > 0.5)) wrong.push(`${call}: engine ${oursOff} ulp, glibc ${glibcOff} ulp from the exact value`)
  }
  t.same(wrong, [], `${glibcResults.length} calls: the engine within 0.5 ulp, glibc beyond it and one double away`)
  t.ok(worst < 0.52, `glibc's largest error at these inputs: ${worst.toFixed(4)} ulp`)
})

t.test('the list stays small', async (t) => {
  t.equal(glibcResults.filter(([fn]) => fn === 'cos').length, 158, 'cos calls')
  t.equal(glibcResults.filter(([fn]) => fn === 'pow').length, 19, 'pow calls')
  t.equal(Object.keys(carriedDifferences).length, 28, 'cases whose values carry one of them')
})

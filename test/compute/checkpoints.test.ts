/**
 * Fold checkpoints: the cache keeps the latest state at or before a step, bounded per
 * fold and in folds; and windows answered from kept states give the very bits of one
 * window computed from step 0, whatever order they are asked in.
 */
import t from 'tap'
import { CheckpointCache } from '../../src/compute/checkpoints.js'
import { appFor } from '../http/app.js'

t.test('the latest state at or before a step; bounded', async (t) => {
  const cache = new CheckpointCache(2, 4)
  cache.add('a', [{ t: 10, state: 'ten' }, { t: 30, state: 'thirty' }])
  t.equal(cache.nearest('a', 9), undefined)
  t.equal(cache.nearest('a', 10)?.state, 'ten')
  t.equal(cache.nearest('a', 29)?.state, 'ten')
  t.equal(cache.nearest('a', 1000)?.state, 'thirty')
  cache.add('a', [50, 70, 90, 110].map((step) => ({ t: step, state: step })))
  const kept = [0, 20, 40, 60, 80, 100, 120].map((step) => cache.nearest('a', step)?.t)
  t.ok(kept.filter((step) => step !== undefined).length <= 7, `at most 4 states kept: ${kept.join(',')}`)
  t.equal(cache.nearest('a', 10)?.t, 10, 'the earliest state stays')
  cache.add('b', [{ t: 5, state: 0 }])
  cache.add('c', [{ t: 5, state: 0 }])
  t.equal(cache.nearest('b', 5)?.t, 5)
  t.equal(cache.nearest('a', 10), undefined, 'the least recently used fold goes past two folds')
})

t.test('windows of a fold resumed from kept states are the bits of one window from 0', async (t) => {
  const app = appFor(t)
  const query = 'T_max=997&eta_min=0.001&lr=0.1'
  const whole = (await app.inject({ method: 'GET', url: `/v1/schedules/torch.CosineAnnealingLR?${query}&count=200000` })).json().lr as number[]
  const windows = [[150000, 1000], [90000, 70000], [150500, 10], [199990, 10], [5, 3], [131071, 2]]
  for (const [start, count] of windows) {
    const answer = (await app.inject({ method: 'GET', url: `/v1/schedules/torch.CosineAnnealingLR?${query}&start=${start}&count=${count}` })).json()
    t.ok(answer.lr.every((value: number, i: number) => Object.is(value, whole[start + i])), `start ${start}, count ${count}: bit for bit`)
  }
  for (const step of [170001, 170000, 3, 199999]) {
    const point = (await app.inject({ method: 'GET', url: `/v1/schedules/torch.CosineAnnealingLR/lr?${query}&t=${step}` })).json()
    t.ok(Object.is(point.lr, whole[step]), `t=${step}`)
  }
})

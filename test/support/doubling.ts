/**
 * A scheduler defined outside the service, to prove that one file and one line are
 * all a new scheduler takes: it doubles the LR every `period` steps, up to `cap`.
 */
import { z } from 'zod'
import { closedForm, defineScheduler } from '../../src/schedules/core/define.js'
import { groupShape } from '../../src/schedules/core/groups.js'
import { keywordArguments, pythonCall } from '../../src/schedules/core/python.js'
import { register } from '../../src/schedules/index.js'

const shape = {
  period: z.number().int().positive().describe('Steps between doublings.'),
  cap: z.number().positive().default(1).describe('The LR never goes above this.')
}

export const doubling = defineScheduler({
  name: 'example.Doubling',
  reference: { library: 'torch', name: 'Doubling', importLine: 'from example import Doubling' },
  summary: 'Doubles the LR every period steps, up to cap.',
  shape,
  groupShape,
  check (params, ctx) {
    if (params.period > 1000) ctx.addIssue({ code: 'custom', path: ['period'], message: 'period must be at most 1000' })
  },
  evaluation: 'closed',
  create: (params, groups) => closedForm(groups.length, (t, g) => Math.min(params.cap, groups[g].lr * 2 ** Math.floor(t / params.period))),
  python: (params) => pythonCall('Doubling', ['optimizer'], keywordArguments(shape, params)),
  example: { summary: 'Doubling every 2 steps from 0.1', value: { period: 2, lr: 0.1, count: 6 } }
})

register(doubling)

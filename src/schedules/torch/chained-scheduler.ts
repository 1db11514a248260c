/**
 * torch's `ChainedScheduler`: several schedulers stepped together, each on the LR
 * the one before it left.
 */
import { defineScheduler } from '../core/define.js'
import { ScheduleError } from '../core/errors.js'
import { groupShape } from '../core/groups.js'
import { torchFold, torchReference, type Optimizer, type Path, type TorchScheduler } from './base.js'
import { buildChildren } from './build.js'
import { chainedFields, chainedPython, child, type ChainedParams } from './children.js'
import { checkComposite } from './sequential-lr.js'

export const chainedSchedulerShape = chainedFields(child)

interface ChainedState {
  schedulers: unknown[]
}

/**
 * The schedulers are built in order, each with its own initial step on the shared
 * groups; ChainedScheduler's constructor adds no step of its own. `step()` calls
 * every scheduler's `step()` in turn, so a chainable one multiplies what the one
 * before it left, and one that is not chainable (OneCycleLR, CyclicLR,
 * CosineAnnealingWarmRestarts) overwrites it.
 */
export function buildChainedScheduler (params: ChainedParams, path: Path = []): TorchScheduler<ChainedState> {
  const schedulers = buildChildren(params.schedulers, path)
  const step = (state: ChainedState, opt: Optimizer): void => {
    for (let i = 0; i < schedulers.length; i++) schedulers[i].step(state.schedulers[i], opt)
  }
  return {
    className: 'ChainedScheduler',
    construct (opt) {
      const states = schedulers.map((scheduler) => scheduler.construct(opt))
      checkComposite('ChainedScheduler', schedulers, path)
      return { schedulers: states }
    },
    step,
    // LRScheduler._initial_step() calls ChainedScheduler's own step(), which steps
    // its schedulers as usual, not in their initial mode.
    initialStep: step,
    restart () {
      throw new ScheduleError(
        'ChainedScheduler has no closed form, so it cannot take over at a SequentialLR milestone: torch calls its get_lr(), which raises NotImplementedError',
        'NotImplementedError', path)
    },
    undo (state) {
      schedulers.forEach((scheduler, index) => scheduler.undo(state.schedulers[index]))
    }
  }
}


export const chainedScheduler = defineScheduler({
  name: 'torch.ChainedScheduler',
  reference: torchReference('ChainedScheduler'),
  summary: 'Several schedulers stepped together, each on the LR the one before it left, as torch chains them.',
  shape: chainedSchedulerShape,
  groupShape,
  evaluation: 'fold',
  create: (params, groups) => torchFold(buildChainedScheduler(params), groups),
  python: (params, groups) => chainedPython(params, groups),
  example: {
    summary: "torch's ChainedScheduler example: a tenth of 0.05 for 20 epochs, times 0.9 every epoch",
    value: {
      lr: 0.05,
      schedulers: [
        { scheduler: 'torch.ConstantLR', factor: 0.1, total_iters: 20 },
        { scheduler: 'torch.ExponentialLR', gamma: 0.9 }
      ],
      count: 100
    }
  }
})

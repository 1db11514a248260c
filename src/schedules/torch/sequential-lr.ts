/**
 * torch's `SequentialLR`: schedulers that take over from one another at milestones.
 */
import { defineScheduler } from '../core/define.js'
import { ScheduleError } from '../core/errors.js'
import { groupShape } from '../core/groups.js'
import { bisectRight, torchFold, torchReference, type Optimizer, type Path, type TorchScheduler } from './base.js'
import { buildChildren } from './build.js'
import { child, sequentialFields, sequentialPython, type SequentialParams } from './children.js'

export const sequentialLRShape = sequentialFields(child)

interface SequentialState {
  last_epoch: number
  schedulers: unknown[]
}

/** The refusals that torch's composites share, once their schedulers are built. */
export function checkComposite (className: string, schedulers: readonly TorchScheduler[], path: Path): void {
  if (schedulers.length < 1) {
    throw new ScheduleError(`${className} expects at least one scheduler, but got no scheduler (torch raises ValueError)`, 'ValueError', [...path, 'schedulers'])
  }
  const plateau = schedulers.findIndex((scheduler) => scheduler.className === 'ReduceLROnPlateau')
  if (plateau >= 0) {
    throw new ScheduleError(
      `${className} does not support \`ReduceLROnPlateau\` scheduler as it requires additional kwargs to be specified when calling \`step\`, but got one at index ${plateau} in the given schedulers sequence (torch raises ValueError)`,
      'ValueError', [...path, 'schedulers', plateau])
  }
}

/**
 * The schedulers are built first, in order, each with its own initial step on the
 * shared groups. Then SequentialLR's constructor: `last_epoch + 1`, every group's LR
 * back to its `initial_lr`, `recursive_undo` (each scheduler's `last_epoch -= 1`), and
 * the first scheduler's `_initial_step()` again. `step()`: `last_epoch += 1`; the
 * scheduler at `bisect_right(milestones, last_epoch)` steps, except at a milestone,
 * where it restarts by `_update_lr(0)`: its closed form at 0 where it has one
 * (`base_lr` times its step-0 factor, not the LR the previous scheduler left),
 * else its `get_lr()` at 0 (CyclicLR, OneCycleLR, CosineAnnealingWarmRestarts);
 * a composite has neither, and torch raises NotImplementedError.
 */
export function buildSequentialLR (params: SequentialParams, path: Path = []): TorchScheduler<SequentialState> {
  const schedulers = buildChildren(params.schedulers, path)
  const { milestones } = params
  const step = (state: SequentialState, opt: Optimizer): void => {
    const lastEpoch = state.last_epoch += 1
    // On the milestones as given: unsorted ones pick schedulers by the binary search's path.
    const index = bisectRight(milestones, lastEpoch)
    const scheduler = schedulers[index]
    // The closed form from base_lrs at 0, not a step from the LR the previous scheduler left.
    if (index > 0 && milestones[index - 1] === lastEpoch) scheduler.restart(state.schedulers[index], opt)
    else scheduler.step(state.schedulers[index], opt)
  }
  return {
    className: 'SequentialLR',
    construct (opt) {
      const states = schedulers.map((scheduler) => scheduler.construct(opt))
      checkComposite('SequentialLR', schedulers, path)
      if (milestones.length !== schedulers.length - 1) {
        throw new ScheduleError(
          `Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers ${schedulers.length} and the number of milestones to be equal to ${milestones.length} (torch raises ValueError)`,
          'ValueError', [...path, 'milestones'])
      }
      // initial_lr as the last scheduler built left it (OneCycleLR overwrites it).
      for (let g = 0; g < opt.lr.length; g++) opt.lr[g] = opt.initial_lr[g] as number
      schedulers.forEach((scheduler, index) => scheduler.undo(states[index]))
      schedulers[0].initialStep(states[0], opt)
      return { last_epoch: params.last_epoch + 1, schedulers: states }
    },
    step,
    // LRScheduler._initial_step() calls SequentialLR's own step().
    initialStep: step,
    restart () {
      throw new ScheduleError(
        'SequentialLR has no closed form, so a SequentialLR inside a SequentialLR cannot take over at a milestone: torch calls its get_lr(), which raises NotImplementedError',
        'NotImplementedError', path)
    },
    undo (state) {
      schedulers.forEach((scheduler, index) => scheduler.undo(state.schedulers[index]))
    }
  }
}

export const sequentialLR = defineScheduler({
  name: 'torch.SequentialLR',
  reference: torchReference('SequentialLR'),
  summary: 'Schedulers that take over from one another at milestones (a warmup, then a decay), as torch hands over.',
  shape: sequentialLRShape,
  groupShape,
  evaluation: 'fold',
  create: (params, groups) => torchFold(buildSequentialLR(params), groups),
  python: (params, groups) => sequentialPython(params, groups),
  example: {
    summary: 'Linear warmup over 5 epochs into a cosine over the other 95',
    value: {
      lr: 0.1,
      schedulers: [
        { scheduler: 'torch.LinearLR', start_factor: 0.1, total_iters: 5 },
        { scheduler: 'torch.CosineAnnealingLR', T_max: 95 }
      ],
      milestones: [5],
      count: 100
    }
  }
})

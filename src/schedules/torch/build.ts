/**
 * A composite's scheduler, built from its request entry. (The composites import this
 * and this imports them; each side only calls the other's functions, so the cycle is
 * harmless whichever module loads first.)
 */
import type { Path, TorchScheduler } from './base.js'
import { buildChainedScheduler } from './chained-scheduler.js'
import type { ChildParams } from './children.js'
import { buildConstantLR } from './constant-lr.js'
import { buildCosineAnnealingLR } from './cosine-annealing-lr.js'
import { buildCosineAnnealingWarmRestarts } from './cosine-annealing-warm-restarts.js'
import { buildCyclicLR } from './cyclic-lr.js'
import { buildExponentialLR } from './exponential-lr.js'
import { buildLinearLR } from './linear-lr.js'
import { buildMultiStepLR } from './multi-step-lr.js'
import { buildOneCycleLR } from './one-cycle-lr.js'
import { buildPolynomialLR } from './polynomial-lr.js'
import { buildReduceLROnPlateau } from './reduce-lr-on-plateau.js'
import { buildSequentialLR } from './sequential-lr.js'
import { buildStepLR } from './step-lr.js'

export function buildChild (params: ChildParams, path: Path): TorchScheduler {
  switch (params.scheduler) {
    case 'torch.StepLR': return buildStepLR(params, path)
    case 'torch.MultiStepLR': return buildMultiStepLR(params, path)
    case 'torch.ConstantLR': return buildConstantLR(params, path)
    case 'torch.LinearLR': return buildLinearLR(params, path)
    case 'torch.ExponentialLR': return buildExponentialLR(params, path)
    case 'torch.PolynomialLR': return buildPolynomialLR(params, path)
    case 'torch.CosineAnnealingLR': return buildCosineAnnealingLR(params, path)
    case 'torch.CosineAnnealingWarmRestarts': return buildCosineAnnealingWarmRestarts(params, path)
    case 'torch.CyclicLR': return buildCyclicLR(params, path)
    case 'torch.OneCycleLR': return buildOneCycleLR(params, path)
    case 'torch.ReduceLROnPlateau': return buildReduceLROnPlateau(params, path)
    case 'torch.SequentialLR': return buildSequentialLR(params, path)
    case 'torch.ChainedScheduler': return buildChainedScheduler(params, path)
  }
}

/** The schedulers of a composite at `path`, each at its own index. */
export function buildChildren (schedulers: readonly ChildParams[], path: Path): TorchScheduler[] {
  return schedulers.map((params, index) => buildChild(params, [...path, 'schedulers', index]))
}

/**
 * torch.optim.lr_scheduler's schedulers, by their wire names (`torch.<Class>`).
 * LambdaLR and MultiplicativeLR take Python functions and are not served.
 */
import { chainedScheduler } from './chained-scheduler.js'
import { constantLR } from './constant-lr.js'
import { cosineAnnealingLR } from './cosine-annealing-lr.js'
import { cosineAnnealingWarmRestarts } from './cosine-annealing-warm-restarts.js'
import { cyclicLR } from './cyclic-lr.js'
import { exponentialLR } from './exponential-lr.js'
import { linearLR } from './linear-lr.js'
import { multiStepLR } from './multi-step-lr.js'
import { oneCycleLR } from './one-cycle-lr.js'
import { polynomialLR } from './polynomial-lr.js'
import { reduceLROnPlateau } from './reduce-lr-on-plateau.js'
import { sequentialLR } from './sequential-lr.js'
import { stepLR } from './step-lr.js'

export const torchSchedulers = [
  stepLR,
  multiStepLR,
  constantLR,
  linearLR,
  exponentialLR,
  polynomialLR,
  cosineAnnealingLR,
  cosineAnnealingWarmRestarts,
  cyclicLR,
  oneCycleLR,
  reduceLROnPlateau,
  sequentialLR,
  chainedScheduler
] as const

export {
  stepLR, multiStepLR, constantLR, linearLR, exponentialLR, polynomialLR, cosineAnnealingLR,
  cosineAnnealingWarmRestarts, cyclicLR, oneCycleLR, reduceLROnPlateau, sequentialLR, chainedScheduler
}

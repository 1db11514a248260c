/**
 * The fields of an optimizer's param group, as zod fields each library's
 * definitions compose: every library reads `lr` and `initial_lr`; timm also reads
 * `lr_scale`.
 */
import { z } from 'zod'

/** A learning rate as torch optimizers accept it: finite and not negative. */
export const learningRate = z.number().nonnegative()

export const groupShape = {
  lr: learningRate
    .describe("The group's LR, as the optimizer was built with it."),
  initial_lr: learningRate.optional()
    .describe("A resumed optimizer's base LR (the library keeps it over lr).")
}

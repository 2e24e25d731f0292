/** Mutant: BatchNorm1d's default momentum taken from the lecture's hand-written BatchNorm (0.001) instead of 0.1. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/05-modules/types.ts'
import { batchNorm1d as rightBatchNorm1d } from '../kata.ts'

export * from '../kata.ts'

export const batchNorm1d: Kata['batchNorm1d'] = (dim, options = {}) =>
  rightBatchNorm1d(dim, { ...options, momentum: options.momentum ?? 0.001 })

export const mistake: Mistake = {
  lecture:
    "BatchNorm1d's default momentum copied from the lecture's hand-written update (0.999 * running + 0.001 * batch) where torch.nn.BatchNorm1d's default is 0.1",
  message: "the lecture's hand-written 0.001",
}

/** Mutant: BatchNorm1d's eps defaults to 0. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/05-modules/types.ts'
import { batchNorm1d as rightBatchNorm1d } from '../kata.ts'

export * from '../kata.ts'

export const batchNorm1d: Kata['batchNorm1d'] = (dim, options = {}) =>
  rightBatchNorm1d(dim, { ...options, eps: options.eps ?? 0 })

export const mistake: Mistake = {
  lecture:
    "no eps under the square root (xhat = (x - mean) / √var): a feature with no spread in the batch divides 0 by 0, where the lecture's eps = 1e-5 gives beta",
  message: 'keeps a feature with no spread from dividing by zero',
}

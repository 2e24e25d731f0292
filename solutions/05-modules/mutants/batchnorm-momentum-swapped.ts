/** Mutant: the running statistics keep `momentum` of the old value and take 1 - momentum of the batch. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/05-modules/types.ts'
import { batchNorm1d as rightBatchNorm1d } from '../kata.ts'

export * from '../kata.ts'

// the solution's update with momentum 1 - m is m · running + (1 - m) · batch
export const batchNorm1d: Kata['batchNorm1d'] = (dim, options = {}) =>
  rightBatchNorm1d(dim, { ...options, momentum: 1 - (options.momentum ?? 0.1) })

export const mistake: Mistake = {
  lecture:
    "momentum read as the weight of the old running value (the lecture's first bnmean_running = 0.999 * bnmean_running + 0.001 * bnmeani) where BatchNorm1d's momentum (0.1) is the weight of the new batch",
  message: 'momentum is the weight of the NEW batch',
}

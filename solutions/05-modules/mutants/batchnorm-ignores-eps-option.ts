/** Mutant: BatchNorm1d always uses eps = 1e-5, whatever options.eps says. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/05-modules/types.ts'
import { batchNorm1d as rightBatchNorm1d } from '../kata.ts'

export * from '../kata.ts'

export const batchNorm1d: Kata['batchNorm1d'] = (dim, options = {}) =>
  rightBatchNorm1d(dim, { ...options, eps: undefined })

export const mistake: Mistake = {
  lecture:
    "eps hard-coded to 1e-5 in BatchNorm1d and options.eps ignored: the lecture's BatchNorm1d(dim, eps=1e-5, momentum=0.1) takes eps as an argument",
  message: 'use options.eps when it is given',
}

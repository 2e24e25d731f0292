/** Mutant: foldBatchNorm computes b′ = −mean · s + beta whether or not the Linear has a bias of its own. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/10-batchnorm-folding/types.ts'
import { foldBatchNorm as reference } from '../kata.ts'

export * from '../kata.ts'

export const foldBatchNorm: Kata['foldBatchNorm'] = ({ weight }, bn) => reference({ weight }, bn)

export const mistake: Mistake = {
  lecture: "the Linear's own bias dropped from the fold: b′ = −mean · s + beta where it is (b − mean) · s + beta",
  message: "leaves out the Linear's own bias b",
}

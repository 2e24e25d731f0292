/** Mutant: BatchNorm laws that check each column's mean and nothing of its spread. */
import fc from 'fast-check'
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/11-write-the-laws/types.ts'
import { tensorOf } from '../../../lib/engine/arbitraries.ts'
import { matrix } from '../../../lib/engine/tensor.ts'

export * from '../kata.ts'

export const batchNormTrainLaws: Kata['batchNormTrainLaws'] = () => [
  {
    name: 'each column comes out with mean beta_j',
    property: (f) =>
      fc.property(
        tensorOf([4, 3], 3),
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 }),
        (x, beta) => {
          const out = f(x, matrix([[1, 1, 1]]), matrix([beta]), 1e-5)
          return beta.every(
            (b, j) => Math.abs((out.data[j] + out.data[3 + j] + out.data[6 + j] + out.data[9 + j]) / 4 - b) < 1e-9,
          )
        },
      ),
  },
]

export const mistake: Mistake = {
  lecture: 'BatchNorm laws on the mean alone: the variance (÷ N, eps inside the root) and gamma are never checked',
  message: 'your batchNormTrain laws all pass on a broken batchNormTrain',
}

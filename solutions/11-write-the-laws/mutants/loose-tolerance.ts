/** Mutant: a BatchNorm law with a tolerance too loose to tell N from N − 1. */
import fc from 'fast-check'
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/11-write-the-laws/types.ts'
import { tensorOf } from '../../../lib/engine/arbitraries.ts'
import { matrix, type Tensor } from '../../../lib/engine/tensor.ts'
import { batchNormTrainLaws as reference } from '../kata.ts'

export * from '../kata.ts'

const column = (t: Tensor, j: number): number[] =>
  Array.from({ length: t.shape[0] }, (_, i) => t.data[i * t.shape[1] + j])
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
const variance = (xs: number[]) => mean(xs.map((x) => (x - mean(xs)) ** 2))

export const batchNormTrainLaws: Kata['batchNormTrainLaws'] = () => [
  {
    name: 'with gamma 1 and beta 0 each column has mean 0 and variance about 1',
    property: (f) =>
      fc.property(tensorOf([5, 3], 3), (x) => {
        const out = f(x, matrix([[1, 1, 1]]), matrix([[0, 0, 0]]), 1e-5)
        return [0, 1, 2].every(
          (j) => Math.abs(mean(column(out, j))) < 1e-9 && Math.abs(variance(column(out, j)) - 1) < 0.25,
        )
      }),
  },
  reference()[1],
]

export const mistake: Mistake = {
  lecture:
    'a BatchNorm law with a loose tolerance (and gamma 1, beta 0, one eps): the unbiased variance and a swapped gamma and beta pass it',
  message: 'normalises with the unbiased variance',
}

/** Mutant: the variance as E[x²] - mean², which cancels catastrophically when the spread is small beside the mean. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/04-batchnorm/types.ts'
import type { Tensor } from '../../../lib/engine/tensor.ts'

export * from '../kata.ts'
const vec = (data: Float64Array): Tensor => ({ shape: [data.length], data })

export const batchStatistics: Kata['batchStatistics'] = (x) => {
  const [n, f] = x.shape
  const mean = new Float64Array(f),
    sq = new Float64Array(f)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < f; j++) {
      mean[j] += x.data[i * f + j] / n
      sq[j] += x.data[i * f + j] ** 2 / n
    }
  return { mean: vec(mean), variance: vec(sq.map((s, j) => s - mean[j] ** 2)) }
}

export const mistake: Mistake = {
  lecture:
    'the variance as E[x²] - mean²: equal on paper, but the two large terms cancel and leave rounding (or a negative variance)',
  message: 'batchStatistics: for',
}

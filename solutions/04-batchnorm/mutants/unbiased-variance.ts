/** Mutant: the batch variance divides by N - 1 (torch.var's default) instead of N. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/04-batchnorm/types.ts'
import type { Tensor } from '../../../lib/engine/tensor.ts'

export * from '../kata.ts'

export const batchStatistics: Kata['batchStatistics'] = (x) => {
  const [n, f] = x.shape
  const mean = new Float64Array(f),
    variance = new Float64Array(f)
  for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) mean[j] += x.data[i * f + j] / n
  for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) variance[j] += (x.data[i * f + j] - mean[j]) ** 2 / (n - 1)
  const vec = (data: Float64Array): Tensor => ({ shape: [f], data })
  return { mean: vec(mean), variance: vec(variance) }
}

export const mistake: Mistake = {
  lecture:
    "the batch variance divided by N - 1 (torch.var's unbiased default) where BatchNorm normalises in training with the biased variance, dividing by N",
  message: 'not N - 1',
}

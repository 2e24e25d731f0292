/** Mutant: training mode normalises by √variance + eps instead of √(variance + eps). */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/04-batchnorm/types.ts'
import { batchStatistics, updateRunningStatistics } from '../kata.ts'

export * from '../kata.ts'

export const batchNormTrain: Kata['batchNormTrain'] = (x, { gamma, beta }, running, { eps, momentum }) => {
  const [n, f] = x.shape
  const stats = batchStatistics(x)
  const out = new Float64Array(n * f)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < f; j++) {
      out[i * f + j] =
        (gamma.data[j] * (x.data[i * f + j] - stats.mean.data[j])) / (Math.sqrt(stats.variance.data[j]) + eps) +
        beta.data[j]
    }
  return { out: { shape: [n, f], data: out }, running: updateRunningStatistics(running, stats, momentum) }
}

export const mistake: Mistake = {
  lecture:
    'BatchNorm dividing by √var + eps where the lecture divides by √(var + eps): eps belongs inside the square root',
  message: 'eps is outside the square root',
}

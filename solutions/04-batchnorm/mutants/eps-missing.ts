/** Mutant: training mode normalises by √variance, without eps: a feature with no spread divides 0 by 0. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/04-batchnorm/types.ts'
import { batchStatistics, updateRunningStatistics } from '../kata.ts'

export * from '../kata.ts'

export const batchNormTrain: Kata['batchNormTrain'] = (x, { gamma, beta }, running, { momentum }) => {
  const [n, f] = x.shape
  const stats = batchStatistics(x)
  const out = new Float64Array(n * f)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < f; j++) {
      out[i * f + j] =
        (gamma.data[j] * (x.data[i * f + j] - stats.mean.data[j])) / Math.sqrt(stats.variance.data[j]) + beta.data[j]
    }
  return { out: { shape: [n, f], data: out }, running: updateRunningStatistics(running, stats, momentum) }
}

export const mistake: Mistake = {
  lecture:
    'BatchNorm normalising by √var without eps: xhat is exactly standardised, and a feature with no spread over the batch gives 0/0 = NaN',
  message: 'which keeps a feature with no spread from dividing by zero',
}

/** Mutant: evaluation mode normalises with the batch's statistics instead of the running ones. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/04-batchnorm/types.ts'
import { batchStatistics } from '../kata.ts'

export * from '../kata.ts'

export const batchNormEval: Kata['batchNormEval'] = (x, { gamma, beta }, _running, eps) => {
  const [n, f] = x.shape
  const { mean, variance } = batchStatistics(x)
  const out = new Float64Array(n * f)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < f; j++) {
      out[i * f + j] =
        (gamma.data[j] * (x.data[i * f + j] - mean.data[j])) / Math.sqrt(variance.data[j] + eps) + beta.data[j]
    }
  return { shape: [n, f], data: out }
}

export const mistake: Mistake = {
  lecture:
    "BatchNorm using the batch's statistics in evaluation: an example's prediction depends on which other examples share its batch, and a single example is normalised to beta",
  message: "an example's output must not depend on the rest of the batch",
}

/** Mutant: dx = gamma · dout / √(variance + eps), as if the batch mean and variance were constants. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/04-batchnorm/types.ts'
import { batchNormBackward as fullBackward, batchStatistics } from '../kata.ts'

export * from '../kata.ts'

export const batchNormBackward: Kata['batchNormBackward'] = (x, gamma, dout, eps) => {
  const f = x.shape[1]
  const { variance } = batchStatistics(x)
  const { dgamma, dbeta } = fullBackward(x, gamma, dout, eps)
  const dx = {
    shape: x.shape,
    data: dout.data.map((d, k) => (gamma.data[k % f] * d) / Math.sqrt(variance.data[k % f] + eps)),
  }
  return { dx, dgamma, dbeta }
}

export const mistake: Mistake = {
  lecture:
    'BatchNorm backward treating the batch mean and variance as constants: they depend on every example, so dx needs the - dbeta and - xhat · dgamma terms',
  message: 'it must flow through the batch mean and variance too',
}

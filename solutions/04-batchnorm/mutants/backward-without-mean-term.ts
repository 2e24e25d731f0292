/** Mutant: dx flows through the batch variance but not through the batch mean (no - dbeta term). */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/04-batchnorm/types.ts'
import { batchNormBackward as fullBackward, batchStatistics } from '../kata.ts'

export * from '../kata.ts'

export const batchNormBackward: Kata['batchNormBackward'] = (x, gamma, dout, eps) => {
  const [n, f] = x.shape
  const { variance } = batchStatistics(x)
  const right = fullBackward(x, gamma, dout, eps)
  // the full dx is gamma/std/N · (N dout - dbeta - xhat dgamma): add the dbeta term back, as if the mean were a constant
  const dx = {
    shape: x.shape,
    data: right.dx.data.map(
      (v, k) => v + (gamma.data[k % f] / Math.sqrt(variance.data[k % f] + eps) / n) * right.dbeta.data[k % f],
    ),
  }
  return { ...right, dx }
}

export const mistake: Mistake = {
  lecture:
    "BatchNorm backward through the variance but not the mean: mean_j depends on every example too, so dx needs its - dbeta_j term (the lecture's dmeani)",
  message: 'it must flow through the batch mean too',
}

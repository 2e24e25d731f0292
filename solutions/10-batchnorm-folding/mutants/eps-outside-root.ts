/** Mutant: eps added outside the square root. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/10-batchnorm-folding/types.ts'

export * from '../kata.ts'

export const foldBatchNorm: Kata['foldBatchNorm'] = ({ weight, bias }, bn) => {
  const [fanIn, fanOut] = weight.shape
  const g = bn.gamma.data,
    v = bn.runningVar.data,
    m = bn.runningMean.data,
    beta = bn.beta.data
  const s = Float64Array.from({ length: fanOut }, (_, j) => g[j] / (Math.sqrt(v[j]) + bn.eps))
  const w = Float64Array.from({ length: fanIn * fanOut }, (_, k) => weight.data[k] * s[k % fanOut])
  const b = Float64Array.from({ length: fanOut }, (_, j) => ((bias?.data[j] ?? 0) - m[j]) * s[j] + beta[j])
  return { weight: { shape: [fanIn, fanOut], data: w }, bias: { shape: [fanOut], data: b } }
}

export const mistake: Mistake = {
  lecture:
    'eps added outside the root: gamma / (√var + eps) instead of gamma / √(var + eps), not what BatchNorm computed',
  message: 'eps added outside the root',
}

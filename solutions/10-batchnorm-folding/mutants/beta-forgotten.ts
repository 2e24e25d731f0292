/** Mutant: beta left out of the folded bias. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/10-batchnorm-folding/types.ts'

export * from '../kata.ts'

export const foldBatchNorm: Kata['foldBatchNorm'] = ({ weight, bias }, bn) => {
  const [fanIn, fanOut] = weight.shape
  const g = bn.gamma.data,
    v = bn.runningVar.data,
    m = bn.runningMean.data
  const s = Float64Array.from({ length: fanOut }, (_, j) => g[j] / Math.sqrt(v[j] + bn.eps))
  const w = Float64Array.from({ length: fanIn * fanOut }, (_, k) => weight.data[k] * s[k % fanOut])
  const b = Float64Array.from({ length: fanOut }, (_, j) => ((bias?.data[j] ?? 0) - m[j]) * s[j])
  return { weight: { shape: [fanIn, fanOut], data: w }, bias: { shape: [fanOut], data: b } }
}

export const mistake: Mistake = {
  lecture: "BatchNorm's shift beta forgotten: the folded layer is centred where the trained one was shifted",
  message: 'beta forgotten',
}

/** Mutant: eps taken as BatchNorm's default 1e-5 instead of the one the BatchNorm carries. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/10-batchnorm-folding/types.ts'

export * from '../kata.ts'

export const foldBatchNorm: Kata['foldBatchNorm'] = ({ weight, bias }, bn) => {
  const [fanIn, fanOut] = weight.shape
  const s = new Float64Array(fanOut)
  for (let j = 0; j < fanOut; j++) s[j] = bn.gamma.data[j] / Math.sqrt(bn.runningVar.data[j] + 1e-5)
  const w = new Float64Array(fanIn * fanOut)
  for (let i = 0; i < fanIn; i++)
    for (let j = 0; j < fanOut; j++) w[i * fanOut + j] = weight.data[i * fanOut + j] * s[j]
  const b = new Float64Array(fanOut)
  for (let j = 0; j < fanOut; j++) b[j] = ((bias?.data[j] ?? 0) - bn.runningMean.data[j]) * s[j] + bn.beta.data[j]
  return { weight: { shape: [fanIn, fanOut], data: w }, bias: { shape: [fanOut], data: b } }
}

export const mistake: Mistake = {
  lecture: "eps is the BatchNorm's own (bn.eps): a BatchNorm made with eps 0.1 folds with 0.1",
  message: 'foldBatchNorm: for linear',
}

/** Mutant: W scaled in place and returned, with the new bias. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/10-batchnorm-folding/types.ts'

export * from '../kata.ts'

export const foldBatchNorm: Kata['foldBatchNorm'] = ({ weight, bias }, bn) => {
  const [fanIn, fanOut] = weight.shape
  const b = new Float64Array(fanOut)
  for (let j = 0; j < fanOut; j++) {
    const s = bn.gamma.data[j] / Math.sqrt(bn.runningVar.data[j] + bn.eps)
    for (let i = 0; i < fanIn; i++) weight.data[i * fanOut + j] *= s
    b[j] = ((bias?.data[j] ?? 0) - bn.runningMean.data[j]) * s + bn.beta.data[j]
  }
  return { weight, bias: { shape: [fanOut], data: b } }
}

export const mistake: Mistake = {
  lecture: 'W scaled in place: the model being folded loses its own weights',
  message: 'foldBatchNorm changed its argument `linear` in place',
}

/** Mutant: the weight read as [fanOut, fanIn] (its sizes taken from gamma and the data's length). */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/10-batchnorm-folding/types.ts'

export * from '../kata.ts'

export const foldBatchNorm: Kata['foldBatchNorm'] = ({ weight, bias }, bn) => {
  const fanOut = bn.gamma.data.length,
    fanIn = weight.data.length / fanOut
  const s = Float64Array.from(
    { length: fanOut },
    (_, j) => bn.gamma.data[j] / Math.sqrt(bn.runningVar.data[j] + bn.eps),
  )
  // column j read as the j-th run of fanIn numbers
  const w = new Float64Array(fanIn * fanOut)
  for (let j = 0; j < fanOut; j++) for (let i = 0; i < fanIn; i++) w[j * fanIn + i] = weight.data[j * fanIn + i] * s[j]
  const b = Float64Array.from(
    { length: fanOut },
    (_, j) => ((bias?.data[j] ?? 0) - bn.runningMean.data[j]) * s[j] + bn.beta.data[j],
  )
  return { weight: { shape: [fanIn, fanOut], data: w }, bias: { shape: [fanOut], data: b } }
}

export const mistake: Mistake = {
  lecture: 'W read as [fanOut, fanIn]: entry (i, j) of a [fanIn, fanOut] row-major W is data[i * fanOut + j]',
  message: 'foldBatchNorm: for linear',
}

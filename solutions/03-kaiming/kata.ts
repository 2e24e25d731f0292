/**
 * Reference answers for kata 03 (Kaiming initialisation). Each export has the type
 * katas/03-kaiming/types.ts gives it, as the learner's must: the answer can be copied into
 * katas/03-kaiming/kata.ts as it is.
 */
import type { Kata } from '../../katas/03-kaiming/types.ts'
import type { Tensor } from '../../lib/engine/tensor.ts'
import { matmul, relu, scale, tanh } from '../../lib/engine/ops.ts'
import { randnTensor, seedRng, type RngState } from '../../lib/engine/random.ts'

export const linearVarianceGain: Kata['linearVarianceGain'] = (fanIn, weightStd) => fanIn * weightStd * weightStd

const gains = { linear: 1, tanh: 5 / 3, relu: Math.SQRT2 } as const

export const gain: Kata['gain'] = (nonlinearity) => gains[nonlinearity]

export const kaimingStd: Kata['kaimingStd'] = (fanIn, nonlinearity) => gain(nonlinearity) / Math.sqrt(fanIn)

export const initStack: Kata['initStack'] = (widths, weightStd, seed) => {
  const weights: Tensor[] = []
  let s: RngState = seedRng(seed)
  for (let l = 0; l + 1 < widths.length; l++) {
    const [w, next] = randnTensor([widths[l], widths[l + 1]])(s)
    weights.push(scale(w, weightStd(widths[l])))
    s = next
  }
  return weights
}

const activations = { linear: (t: Tensor) => t, tanh, relu } as const

export const forwardStack: Kata['forwardStack'] = (x, weights, nonlinearity) => {
  const f = activations[nonlinearity]
  const outs: Tensor[] = []
  let h = x
  for (const w of weights) {
    h = f(matmul(h, w))
    outs.push(h)
  }
  return outs
}

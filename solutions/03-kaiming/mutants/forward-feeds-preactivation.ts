/** Mutant: forwardStack returns f(x @ W) but feeds the next layer the product x @ W, before the non-linearity. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/03-kaiming/types.ts'
import type { Tensor } from '../../../lib/engine/tensor.ts'
import { matmul, relu, tanh } from '../../../lib/engine/ops.ts'

export * from '../kata.ts'

const activations = { linear: (t: Tensor) => t, tanh, relu } as const

export const forwardStack: Kata['forwardStack'] = (x, weights, nonlinearity) => {
  const f = activations[nonlinearity]
  const outs: Tensor[] = []
  let h = x
  for (const w of weights) {
    h = matmul(h, w)
    outs.push(f(h))
  }
  return outs
}

export const mistake: Mistake = {
  lecture:
    "the next layer fed the pre-activation h @ W instead of the layer's output f(h @ W): the stack collapses into one linear map with a non-linearity bolted on each output",
  message: "layer 2 was fed layer 1's product x @ W1",
}

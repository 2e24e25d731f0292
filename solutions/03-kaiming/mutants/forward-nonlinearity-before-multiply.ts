/** Mutant: forwardStack applies the non-linearity to each layer's input, f(x) @ W, instead of to the product, f(x @ W). */
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
    h = matmul(f(h), w)
    outs.push(h)
  }
  return outs
}

export const mistake: Mistake = {
  lecture:
    "the non-linearity applied before the multiply, tanh(x) @ W: the lecture's hidden layer is h = tanh(hpreact) with hpreact = x @ W, so the unbounded product reaches the next layer unsquashed",
  message: 'was applied before the multiply',
}

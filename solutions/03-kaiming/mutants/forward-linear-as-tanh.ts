/** Mutant: every non-linearity but ReLU taken as tanh, so a 'linear' stack is squashed too. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/03-kaiming/types.ts'
import type { Tensor } from '../../../lib/engine/tensor.ts'
import { matmul, relu, tanh } from '../../../lib/engine/ops.ts'

export * from '../kata.ts'

export const forwardStack: Kata['forwardStack'] = (x, weights, nonlinearity) => {
  const outs: Tensor[] = []
  let h = x
  for (const w of weights) {
    h = nonlinearity === 'relu' ? relu(matmul(h, w)) : tanh(matmul(h, w))
    outs.push(h)
  }
  return outs
}

export const mistake: Mistake = {
  lecture: "'linear' read as tanh: a linear stack applies no non-linearity at all",
  message: 'forwardStack: for',
}

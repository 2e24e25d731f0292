/** Mutant: forwardStack forgets the non-linearity: every layer outputs x @ W, whatever the nonlinearity. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/03-kaiming/types.ts'
import type { Tensor } from '../../../lib/engine/tensor.ts'
import { matmul } from '../../../lib/engine/ops.ts'

export * from '../kata.ts'

export const forwardStack: Kata['forwardStack'] = (x, weights) => {
  const outs: Tensor[] = []
  let h = x
  for (const w of weights) {
    h = matmul(h, w)
    outs.push(h)
  }
  return outs
}

export const mistake: Mistake = {
  lecture:
    'the stack without its non-linearities: a tanh stack that never applies tanh is one linear map, and the gain 5/3 makes its variance grow layer after layer',
  message: 'you forgot the non-linearity',
}

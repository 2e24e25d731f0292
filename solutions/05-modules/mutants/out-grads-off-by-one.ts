/** Mutant: Sequential's backward records each layer's input gradient as its out.grad. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/05-modules/types.ts'
import { sequential as rightSequential } from '../kata.ts'

export * from '../kata.ts'

export const sequential: Kata['sequential'] = (layers) => {
  const right = rightSequential(layers)
  return {
    ...right,
    forward: (x, mode) => {
      const pass = right.forward(x, mode)
      return {
        ...pass,
        backward: (g) => {
          const grads = pass.backward(g)
          // each entry shifted by one: the gradient that leaves layer i, not the one that reaches its out
          return { ...grads, outGrads: [...grads.outGrads.slice(1), grads.inputGrad] }
        },
      }
    },
  }
}

export const mistake: Mistake = {
  lecture:
    "out.grad recorded after the layer's own backward (d loss / d input) instead of before it (d loss / d out): every histogram of layer.out.grad would be one layer off",
  message: 'is not d loss / d (that layer',
}

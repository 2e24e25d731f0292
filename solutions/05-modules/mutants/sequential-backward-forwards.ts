/** Mutant: Sequential's backward walks the layers in the order of the forward pass. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata, LayerPass } from '../../../katas/05-modules/types.ts'
import type { Tensor } from '../../../lib/engine/tensor.ts'
import { sequential as rightSequential } from '../kata.ts'

export * from '../kata.ts'

export const sequential: Kata['sequential'] = (layers) => {
  const right = rightSequential(layers)
  return {
    ...right,
    forward: (x, mode = 'train') => {
      const passes: LayerPass[] = []
      let h = x
      for (const l of layers) {
        const p = l.forward(h, mode)
        passes.push(p)
        h = p.out
      }
      return {
        ...right.forward(x, mode),
        backward: (g) => {
          const outGrads: Tensor[] = []
          const paramGrads: Tensor[] = []
          let grad = g
          // first layer first: the loss's out.grad handed to the layer that did not produce the output
          for (const p of passes) {
            outGrads.push(grad)
            const r = p.backward(grad)
            paramGrads.push(...r.paramGrads)
            grad = r.inputGrad
          }
          return { inputGrad: grad, paramGrads, outGrads }
        },
      }
    },
  }
}

export const mistake: Mistake = {
  lecture:
    "Sequential's backward walking the layers forwards: backpropagation starts at the last layer with the loss's out.grad and hands each layer's input gradient to the layer before it",
  message: 'walk the layers in reverse',
}

/** Mutant: every layer of the stack drawn from seedRng(seed) itself: the state a draw returns is thrown away. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/03-kaiming/types.ts'
import type { Tensor } from '../../../lib/engine/tensor.ts'
import { scale } from '../../../lib/engine/ops.ts'
import { randnTensor, seedRng } from '../../../lib/engine/random.ts'

export * from '../kata.ts'

export const initStack: Kata['initStack'] = (widths, weightStd, seed) => {
  const weights: Tensor[] = []
  const s = seedRng(seed)
  for (let l = 0; l + 1 < widths.length; l++) {
    const [w] = randnTensor([widths[l], widths[l + 1]])(s)
    weights.push(scale(w, weightStd(widths[l])))
  }
  return weights
}

export const mistake: Mistake = {
  lecture:
    "every layer drawn from the generator's first state: the state a draw returns is the generator after it, as the lecture's g moves on, and dropping it makes each layer start the stream again",
  message: 'the stream started again',
}

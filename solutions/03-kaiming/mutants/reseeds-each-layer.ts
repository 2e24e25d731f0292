/** Mutant: every layer of the stack drawn from a generator seeded anew (seedRng(seed + l + 1)), not from one generator threaded through. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/03-kaiming/types.ts'
import type { Tensor } from '../../../lib/engine/tensor.ts'
import { scale } from '../../../lib/engine/ops.ts'
import { randnTensor, seedRng } from '../../../lib/engine/random.ts'

export * from '../kata.ts'

export const initStack: Kata['initStack'] = (widths, weightStd, seed) => {
  const weights: Tensor[] = []
  for (let l = 0; l + 1 < widths.length; l++) {
    const [w] = randnTensor([widths[l], widths[l + 1]])(seedRng(seed + l + 1))
    weights.push(scale(w, weightStd(widths[l])))
  }
  return weights
}

export const mistake: Mistake = {
  lecture:
    "a new generator seeded for every layer instead of the lecture's one torch.Generator g, whose state runs on from one parameter to the next",
  message: 'thread its state through the layers',
}

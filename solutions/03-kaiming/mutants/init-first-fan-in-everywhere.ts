/** Mutant: every layer scaled by weightStd of the first layer's fan-in. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/03-kaiming/types.ts'
import type { Tensor } from '../../../lib/engine/tensor.ts'
import { scale } from '../../../lib/engine/ops.ts'
import { randnTensor, seedRng, type RngState } from '../../../lib/engine/random.ts'

export * from '../kata.ts'

export const initStack: Kata['initStack'] = (widths, weightStd, seed) => {
  const weights: Tensor[] = []
  let s: RngState = seedRng(seed)
  const std = weightStd(widths[0])
  for (let l = 0; l + 1 < widths.length; l++) {
    const [w, next] = randnTensor([widths[l], widths[l + 1]])(s)
    weights.push(scale(w, std))
    s = next
  }
  return weights
}

export const mistake: Mistake = {
  lecture: "one std for the whole stack, from the input's width: each layer's std comes from its own fan-in",
  message: 'initStack: for',
}

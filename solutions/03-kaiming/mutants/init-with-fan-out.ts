/** Mutant: each layer's weights scaled by its fan-out (columns) instead of its fan-in (rows). */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/03-kaiming/types.ts'
import type { Tensor } from '../../../lib/engine/tensor.ts'
import { scale } from '../../../lib/engine/ops.ts'
import { randnTensor, seedRng, type RngState } from '../../../lib/engine/random.ts'

export * from '../kata.ts'

export const initStack: Kata['initStack'] = (widths, weightStd, seed) => {
  const weights: Tensor[] = []
  let s: RngState = seedRng(seed)
  for (let l = 0; l + 1 < widths.length; l++) {
    const [w, next] = randnTensor([widths[l], widths[l + 1]])(s)
    weights.push(scale(w, weightStd(widths[l + 1])))
    s = next
  }
  return weights
}

export const mistake: Mistake = {
  lecture:
    "weights scaled by the layer's fan-out instead of its fan-in: what each output unit sums over is its inputs, the rows of W",
  message: 'the fan-in (the rows of W)',
}

/** Mutant: initMlp draws every tensor from seedRng(seed) afresh instead of threading one generator's state. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/01-initial-loss/types.ts'
import { scale } from '../../../lib/engine/ops.ts'
import { randnTensor, seedRng } from '../../../lib/engine/random.ts'

export * from '../kata.ts'

export const initMlp: Kata['initMlp'] = (sizes, scales, seed) => {
  const { vocabSize: V, blockSize, embeddingDim: d, hidden: H } = sizes
  const draw = (shape: number[]) => randnTensor(shape)(seedRng(seed))[0]
  return {
    C: draw([V, d]),
    W1: scale(draw([blockSize * d, H]), scales.w1),
    b1: scale(draw([H]), scales.b1),
    W2: scale(draw([H, V]), scales.w2),
    b2: scale(draw([V]), scales.b2),
  }
}

export const mistake: Mistake = {
  lecture:
    'every parameter drawn from a generator seeded afresh (torch.randn without the one torch.Generator g threaded through): C, W1, b1, W2 and b2 start from the same random numbers, copies of one another',
  message: "thread one generator's state through the draws",
}

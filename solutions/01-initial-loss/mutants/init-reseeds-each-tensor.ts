/** Mutant: initMlp seeds a new generator for each tensor (seed, seed + 1, ...) instead of threading one. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/01-initial-loss/types.ts'
import { scale } from '../../../lib/engine/ops.ts'
import { randnTensor, seedRng } from '../../../lib/engine/random.ts'

export * from '../kata.ts'

export const initMlp: Kata['initMlp'] = (sizes, scales, seed) => {
  const { vocabSize: V, blockSize, embeddingDim: d, hidden: H } = sizes
  const draw = (shape: number[], k: number) => randnTensor(shape)(seedRng(seed + k))[0]
  return {
    C: draw([V, d], 0),
    W1: scale(draw([blockSize * d, H], 1), scales.w1),
    b1: scale(draw([H], 2), scales.b1),
    W2: scale(draw([H, V], 3), scales.w2),
    b2: scale(draw([V], 4), scales.b2),
  }
}

export const mistake: Mistake = {
  lecture:
    "a new generator seeded for each parameter (seed, seed + 1, ...) instead of the lecture's one torch.Generator g passed to every torch.randn: the numbers differ from the lecture's stream",
  message: 'continuing where C stopped: draw C, W1, b1, W2, b2 in that order',
}

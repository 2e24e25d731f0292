/** Mutant: deepMlp seeds its generator with the lecture's 2147483647 whatever seed it is given. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/05-modules/types.ts'
import { deepMlp as rightDeepMlp } from '../kata.ts'

export * from '../kata.ts'

export const deepMlp: Kata['deepMlp'] = (vocabSize) => rightDeepMlp(vocabSize, 2147483647)

export const mistake: Mistake = {
  lecture:
    "the lecture's torch.Generator().manual_seed(2147483647) copied in: the seed argument is ignored, so every seed gives the same network",
  message: 'another seed should give other weights',
}

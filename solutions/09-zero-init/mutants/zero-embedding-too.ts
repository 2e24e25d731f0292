/** Mutant: the embedding table zeroed along with the Linear layers. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/09-zero-init/types.ts'
import { zerosInit } from '../../../lib/model/init.ts'
import { zeroInitLayers as reference } from '../kata.ts'

export * from '../kata.ts'

export const zeroInitLayers: Kata['zeroInitLayers'] = (vocabSize) =>
  reference(vocabSize).map((l) => (l.kind === 'embedding' ? { ...l, init: zerosInit } : l))

export const mistake: Mistake = {
  lecture: 'the embedding table C zeroed too: every context looks the same, which is not the exercise',
  message: 'the embedding table C stays randn',
}

/** Mutant: sampling seeds a new generator with the same seed for every name. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/07-training/types.ts'
import { sampleNames as rightNames } from '../kata.ts'

export * from '../kata.ts'

export const sampleNames: Kata['sampleNames'] = (model, vocab, count, seed) =>
  Array.from({ length: count }, () => rightNames(model, vocab, 1, seed)[0])

export const mistake: Mistake = {
  lecture:
    'the generator seeded again for every name: every name replays the same draws, so all the names are the same (the lecture passes one generator g to every torch.multinomial)',
  message: 'thread its state through all the names',
}

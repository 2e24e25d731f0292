/** Mutant: the loss of a uniform guess, ln V, taken for the loss of the frequencies. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/09-zero-init/types.ts'

export * from '../kata.ts'

export const unigramLoss: Kata['unigramLoss'] = (_targets, vocabSize) => Math.log(vocabSize)

export const mistake: Mistake = {
  lecture: 'ln V (a uniform guess) taken for the unigram loss: the frequencies of the characters are ignored',
  message: "each character's frequency among the targets",
}

/** Mutant: softmax laws that check only that rows are distributions and shifts change nothing. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/11-write-the-laws/types.ts'
import { softmaxLaws as reference } from '../kata.ts'

export * from '../kata.ts'

export const softmaxLaws: Kata['softmaxLaws'] = () => {
  const [distribution, , shift] = reference()
  return [distribution, shift]
}

export const mistake: Mistake = {
  lecture: 'softmax laws that a different distribution also satisfies: rows summing to 1 does not make it softmax',
  message: 'computes softmax(2x)',
}

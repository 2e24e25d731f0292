/** Mutant: softmax laws that never try large logits. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/11-write-the-laws/types.ts'
import { softmaxLaws as reference } from '../kata.ts'

export * from '../kata.ts'

// the distribution law and the ratio law, both on logits within ±5; no shift by ±1000
export const softmaxLaws: Kata['softmaxLaws'] = () => reference().slice(0, 2)

export const mistake: Mistake = {
  lecture:
    'softmax laws over small logits only: a softmax that forgets to subtract the max passes them, and overflows in training',
  message: 'exp(1000) is Infinity',
}

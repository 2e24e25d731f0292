/** Mutant: the investigation reports the activations' trend and forgets the gradients' */
import type { Mistake } from '../../../lib/course/kata.ts'
import type * as Kata from '../../../katas/08-detective/kata.ts'
import { investigate as answerInvestigate } from '../kata.ts'

export * from '../kata.ts'

export const investigate: typeof Kata.investigate = (c) => answerInvestigate(c).filter((s) => s.where !== 'gradients')

export const mistake: Mistake = {
  lecture: "the investigation reports the activations' trend and forgets the gradients'",
  message: 'the instruments show',
}

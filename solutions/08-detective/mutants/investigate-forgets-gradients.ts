/** Mutant: the investigation reports the activations' trend and forgets the gradients' */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/08-detective/types.ts'
import { investigate as answerInvestigate } from '../kata.ts'

export * from '../kata.ts'

export const investigate: Kata['investigate'] = (c) => answerInvestigate(c).filter((s) => s.where !== 'gradients')

export const mistake: Mistake = {
  lecture: "the investigation reports the activations' trend and forgets the gradients'",
  message: 'the instruments show',
}

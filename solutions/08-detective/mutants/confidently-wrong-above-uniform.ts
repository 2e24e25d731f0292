/** Mutant: any first loss above ln V called confidently wrong, without the rulebook's margin of 1. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/08-detective/types.ts'

export * from '../kata.ts'

export const confidentlyWrong: Kata['confidentlyWrong'] = (c) => c.trace.loss > Math.log(c.vocabSize)

export const mistake: Mistake = {
  lecture:
    'a first loss a little above ln V taken for a confidently wrong output layer: a random net is never exactly uniform; the lecture worries about 27 against 3.3, the rulebook from ln V + 1',
  message: 'not loss > ln V',
}

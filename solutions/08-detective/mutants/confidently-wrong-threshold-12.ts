/** Mutant: confidently wrong only from ln V + 1.2 on (the threshold nudged) */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/08-detective/types.ts'

export * from '../kata.ts'

export const confidentlyWrong: Kata['confidentlyWrong'] = (c) => c.trace.loss > Math.log(c.vocabSize) + 1.2

export const mistake: Mistake = {
  lecture: 'confidently wrong only from ln V + 1.2 on (the threshold nudged)',
  message: 'the rulebook: loss > ln V + 1',
}

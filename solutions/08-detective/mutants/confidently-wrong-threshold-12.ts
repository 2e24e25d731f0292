/** Mutant: confidently wrong only from ln V + 1.2 on (the threshold nudged) */
import type { Mistake } from '../../../lib/course/kata.ts'
import type * as Kata from '../../../katas/08-detective/kata.ts'

export * from '../kata.ts'

export const confidentlyWrong: typeof Kata.confidentlyWrong = (c) => c.trace.loss > Math.log(c.vocabSize) + 1.2

export const mistake: Mistake = {
  lecture: 'confidently wrong only from ln V + 1.2 on (the threshold nudged)',
  message: 'the rulebook: loss > ln V + 1',
}

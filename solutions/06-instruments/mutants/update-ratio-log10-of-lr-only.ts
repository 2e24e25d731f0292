/** Mutant: update:data with the learning rate inside the log but divided, std(grad) / (lr · std(param)). */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/06-instruments/types.ts'
import { gradToDataRatio as answerGradToDataRatio } from '../kata.ts'

export * from '../kata.ts'

export const updateToDataRatio: Kata['updateToDataRatio'] = (lr, grad, param) =>
  Math.log10(answerGradToDataRatio(grad, param) / lr)

export const mistake: Mistake = {
  lecture: 'the learning rate on the wrong side of the ratio',
  message: 'updateToDataRatio',
}

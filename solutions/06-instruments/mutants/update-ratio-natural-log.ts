/** Mutant: update:data on the natural log instead of log10. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/06-instruments/types.ts'
import { gradToDataRatio } from '../kata.ts'

export * from '../kata.ts'

export const updateToDataRatio: Kata['updateToDataRatio'] = (lr, grad, param) =>
  Math.log(lr * gradToDataRatio(grad, param))

export const mistake: Mistake = {
  lecture:
    "update:data on the natural log: the lecture's .log10() puts a healthy step at -3; ln of 1e-3 is -6.9, so a good learning rate reads as too low",
  message: 'natural log (ln)',
}

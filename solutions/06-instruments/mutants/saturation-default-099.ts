/** Mutant: the default threshold of saturationFraction is the dead-unit map's 0.99. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/06-instruments/types.ts'
import { saturationFraction as answerSaturationFraction } from '../kata.ts'

export * from '../kata.ts'

export const saturationFraction: Kata['saturationFraction'] = (values, threshold = 0.99) =>
  answerSaturationFraction(values, threshold)

export const mistake: Mistake = {
  lecture: "the dead-unit map's 0.99 as the default saturation level",
  message: 'saturationFraction: for values',
}

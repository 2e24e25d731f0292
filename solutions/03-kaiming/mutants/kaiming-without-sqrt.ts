/** Mutant: Kaiming's std divided by fan_in instead of √fan_in (the variance rule applied to the std). */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/03-kaiming/types.ts'
import { gain } from '../kata.ts'

export * from '../kata.ts'

export const kaimingStd: Kata['kaimingStd'] = (fanIn, nonlinearity) => gain(nonlinearity) / fanIn

export const mistake: Mistake = {
  lecture:
    'Kaiming std taken as gain / fan_in: the variance of the weights must be 1/fan_in, so their std is 1/√fan_in',
  message: 'divide by √fan_in, not fan_in',
}

/** Mutant: Kaiming's std taken as √(gain / fan_in), the gain under the square root with the fan-in. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/03-kaiming/types.ts'
import { gain } from '../kata.ts'

export * from '../kata.ts'

export const kaimingStd: Kata['kaimingStd'] = (fanIn, nonlinearity) => Math.sqrt(gain(nonlinearity) / fanIn)

export const mistake: Mistake = {
  lecture:
    "Kaiming's std taken as √(gain / fan_in): the gain multiplies the std, gain / √fan_in, so the weights' variance is gain² / fan_in",
  message: 'the gain goes outside the square root',
}

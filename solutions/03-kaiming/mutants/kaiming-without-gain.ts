/** Mutant: Kaiming's std taken as 1/√fan_in whatever the non-linearity: the gain is left out. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/03-kaiming/types.ts'

export * from '../kata.ts'

export const kaimingStd: Kata['kaimingStd'] = (fanIn) => 1 / Math.sqrt(fanIn)

export const mistake: Mistake = {
  lecture:
    'Kaiming without the gain: std = 1/√fan_in for a tanh layer, so nothing makes up for what tanh squashes and a deep tanh stack fades layer after layer',
  message: 'include the gain',
}

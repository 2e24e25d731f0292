/** Mutant: the hidden layer's fix scales W1 by 0.2 but leaves b1 at randn × 1. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/02-saturation/types.ts'

export * from '../kata.ts'

export const fixHiddenLayer: Kata['fixHiddenLayer'] = (scales) => ({ ...scales, w1: scales.w1 * 0.2 })

export const mistake: Mistake = {
  lecture:
    'W1 × 0.2 without b1 × 0.01: a bias left at randn × 1 widens the pre-activations from std 1.1 to 1.5 and keeps too many units saturated',
  message: 'scale b1 down too, as the lecture does with b1 × 0.01',
}

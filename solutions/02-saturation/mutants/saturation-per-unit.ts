/** Mutant: the saturated activations counted, then divided by the number of units instead of by every activation. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/02-saturation/types.ts'

export * from '../kata.ts'

export const saturationFraction: Kata['saturationFraction'] = (h, threshold = 0.99) =>
  h.data.filter((v) => Math.abs(v) > threshold).length / h.shape[1]

export const mistake: Mistake = {
  lecture:
    "the share taken per unit instead of over every activation: the lecture's (h.abs() > 0.99).float().mean() averages over every example and every unit",
  message: 'dividing by the number of units',
}

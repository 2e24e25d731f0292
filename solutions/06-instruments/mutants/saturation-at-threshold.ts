/** Mutant: a value exactly at the threshold counted as saturated (|t| >= threshold). */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/06-instruments/types.ts'

export * from '../kata.ts'

export const saturationFraction: Kata['saturationFraction'] = (values, threshold = 0.97) =>
  Array.from(values).filter((v) => Math.abs(v) >= threshold).length / values.length

export const mistake: Mistake = {
  lecture:
    "saturation counted from the threshold on (>=) where the lecture's (t.abs() > 0.97) counts strictly beyond it",
  message: 'that counts |t| >= 0.97',
}

/** Mutant: a value exactly at the threshold counted as saturated (|t| >= threshold). */
import type { Mistake } from '../../../lib/course/kata.ts'
import type * as Kata from '../../../katas/06-instruments/kata.ts'

export * from '../kata.ts'

export const saturationFraction: typeof Kata.saturationFraction = (values, threshold = 0.97) =>
  Array.from(values).filter((v) => Math.abs(v) >= threshold).length / values.length

export const mistake: Mistake = {
  lecture:
    "saturation counted from the threshold on (>=) where the lecture's (t.abs() > 0.97) counts strictly beyond it",
  message: 'that counts |t| >= 0.97',
}

/** Mutant: the share counted beyond 0.99 whatever threshold the caller passed. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/02-saturation/types.ts'

export * from '../kata.ts'

export const saturationFraction: Kata['saturationFraction'] = (h) =>
  h.data.filter((v) => Math.abs(v) > 0.99).length / h.data.length

export const mistake: Mistake = {
  lecture:
    'the threshold hard-coded at 0.99: the instrument panel of kata 06 counts |t| > 0.97, and a caller may pass any line',
  message: 'saturationFraction: for',
}

/** Mutant: saturation counted at +1 only (t > threshold), forgetting the -1 end of tanh. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/02-saturation/types.ts'

export * from '../kata.ts'

export const saturationFraction: Kata['saturationFraction'] = (h, threshold = 0.99) =>
  h.data.filter((v) => v > threshold).length / h.data.length

export const mistake: Mistake = {
  lecture: 'saturation counted only where t > threshold: units pinned at -1 are just as saturated as those at +1',
  message: 'counting one end only',
}

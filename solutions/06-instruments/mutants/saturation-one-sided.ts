/** Mutant: saturation counted as t > threshold, forgetting the units stuck at -1. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/06-instruments/types.ts'

export * from '../kata.ts'

export const saturationFraction: Kata['saturationFraction'] = (values, threshold = 0.97) => {
  let saturated = 0
  for (let i = 0; i < values.length; i++) if (values[i] > threshold) saturated += 1
  return saturated / values.length
}

export const mistake: Mistake = {
  lecture:
    'saturation counted as t > 0.97 instead of |t| > 0.97: a tanh unit stuck at -1 passes no gradient either (1 - t² ≈ 0), so about half the saturated units go uncounted',
  message: 'a unit saturates at -1 as much as at +1',
}

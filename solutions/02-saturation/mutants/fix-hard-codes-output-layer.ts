/** Mutant: the fix returns kata 01's output scales too, instead of keeping the ones that came in. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/02-saturation/types.ts'

export * from '../kata.ts'

export const fixHiddenLayer: Kata['fixHiddenLayer'] = () => ({ w1: 0.2, b1: 0.01, w2: 0.01, b2: 0 })

export const mistake: Mistake = {
  lecture: "the output layer's scales written in rather than passed through: w2 and b2 are the caller's",
  message: 'fixHiddenLayer: for',
}

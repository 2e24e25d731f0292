/** Mutant: ReLU's gain taken as 2, its variance gain, instead of √2. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/03-kaiming/types.ts'

export * from '../kata.ts'

const gains = { linear: 1, tanh: 5 / 3, relu: 2 } as const
export const gain: Kata['gain'] = (nonlinearity) => gains[nonlinearity]
export const kaimingStd: Kata['kaimingStd'] = (fanIn, nonlinearity) => gain(nonlinearity) / Math.sqrt(fanIn)

export const mistake: Mistake = {
  lecture:
    "ReLU's gain taken as 2: ReLU halves the variance, so the variance needs × 2 and the standard deviation × √2; a std gain of 2 doubles the variance every layer",
  message: "ReLU's gain is √2",
}

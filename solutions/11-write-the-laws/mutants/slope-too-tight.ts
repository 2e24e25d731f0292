/** Mutant: tanh's slope law compared with the numeric slope at 1e-13, tighter than a central difference can be. */
import fc from 'fast-check'
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/11-write-the-laws/types.ts'
import { matrix } from '../../../lib/engine/tensor.ts'
import { tanhLocalGradientLaws as reference } from '../kata.ts'

export * from '../kata.ts'

export const tanhLocalGradientLaws: Kata['tanhLocalGradientLaws'] = () => [
  {
    name: 'it is the slope of tanh, to 1e-13',
    property: (f) =>
      fc.property(fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: 1, maxLength: 8 }), (xs) => {
        const h = 1e-5
        const g = f(matrix([xs.map(Math.tanh)])).data
        return xs.every((x, k) => Math.abs(g[k] - (Math.tanh(x + h) - Math.tanh(x - h)) / (2 * h)) <= 1e-13)
      }),
  },
  reference()[1],
]

export const mistake: Mistake = {
  lecture: 'a numeric slope is good to about h² ≈ 1e-10 here: a tolerance of 1e-13 fails the right answer',
  message: 'fails on the reference tanhLocalGradient',
}

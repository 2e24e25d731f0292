/** Mutant: tanh laws that take a saturated unit's 0 with Object.is, so a −0 fails. */
import fc from 'fast-check'
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/11-write-the-laws/types.ts'
import { matrix } from '../../../lib/engine/tensor.ts'
import { tanhLocalGradientLaws as reference } from '../kata.ts'

export * from '../kata.ts'

export const tanhLocalGradientLaws: Kata['tanhLocalGradientLaws'] = () => [
  reference()[0],
  {
    name: 'exactly 1 at t = 0 and 0 at t = ±1, between 0 and 1 in between',
    property: (f) =>
      fc.property(fc.double({ min: -1, max: 1, noNaN: true }), (t) => {
        const [a, zero, one, minusOne] = f(matrix([[t, 0, 1, -1]])).data
        return a >= 0 && a <= 1 && zero === 1 && Object.is(one, 0) && Object.is(minusOne, 0)
      }),
  },
]

export const mistake: Mistake = {
  lecture: 'the zero of a saturated unit checked with Object.is: −0 is that zero too',
  message: 'tanhLocalGradientLaws: for implementation',
}

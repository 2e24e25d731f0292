/** Mutant: a tanh "law" that is not true: the local gradient reaches 1 at t = 0. */
import fc from 'fast-check'
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/11-write-the-laws/types.ts'
import { matrix } from '../../../lib/engine/tensor.ts'
import { tanhLocalGradientLaws as reference } from '../kata.ts'

export * from '../kata.ts'

export const tanhLocalGradientLaws: Kata['tanhLocalGradientLaws'] = () => [
  ...reference(),
  {
    name: 'the local gradient is always below 1',
    property: (f) => fc.property(fc.double({ min: -1, max: 1, noNaN: true }), (t) => f(matrix([[t]])).data[0] < 1),
  },
]

export const mistake: Mistake = {
  lecture: 'a law that does not hold for the right answer: 1 − t² is exactly 1 at t = 0',
  message: 'fails on the reference tanhLocalGradient',
}

/** Mutant: a Kaiming law that compares with === to gain / Math.sqrt(fanIn). */
import fc from 'fast-check'
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/11-write-the-laws/types.ts'

export * from '../kata.ts'

export const kaimingStdLaws: Kata['kaimingStdLaws'] = () => [
  {
    name: 'it is exactly gain / √fanIn',
    property: (f) =>
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        (fanIn, gain) => f(fanIn, gain) === gain / Math.sqrt(fanIn),
      ),
  },
]

export const mistake: Mistake = {
  lecture: 'floating-point answers compared with ===: a right gain · fanIn^(−1/2) differs in the last bit',
  message: 'kaimingStdLaws: for implementation',
}

/** Mutant: Kaiming laws that only ever try a gain of 1. */
import fc from 'fast-check'
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/11-write-the-laws/types.ts'

export * from '../kata.ts'

export const kaimingStdLaws: Kata['kaimingStdLaws'] = () => [
  {
    name: 'std × √fanIn is 1 for a gain of 1',
    property: (f) =>
      fc.property(fc.integer({ min: 1, max: 1000 }), (fanIn) => Math.abs(f(fanIn, 1) * Math.sqrt(fanIn) - 1) < 1e-9),
  },
]

export const mistake: Mistake = {
  lecture: "Kaiming laws with the gain fixed at 1: the gain's place in the formula is never tested",
  message: 'a law with a gain other than 1 catches it',
}

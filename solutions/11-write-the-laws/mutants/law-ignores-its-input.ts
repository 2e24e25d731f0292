/** Mutant: a Kaiming "law" that checks one example, whatever fast-check generates. */
import fc from 'fast-check'
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/11-write-the-laws/types.ts'

export * from '../kata.ts'

export const kaimingStdLaws: Kata['kaimingStdLaws'] = () => [
  {
    name: 'the lecture’s first layer: (5/3) / √30',
    property: (f) => fc.property(fc.integer(), () => Math.abs(f(30, 5 / 3) - 5 / 3 / Math.sqrt(30)) < 1e-12),
  },
]

export const mistake: Mistake = {
  lecture: 'an example dressed as a law: the property ignores what fast-check generates and checks one input 100 times',
  message: 'ignores its input',
}

/** Mutant: a tanh law whose fc.pre asks for what the generator never gives. */
import fc from 'fast-check'
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/11-write-the-laws/types.ts'
import { matrix } from '../../../lib/engine/tensor.ts'
import { tanhLocalGradientLaws as reference } from '../kata.ts'

export * from '../kata.ts'

export const tanhLocalGradientLaws: Kata['tanhLocalGradientLaws'] = () => [
  ...reference(),
  {
    name: 'outside [−1, 1] the gradient is negative',
    property: (f) =>
      fc.property(fc.double({ min: -1, max: 1, noNaN: true }), (t) => {
        fc.pre(Math.abs(t) > 1)
        return f(matrix([[t]])).data[0] < 0
      }),
  },
]

export const mistake: Mistake = {
  lecture: 'an fc.pre that rejects every generated input: the law runs zero times and checks nothing',
  message: 'fc.pre rejects almost every input',
}

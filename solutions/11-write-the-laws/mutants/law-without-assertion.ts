/** Mutant: a softmax law whose predicate calls softmax and checks nothing. */
import fc from 'fast-check'
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/11-write-the-laws/types.ts'
import { tensorOf } from '../../../lib/engine/arbitraries.ts'
import { softmaxLaws as reference } from '../kata.ts'

export * from '../kata.ts'

export const softmaxLaws: Kata['softmaxLaws'] = () => [
  ...reference(),
  {
    name: 'softmax runs on any logits',
    property: (f) =>
      fc.property(tensorOf([3, 4], 5), (x) => {
        f(x)
      }),
  },
]

export const mistake: Mistake = {
  lecture: 'a property that calls the function and asserts nothing: it passes on every implementation, right or wrong',
  message: 'A predicate that returns nothing checks nothing',
}

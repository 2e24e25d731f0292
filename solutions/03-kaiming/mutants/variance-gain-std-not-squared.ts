/** Mutant: one layer's variance gain taken as fan_in · std, the std not squared. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/03-kaiming/types.ts'

export * from '../kata.ts'

export const linearVarianceGain: Kata['linearVarianceGain'] = (fanIn, weightStd) => fanIn * weightStd

export const mistake: Mistake = {
  lecture:
    'the variance of x @ W taken as fan_in · std: each product x_i · w_i has variance Var(x) · std², so the gain is fan_in · std²',
  message: 'square the std',
}

/** Mutant: the backward uses the lecture's eps 1e-5 whatever eps it is given. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/04-batchnorm/types.ts'
import { batchNormBackward as fullBackward } from '../kata.ts'

export * from '../kata.ts'

export const batchNormBackward: Kata['batchNormBackward'] = (x, gamma, dout) => fullBackward(x, gamma, dout, 1e-5)

export const mistake: Mistake = {
  lecture:
    "BatchNorm backward with the lecture's eps written in (1e-5) instead of the eps the layer was given: right for the lecture's net, wrong for any BatchNorm with another eps",
  message: 'use the eps argument',
}

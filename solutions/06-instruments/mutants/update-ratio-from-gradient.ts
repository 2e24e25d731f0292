/** Mutant: the update:data ratio computed from the gradient instead of the update lr · grad. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/06-instruments/types.ts'
import { gradToDataRatio } from '../kata.ts'

export * from '../kata.ts'

export const updateToDataRatio: Kata['updateToDataRatio'] = (_lr, grad, param) =>
  Math.log10(gradToDataRatio(grad, param))

export const mistake: Mistake = {
  lecture:
    'update:data taken as log10(std(grad) / std(param)): the update is lr · grad, so without the learning rate the ratio cannot tell a good learning rate from a bad one',
  message: 'the update is lr · grad',
}

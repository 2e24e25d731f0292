/** Mutant: a Sequential's training pass hands back the Sequential it was called on. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata, Sequential } from '../../../katas/05-modules/types.ts'
import { sequential as rightSequential } from '../kata.ts'

export * from '../kata.ts'

export const sequential: Kata['sequential'] = (layers) => {
  const right = rightSequential(layers)
  const self: Sequential = { ...right, forward: (x, mode) => ({ ...right.forward(x, mode), layer: self }) }
  return self
}

export const mistake: Mistake = {
  lecture:
    "the training pass returning the old Sequential instead of one built from every layer's pass.layer: BatchNorm's running statistics never move, so evaluation normalises with the initial mean 0 and variance 1",
  message: "the layer each layer's pass returned (pass.layer)",
}

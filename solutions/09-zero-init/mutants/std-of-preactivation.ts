/** Mutant: the std read off linear1's output (the pre-activation) instead of tanh's. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/09-zero-init/types.ts'
import { stdAll } from '../../../lib/engine/ops.ts'
import { trainingPass } from '../../../lib/model/nn.ts'

export * from '../kata.ts'

export const hiddenActivationStd: Kata['hiddenActivationStd'] = (model, { X, Y }) =>
  stdAll(trainingPass(model, X, Y).trace.layers.find((l) => l.name === 'linear1')!.out)

export const mistake: Mistake = {
  lecture: "the hidden activations' std read before the tanh: the pre-activations, not h",
  message: "the std of the tanh layer's output h",
}

/** Mutant: the std of the last tanh layer's output, in a net that has several. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/09-zero-init/types.ts'
import { stdAll } from '../../../lib/engine/ops.ts'
import { trainingPass } from '../../../lib/model/nn.ts'

export * from '../kata.ts'

export const hiddenActivationStd: Kata['hiddenActivationStd'] = (model, { X, Y }) => {
  const tanhs = trainingPass(model, X, Y).trace.layers.filter((l) => l.kind === 'tanh')
  return stdAll(tanhs[tanhs.length - 1].out)
}

export const mistake: Mistake = {
  lecture: "the last tanh layer's output read where the first is asked for",
  message: 'hiddenActivationStd: for model',
}

/** Mutant: the names read off the gradients (filed by backward, last layer first), not model.params. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/09-zero-init/types.ts'
import { trainingPass } from '../../../lib/model/nn.ts'

export * from '../kata.ts'

export const nonZeroGradients: Kata['nonZeroGradients'] = (model, { X, Y }) => {
  const grads = trainingPass(model, X, Y).trace.paramGrads
  return Object.keys(grads).filter((name) => grads[name].data.some((g) => g !== 0))
}

export const mistake: Mistake = {
  lecture:
    'the names taken in the order backward files the gradients (output layer first), not the order of model.params',
  message: 'nonZeroGradients: for model',
}

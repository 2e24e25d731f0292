/** Mutant: a gradient counted only when some entry is positive. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/09-zero-init/types.ts'
import { trainingPass } from '../../../lib/model/nn.ts'

export * from '../kata.ts'

export const nonZeroGradients: Kata['nonZeroGradients'] = (model, { X, Y }) => {
  const grads = trainingPass(model, X, Y).trace.paramGrads
  return Object.keys(model.params).filter((name) => grads[name].data.some((g) => g > 0))
}

export const mistake: Mistake = {
  lecture: 'g > 0 for g !== 0: a gradient whose entries are all negative is not zero either',
  message: 'nonZeroGradients: for model',
}

/** Mutant: a gradient counted as zero when it is merely small. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/09-zero-init/types.ts'
import { trainingPass } from '../../../lib/model/nn.ts'

export * from '../kata.ts'

export const nonZeroGradients: Kata['nonZeroGradients'] = (model, { X, Y }) => {
  const grads = trainingPass(model, X, Y).trace.paramGrads
  return Object.keys(model.params).filter((name) => grads[name].data.some((g) => Math.abs(g) > 1e-8))
}

export const mistake: Mistake = {
  lecture:
    'a gradient below 1e-8 taken for zero: the point is that the blocked ones are exactly 0, and tiny is not blocked',
  message: 'count a gradient that is not exactly 0, with no tolerance',
}

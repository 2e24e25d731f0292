/** Mutant: SGD writes p - lr · grad into the parameters of the model it was given. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/07-training/types.ts'
import { trainingPass } from '../../../lib/model/nn.ts'

export * from '../kata.ts'

export const sgdStep: Kata['sgdStep'] = (model, batch, lr) => {
  const pass = trainingPass(model, batch.X, batch.Y)
  for (const [name, p] of Object.entries(model.params)) {
    const g = pass.trace.paramGrads[name]
    for (let i = 0; i < p.data.length; i++) p.data[i] -= lr * g.data[i]
  }
  return { model: { ...model, buffers: pass.buffers }, loss: pass.trace.loss }
}

export const mistake: Mistake = {
  lecture:
    "the lecture's p.data += -lr * p.grad done in place on the model passed in: the caller's model changes under it, so a model kept for comparison (or evaluated later) is silently the trained one",
  message: 'sgdStep changed the parameters of the model it was given, in place',
}

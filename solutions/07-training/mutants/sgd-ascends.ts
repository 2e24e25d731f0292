/** Mutant: the SGD step adds the gradient instead of subtracting it. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/07-training/types.ts'
import { trainingPass, type Params } from '../../../lib/model/nn.ts'
import type { Tensor } from '../../../lib/engine/tensor.ts'

export * from '../kata.ts'

export const sgdStep: Kata['sgdStep'] = (model, batch, lr) => {
  const pass = trainingPass(model, batch.X, batch.Y)
  const params: Record<string, Tensor> = {}
  for (const [name, p] of Object.entries(model.params))
    params[name] = { shape: p.shape, data: p.data.map((v, i) => v + lr * pass.trace.paramGrads[name].data[i]) }
  return { model: { ...model, params: params as Params, buffers: pass.buffers }, loss: pass.trace.loss }
}

export const mistake: Mistake = {
  lecture: 'p += lr · grad instead of p -= lr · grad: the gradient points uphill, so the step climbs the loss',
  message: 'step against the gradient',
}

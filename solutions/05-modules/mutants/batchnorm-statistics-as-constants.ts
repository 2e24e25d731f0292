/** Mutant: BatchNorm's backward treats the batch mean and variance as constants. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata, Layer } from '../../../katas/05-modules/types.ts'
import { mul, variance } from '../../../lib/engine/ops.ts'
import { ones, type Tensor } from '../../../lib/engine/tensor.ts'
import { batchNorm1d as rightBatchNorm1d } from '../kata.ts'

export * from '../kata.ts'

/** The right forward, with a backward that forgets the batch statistics depend on x. */
const withConstantStatistics = (inner: Layer, gamma: Tensor, eps: number): Layer => ({
  ...inner,
  forward: (x, mode = 'train') => {
    const pass = inner.forward(x, mode)
    const sigma2 = variance(x, 0)
    const invStd: Tensor = { shape: sigma2.shape, data: sigma2.data.map((v) => 1 / Math.sqrt(v + eps)) }
    return {
      out: pass.out,
      layer: withConstantStatistics(pass.layer, gamma, eps),
      backward: (g) => {
        const right = pass.backward(g)
        // dx = gamma * invStd * g, as if mean and variance were fixed numbers
        return { inputGrad: mul(mul(g, gamma), invStd), paramGrads: right.paramGrads }
      },
    }
  },
})

export const batchNorm1d: Kata['batchNorm1d'] = (dim, options = {}) =>
  withConstantStatistics(rightBatchNorm1d(dim, options), options.gamma ?? ones([dim]), options.eps ?? 1e-5)

export const mistake: Mistake = {
  lecture:
    "BatchNorm's backward written as if the batch mean and variance were constants (dx = gamma · out.grad / std): in training they are computed from the batch, so every row's gradient also flows through them",
  message: 'the batch mean and variance depend on every row',
}

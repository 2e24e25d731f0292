/** Mutant: Tanh's backward multiplies out.grad by 1 - t instead of 1 - t². */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata, Layer } from '../../../katas/05-modules/types.ts'
import { tanh } from '../../../lib/engine/ops.ts'
import { map } from '../../../lib/engine/tensor.ts'

export * from '../kata.ts'

export const tanhLayer: Kata['tanhLayer'] = () => {
  const layer: Layer = {
    kind: 'tanh',
    parameters: [],
    buffers: [],
    forward: (x) => {
      const out = tanh(x)
      return { out, layer, backward: (g) => ({ inputGrad: map(g, (v, i) => v * (1 - out.data[i])), paramGrads: [] }) }
    },
  }
  return layer
}

export const mistake: Mistake = {
  lecture:
    "tanh's local gradient taken as 1 - t instead of 1 - t²: the gradient no longer vanishes at t = -1, where the unit is just as saturated as at t = 1",
  message: "tanh's local gradient is 1 - t²",
}

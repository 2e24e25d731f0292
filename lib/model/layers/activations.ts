/**
 * The non-linearities: tanh and ReLU, each a single op of ops with its verified backward. tanh's
 * backward reads its output (1 - t²: near 0 where a unit saturates); ReLU's reads its input (the
 * gradient passes where the input was positive).
 */
import { relu, reluBackward, tanh, tanhBackward } from '../../engine/ops.ts'
import type { Tensor } from '../../engine/tensor.ts'
import { noBuffers, requireInput, type LayerOps, type Named } from './layer.ts'

export interface ActivationSpec {
  readonly kind: 'tanh' | 'relu'
}

export const tanhLayer = (): ActivationSpec => ({ kind: 'tanh' })
export const reluLayer = (): ActivationSpec => ({ kind: 'relu' })

const keepsWidth = (_l: unknown, width: number | undefined): number | undefined => width

export const tanhOps: LayerOps<Named<ActivationSpec>, Tensor> = {
  params: () => [],
  buffers: noBuffers,
  outWidth: keepsWidth,
  forward: (l, x) => {
    const out = tanh(requireInput(l, x))
    return { out, saved: out }
  },
  backward: (_l, out, g) => ({ dx: tanhBackward(out, g), grads: {} }),
}

export const reluOps: LayerOps<Named<ActivationSpec>, Tensor> = {
  params: () => [],
  buffers: noBuffers,
  outWidth: keepsWidth,
  forward: (l, x) => {
    const input = requireInput(l, x)
    return { out: relu(input), saved: input }
  },
  backward: (_l, input, g) => ({ dx: reluBackward(input, g), grads: {} }),
}

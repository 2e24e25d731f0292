/**
 * The non-linearities: tanh and ReLU, each a single op of ops with its verified backward. tanh's
 * backward reads its output (1 - t²: near 0 where a unit saturates); ReLU's reads its input (the
 * gradient passes where the input was positive).
 */
import { tanhInto } from '../../engine/kernels/tanh.ts'
import { relu, reluBackward, tanh, tanhBackward } from '../../engine/ops.ts'
import type { Tensor } from '../../engine/tensor.ts'
import { noBuffers, requireInput, type LayerOps, type Named, type PlanContext } from './layer.ts'

export interface ActivationSpec {
  readonly kind: 'tanh' | 'relu'
}

export const tanhLayer = (): ActivationSpec => ({ kind: 'tanh' })
export const reluLayer = (): ActivationSpec => ({ kind: 'relu' })

const keepsWidth = (_l: unknown, width: number | undefined): number | undefined => width

/** The views an activation's planned loops run over: its input, output and their gradients, the batch's rows only. */
const planViews = (l: { readonly name: string }, ctx: PlanContext) => {
  const input = requireInput(l, ctx.input),
    inputGrad = requireInput(l, ctx.inputGrad)
  return () => {
    const length = ctx.out.length
    return {
      x: ctx.arena.view(input, length),
      out: ctx.arena.view(ctx.out, length),
      g: ctx.arena.view(ctx.outGrad, length),
      dx: ctx.arena.view(inputGrad, length),
    }
  }
}

export const tanhOps: LayerOps<Named<ActivationSpec>, Tensor> = {
  params: () => [],
  buffers: noBuffers,
  outWidth: keepsWidth,
  forward: (l, x) => {
    const out = tanh(requireInput(l, x))
    return { out, saved: out }
  },
  backward: (_l, out, g) => ({ dx: tanhBackward(out, g), grads: {} }),
  plan: (l, ctx) => {
    const views = planViews(l, ctx)
    return () => {
      const { x, out, g, dx } = views()
      return {
        forward: () => tanhInto(x, out),
        backward: () => {
          for (let i = 0; i < out.length; i++) dx[i] = (1 - out[i] * out[i]) * g[i]
        },
      }
    }
  },
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
  plan: (l, ctx) => {
    const views = planViews(l, ctx)
    return () => {
      const { x, out, g, dx } = views()
      return {
        forward: () => {
          for (let i = 0; i < x.length; i++) out[i] = x[i] > 0 ? x[i] : 0
        },
        backward: () => {
          for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? g[i] : 0
        },
      }
    }
  },
}

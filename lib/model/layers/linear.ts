/**
 * Linear: y = x W + b, the lecture's `hpreact = embcat @ W1 + b1`. Its forward is ops' matmulAddRow
 * (the matmul kernel adds the bias as it stores each sum: the bits of add(matmul(x, W), b)); its
 * backward is the pair ops verifies: matmulBackward for x and W (dx = g Wᵀ, dW = xᵀ g) and
 * addBackward for the bias, whose broadcast row sums back to a column sum of g.
 */
import { addBackward, matmul, matmulAddRow, matmulBackward } from '../../engine/ops.ts'
import { ShapeError, showShape, type Tensor } from '../../engine/tensor.ts'
import { kaiming, zerosInit, type InitScheme } from '../init.ts'
import { type Backward, noBuffers, requireInput, type LayerOps, type Named, type ParamSpec } from './layer.ts'

export interface LinearSpec {
  readonly kind: 'linear'
  readonly fanIn: number
  readonly fanOut: number
  readonly bias: boolean
  readonly weightInit: InitScheme
  readonly biasInit: InitScheme
}

/** y = x W + b. Weights default to Kaiming with gain 1 (1/sqrt(fan_in)), biases to zero. */
export const linear = (
  fanIn: number,
  fanOut: number,
  {
    bias = true,
    weightInit = kaiming(1),
    biasInit = zerosInit,
  }: { bias?: boolean; weightInit?: InitScheme; biasInit?: InitScheme } = {},
): LinearSpec => ({ kind: 'linear', fanIn, fanOut, bias, weightInit, biasInit })

/** What backward needs: the input, and the output for its shape (the shape of x W, which the bias was added to). */
interface Saved {
  readonly x: Tensor
  readonly out: Tensor
}

export const linearOps: LayerOps<Named<LinearSpec>, Saved> = {
  params: (l) =>
    [
      { name: 'weight', shape: [l.fanIn, l.fanOut], init: l.weightInit, fanIn: l.fanIn, isWeight: true },
      ...(l.bias ? [{ name: 'bias', shape: [l.fanOut], init: l.biasInit, fanIn: l.fanIn, isWeight: false }] : []),
    ] satisfies ParamSpec[],
  buffers: noBuffers,
  outWidth: (l, width, where) => {
    if (width !== undefined && width !== l.fanIn)
      throw new ShapeError('model', `${where} expects ${l.fanIn} inputs but the previous layer gives ${width}`)
    return l.fanOut
  },
  forward: (l, input, { param }) => {
    const x = requireInput(l, input)
    if (x.shape[1] !== l.fanIn)
      throw new ShapeError(l.name, `expects ${l.fanIn} input features, got ${showShape(x.shape)}`)
    const out = l.bias ? matmulAddRow(x, param('weight'), param('bias')) : matmul(x, param('weight'))
    return { out, saved: { x, out } }
  },
  backward: (l, { x, out }, g, param): Backward => {
    if (!l.bias) {
      const [dx, dw] = matmulBackward(x, param('weight'), g)
      return { dx, grads: { weight: dw } }
    }
    // y = xw + b: the bias was broadcast over the rows, so its gradient is g summed over them;
    // xw's is g itself (add's backward reads only the shapes, and y has xw's)
    const [dxw, db] = addBackward(out, param('bias'), g)
    const [dx, dw] = matmulBackward(x, param('weight'), dxw)
    return { dx, grads: { weight: dw, bias: db } }
  },
  // the products of forward and backward on the arena's slots, with the strides ops gives the
  // kernel (x W, g Wᵀ with Wᵀ packed by the module's transpose, xᵀ g), and the bias's column sums
  plan: (l, { arena, rows: m, input, inputGrad, out, outGrad, param, grad }) => {
    const x = requireInput(l, input),
      dx = requireInput(l, inputGrad)
    const { fanIn: k, fanOut: n } = l
    const w = param('weight'),
      dw = grad('weight'),
      b = l.bias ? param('bias') : undefined
    const wT = arena.alloc(k * n)
    return () => {
      const g = arena.view(outGrad),
        db = l.bias ? arena.view(grad('bias')) : undefined
      return {
        forward: () => arena.gemm(x, k, 1, w, out, m, k, n, b),
        backward: () => {
          if (db !== undefined) {
            db.fill(0)
            for (let i = 0; i < m; i++) for (let j = 0, o = i * n; j < n; j++) db[j] += g[o + j]
          }
          arena.transpose(w, wT, k, n)
          arena.gemm(outGrad, n, 1, wT, dx, m, n, k)
          arena.gemm(x, 1, k, outGrad, dw, k, m, n)
        },
      }
    }
  },
}

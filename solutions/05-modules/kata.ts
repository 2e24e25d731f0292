/**
 * Reference answers for kata 05 (modules). Each export is typed by the stub's own declaration,
 * so the two cannot drift apart.
 */
import type * as Kata from '../../katas/05-modules/kata.ts'
import type { Layer, LayerGrads, LayerPass, Mode, Sequential, SequentialPass } from '../../katas/05-modules/kata.ts'
import {
  add,
  matmul,
  matmulNT,
  matmulTN,
  mean,
  mul,
  scale,
  sub,
  sum,
  tanh,
  tanhBackward,
  variance,
} from '../../lib/engine/ops.ts'
import { ones, zeros, type Tensor } from '../../lib/engine/tensor.ts'
import {
  constant,
  initTensor,
  kaiming,
  scaledNormal,
  standardNormal,
  zerosInit,
  type InitScheme,
} from '../../lib/model/init.ts'
import { seedRng, type RngState } from '../../lib/engine/random.ts'

/** out = x W + b; dx = g W^T, dW = x^T g, db = the column sums of g. */
export const linear: typeof Kata.linear = (weight, bias) => {
  const parameters = bias === undefined ? [weight] : [weight, bias]
  const layer: Layer = {
    kind: 'linear',
    parameters,
    buffers: [],
    forward: (x) => {
      const xw = matmul(x, weight)
      const out = bias === undefined ? xw : add(xw, bias)
      return {
        out,
        layer,
        backward: (g) => ({
          inputGrad: matmulNT(g, weight),
          paramGrads: bias === undefined ? [matmulTN(x, g)] : [matmulTN(x, g), sum(g, 0, { keepdims: false })],
        }),
      }
    },
  }
  return layer
}

/** tanh's local gradient is 1 - t², read off the output t. */
export const tanhLayer: typeof Kata.tanhLayer = () => {
  const layer: Layer = {
    kind: 'tanh',
    parameters: [],
    buffers: [],
    forward: (x) => {
      const out = tanh(x)
      return { out, layer, backward: (g) => ({ inputGrad: tanhBackward(out, g), paramGrads: [] }) }
    },
  }
  return layer
}

const eachColumn = (n: number, f: (j: number) => number): Tensor => ({
  shape: [1, n],
  data: Float64Array.from({ length: n }, (_, j) => f(j)),
})

export const batchNorm1d: typeof Kata.batchNorm1d = (dim, options = {}) => {
  const {
    gamma = ones([dim]),
    beta = zeros([dim]),
    runningMean = zeros([1, dim]),
    runningVar = ones([1, dim]),
    eps = 1e-5,
    momentum = 0.1,
  } = options
  const layer: Layer = {
    kind: 'batchnorm',
    parameters: [gamma, beta],
    buffers: [runningMean, runningVar],
    forward: (x, mode: Mode = 'train') => {
      const m = x.shape[0]
      // training normalises with this batch's (biased) statistics, evaluation with the running ones
      const mu = mode === 'train' ? mean(x, 0) : runningMean
      const sigma2 = mode === 'train' ? variance(x, 0) : runningVar
      const invStd = eachColumn(dim, (j) => 1 / Math.sqrt(sigma2.data[j] + eps))
      const xhat = mul(sub(x, mu), invStd)
      const out = add(mul(xhat, gamma), beta)
      const next =
        mode === 'train'
          ? batchNorm1d(dim, {
              gamma,
              beta,
              eps,
              momentum,
              runningMean: eachColumn(dim, (j) => (1 - momentum) * runningMean.data[j] + momentum * mu.data[j]),
              // the running variance takes the unbiased estimate, as torch.nn.BatchNorm1d does
              runningVar: eachColumn(
                dim,
                (j) => (1 - momentum) * runningVar.data[j] + momentum * sigma2.data[j] * (m / (m - 1)),
              ),
            })
          : layer
      const backward = (g: Tensor): LayerGrads => {
        const dgamma = sum(mul(g, xhat), 0, { keepdims: false })
        const dbeta = sum(g, 0, { keepdims: false })
        const dxhat = mul(g, gamma)
        if (mode === 'eval') return { inputGrad: mul(dxhat, invStd), paramGrads: [dgamma, dbeta] }
        // every row's gradient depends on the whole batch, because the mean and variance did:
        // dx = invStd / m * (m dxhat - sum(dxhat) - xhat * sum(dxhat * xhat))
        const sumDxhat = sum(dxhat, 0)
        const sumDxhatXhat = sum(mul(dxhat, xhat), 0)
        const inner = sub(sub(scale(dxhat, m), sumDxhat), mul(xhat, sumDxhatXhat))
        return {
          inputGrad: mul(
            inner,
            eachColumn(dim, (j) => invStd.data[j] / m),
          ),
          paramGrads: [dgamma, dbeta],
        }
      }
      return { out, layer: next, backward }
    },
  }
  return layer
}

export const sequential: typeof Kata.sequential = (layers) => {
  const self: Sequential = {
    kind: 'sequential',
    layers,
    parameters: layers.flatMap((l) => l.parameters),
    buffers: layers.flatMap((l) => l.buffers),
    forward: (x, mode = 'train'): SequentialPass => {
      const passes: LayerPass[] = []
      let h = x
      for (const l of layers) {
        const p = l.forward(h, mode)
        passes.push(p)
        h = p.out
      }
      return {
        out: h,
        outs: passes.map((p) => p.out),
        layer: sequential(passes.map((p) => p.layer)),
        backward: (g) => {
          const outGrads: Tensor[] = new Array(passes.length)
          const paramGrads: Tensor[][] = new Array(passes.length)
          let grad = g
          for (let i = passes.length - 1; i >= 0; i--) {
            outGrads[i] = grad
            const r = passes[i].backward(grad)
            paramGrads[i] = [...r.paramGrads]
            grad = r.inputGrad
          }
          return { inputGrad: grad, paramGrads: paramGrads.flat(), outGrads }
        },
      }
    },
  }
  return self
}

export const parameterCount: typeof Kata.parameterCount = (network) =>
  network.embedding.data.length + network.body.parameters.reduce((n, p) => n + p.data.length, 0)

/** Draws tensors one after another from a seeded generator. */
const drawer = (seed: number) => {
  let s: RngState = seedRng(seed)
  return (scheme: InitScheme, shape: number[], fanIn: number): Tensor => {
    const [t, next] = initTensor(scheme, shape, fanIn)(s)
    s = next
    return t
  }
}

const EMBEDDING_DIM = 10
const BLOCK_SIZE = 3

export const lectureMlp: typeof Kata.lectureMlp = (vocabSize, seed) => {
  const draw = drawer(seed)
  const inputs = EMBEDDING_DIM * BLOCK_SIZE
  const embedding = draw(standardNormal, [vocabSize, EMBEDDING_DIM], vocabSize)
  // Stryker disable next-line StringLiteral: kaiming('') draws with gain 1 for 5/3: README task 5 leaves the gain of a Linear before a BatchNorm to the learner, which normalises whatever scale it has
  const w1 = draw(kaiming('tanh'), [inputs, 200], inputs)
  // small W2 and zero b2: the logits start near 0, so the first loss is near ln(vocabSize)
  const w2 = draw(scaledNormal(0.01), [200, vocabSize], 200)
  const b2 = draw(zerosInit, [vocabSize], 200)
  // no b1: BatchNorm subtracts the batch mean, which would cancel it (beta does its job)
  return {
    embedding,
    blockSize: BLOCK_SIZE,
    body: sequential([linear(w1), batchNorm1d(200), tanhLayer(), linear(w2, b2)]),
  }
}

export const deepMlp: typeof Kata.deepMlp = (vocabSize, seed) => {
  const draw = drawer(seed)
  const widths = [EMBEDDING_DIM * BLOCK_SIZE, 100, 100, 100, 100, 100]
  const embedding = draw(standardNormal, [vocabSize, EMBEDDING_DIM], vocabSize)
  const hidden = widths.slice(0, -1).flatMap((fanIn, i) => [
    // Stryker disable next-line StringLiteral: kaiming('') draws with gain 1 for 5/3: README task 5 leaves the gain of a Linear before a BatchNorm to the learner, which normalises whatever scale it has
    linear(draw(kaiming('tanh'), [fanIn, widths[i + 1]], fanIn)),
    batchNorm1d(widths[i + 1]),
    tanhLayer(),
  ])
  const last = linear(draw(kaiming(1), [100, vocabSize], 100))
  // the last BatchNorm's gamma scaled by 0.1 makes the first logits small: a humble start
  const lastNorm = batchNorm1d(vocabSize, { gamma: draw(constant(0.1), [vocabSize], vocabSize) })
  return { embedding, blockSize: BLOCK_SIZE, body: sequential([...hidden, last, lastNorm]) }
}

/**
 * Layers as values, "PyTorch-ified": Embedding, Linear, BatchNorm1d, Tanh, ReLU and Sequential.
 *
 * A layer is plain data (its kind, sizes and how its parameters start). Its parameters live in
 * the model's `params` record under `<layer>.<param>` names, so a model is a value too and an SGD
 * step returns a new one. Every layer has a pure forward and a pure backward; a training pass
 * returns a Trace of every layer's output and, after backward, the gradient of the loss with
 * respect to each output: what the lecture reads as `layer.out` and `layer.out.grad`.
 */
import { ShapeError, showShape, type Tensor } from '../engine/tensor.ts'
import {
  gather,
  gatherBackward,
  matmul,
  sum,
  matmulNT,
  matmulTN,
  reluBackward,
  relu as reluOp,
  tanh as tanhOp,
  tanhBackward,
  type Indices,
} from '../engine/ops.ts'
import { crossEntropyWithGrad, softmax } from './loss.ts'
import { constant, describeInit, initTensor, kaiming, standardNormal, zerosInit, type InitScheme } from './init.ts'
import type { Rng, RngState } from '../engine/random.ts'

// ---------------------------------------------------------------------------------------------
// Layers

export interface EmbeddingSpec {
  readonly kind: 'embedding'
  readonly vocabSize: number
  readonly dim: number
  /** Characters of context; the lookup's rows are concatenated into blockSize * dim features. */
  readonly blockSize: number
  readonly init: InitScheme
}

export interface LinearSpec {
  readonly kind: 'linear'
  readonly fanIn: number
  readonly fanOut: number
  readonly bias: boolean
  readonly weightInit: InitScheme
  readonly biasInit: InitScheme
}

export interface BatchNormSpec {
  readonly kind: 'batchnorm'
  readonly dim: number
  readonly eps: number
  /** Weight of the new batch in the running statistics: running = (1 - m) running + m batch. */
  readonly momentum: number
  readonly gammaInit: InitScheme
}

export interface ActivationSpec {
  readonly kind: 'tanh' | 'relu'
}

export type LayerSpec = EmbeddingSpec | LinearSpec | BatchNormSpec | ActivationSpec
export type LayerKind = LayerSpec['kind']

/** A layer in a model: its spec and the name its parameters and trace entries go by. */
export type Layer = LayerSpec & { readonly name: string }

export const embedding = (
  vocabSize: number,
  dim: number,
  blockSize: number,
  init: InitScheme = standardNormal,
): EmbeddingSpec => ({ kind: 'embedding', vocabSize, dim, blockSize, init })

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

/** Normalises each feature over the batch, then scales by gamma and shifts by beta. */
export const batchNorm1d = (
  dim: number,
  {
    eps = 1e-5,
    momentum = 0.1,
    gammaInit = constant(1),
  }: { eps?: number; momentum?: number; gammaInit?: InitScheme } = {},
): BatchNormSpec => ({ kind: 'batchnorm', dim, eps, momentum, gammaInit })

export const tanhLayer = (): ActivationSpec => ({ kind: 'tanh' })
export const reluLayer = (): ActivationSpec => ({ kind: 'relu' })

/** Names layers by kind and position (embedding, linear1, batchnorm1, tanh1, linear2, ...). */
export const sequential = (specs: readonly LayerSpec[]): Layer[] => {
  const counts = new Map<string, number>()
  return specs.map((spec) => {
    const k = (counts.get(spec.kind) ?? 0) + 1
    counts.set(spec.kind, k)
    return { ...spec, name: spec.kind === 'embedding' && k === 1 ? 'embedding' : `${spec.kind}${k}` }
  })
}

// ---------------------------------------------------------------------------------------------
// Models: layers, parameters and BatchNorm's running statistics

export type Params = Readonly<Record<string, Tensor>>

export interface Model {
  readonly layers: readonly Layer[]
  /** Trainable tensors by name, e.g. "linear1.weight", "batchnorm1.gamma". */
  readonly params: Params
  /** Running statistics (not trained by gradient): "batchnorm1.runningMean", ".runningVar". */
  readonly buffers: Params
}

export interface ParamInfo {
  readonly name: string
  readonly shape: readonly number[]
  readonly init: string
  /** Weight matrices (2-D, not embeddings) are what the update:data chart follows. */
  readonly isWeight: boolean
}

/** The parameters each layer owns, in order, with how they start. */
export const describeParams = (layers: readonly Layer[]): ParamInfo[] =>
  layers.flatMap((l): ParamInfo[] => {
    switch (l.kind) {
      case 'embedding':
        return [{ name: `${l.name}.weight`, shape: [l.vocabSize, l.dim], init: describeInit(l.init), isWeight: false }]
      case 'linear':
        return [
          { name: `${l.name}.weight`, shape: [l.fanIn, l.fanOut], init: describeInit(l.weightInit), isWeight: true },
          ...(l.bias
            ? [{ name: `${l.name}.bias`, shape: [l.fanOut], init: describeInit(l.biasInit), isWeight: false }]
            : []),
        ]
      case 'batchnorm':
        return [
          { name: `${l.name}.gamma`, shape: [l.dim], init: describeInit(l.gammaInit), isWeight: false },
          { name: `${l.name}.beta`, shape: [l.dim], init: 'constant 0', isWeight: false },
        ]
      default:
        return []
    }
  })

/** Checks that each layer's input width is the previous layer's output width. */
export const checkLayers = (layers: readonly Layer[]): void => {
  let width: number | undefined
  layers.forEach((l, i) => {
    const where = `layer ${i} (${l.name})`
    switch (l.kind) {
      case 'embedding':
        if (i !== 0) throw new ShapeError('model', `${where}: an embedding must come first`)
        width = l.blockSize * l.dim
        break
      case 'linear':
        if (width !== undefined && width !== l.fanIn)
          throw new ShapeError('model', `${where} expects ${l.fanIn} inputs but the previous layer gives ${width}`)
        width = l.fanOut
        break
      case 'batchnorm':
        if (width !== undefined && width !== l.dim)
          throw new ShapeError('model', `${where} normalises ${l.dim} features but the previous layer gives ${width}`)
        break
    }
  })
}

/** Draws every parameter in layer order from the generator; running statistics start at 0 and 1. */
export const initModel =
  (specs: readonly LayerSpec[]): Rng<Model> =>
  (s0) => {
    const layers = sequential(specs)
    checkLayers(layers)
    let s: RngState = s0
    const params: Record<string, Tensor> = {}
    const buffers: Record<string, Tensor> = {}
    const draw = (name: string, scheme: InitScheme, shape: number[], fanIn: number): void => {
      const [t, next] = initTensor(scheme, shape, fanIn)(s)
      params[name] = t
      s = next
    }
    for (const l of layers) {
      switch (l.kind) {
        case 'embedding':
          draw(`${l.name}.weight`, l.init, [l.vocabSize, l.dim], l.vocabSize)
          break
        case 'linear':
          draw(`${l.name}.weight`, l.weightInit, [l.fanIn, l.fanOut], l.fanIn)
          if (l.bias) draw(`${l.name}.bias`, l.biasInit, [l.fanOut], l.fanIn)
          break
        case 'batchnorm':
          draw(`${l.name}.gamma`, l.gammaInit, [l.dim], l.dim)
          draw(`${l.name}.beta`, zerosInit, [l.dim], l.dim)
          buffers[`${l.name}.runningMean`] = { shape: [1, l.dim], data: new Float64Array(l.dim) }
          buffers[`${l.name}.runningVar`] = { shape: [1, l.dim], data: new Float64Array(l.dim).fill(1) }
          break
      }
    }
    return [{ layers, params, buffers }, s]
  }

/** Number of trainable numbers in the model (12,097 and 47,024 for the lecture's two nets). */
export const parameterCount = (model: Pick<Model, 'params'>): number =>
  Object.values(model.params).reduce((n, t) => n + t.data.length, 0)

// ---------------------------------------------------------------------------------------------
// Layer kernels: forward and backward of the layers that are not a single op

/** y = x W (+ b): the bias is added in the same pass over the output. */
const linearForward = (x: Tensor, w: Tensor, b: Tensor | undefined): Tensor => {
  const y = matmul(x, w)
  if (b !== undefined) {
    const n = b.data.length,
      out = y.data,
      bias = b.data
    for (let i = 0; i < out.length; i += n) for (let j = 0; j < n; j++) out[i + j] += bias[j]
  }
  return y
}

interface BatchNormCache {
  readonly xhat: Float64Array
  readonly invStd: Float64Array
}

/**
 * BatchNorm forward. In training: normalise with this batch's mean and biased variance (as
 * torch.nn.BatchNorm1d does) and move the running statistics towards the batch's (the running
 * variance takes the unbiased estimate). In evaluation: normalise with the running statistics.
 */
const batchNormForward = (
  l: BatchNormSpec,
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  runningMean: Tensor,
  runningVar: Tensor,
  training: boolean,
): { out: Tensor; cache: BatchNormCache; runningMean: Tensor; runningVar: Tensor } => {
  const [m, n] = [x.shape[0], x.shape[1]]
  if (training && m < 2)
    throw new ShapeError(
      'batchnorm',
      `training needs a batch of at least 2 rows to estimate a variance, got ${showShape(x.shape)}`,
    )
  // the hot loops read plain locals: a property read per element would cost more than the arithmetic
  const xd = x.data,
    gd = gamma.data,
    bd = beta.data
  const mean = new Float64Array(n),
    variance = new Float64Array(n)
  if (training) {
    for (let i = 0; i < m; i++) for (let j = 0, k = i * n; j < n; j++, k++) mean[j] += xd[k]
    for (let j = 0; j < n; j++) mean[j] /= m
    for (let i = 0; i < m; i++)
      for (let j = 0, k = i * n; j < n; j++, k++) {
        const d = xd[k] - mean[j]
        variance[j] += d * d
      }
    for (let j = 0; j < n; j++) variance[j] /= m
  } else {
    mean.set(runningMean.data)
    variance.set(runningVar.data)
  }
  const invStd = new Float64Array(n)
  for (let j = 0; j < n; j++) invStd[j] = 1 / Math.sqrt(variance[j] + l.eps)
  const xhat = new Float64Array(m * n),
    out = new Float64Array(m * n)
  for (let i = 0; i < m; i++) {
    for (let j = 0, k = i * n; j < n; j++, k++) {
      const h = (xd[k] - mean[j]) * invStd[j]
      xhat[k] = h
      out[k] = gd[j] * h + bd[j]
    }
  }
  let rm = runningMean,
    rv = runningVar
  if (training) {
    const mo = l.momentum,
      nm = new Float64Array(n),
      nv = new Float64Array(n),
      rmd = runningMean.data,
      rvd = runningVar.data
    for (let j = 0; j < n; j++) {
      nm[j] = (1 - mo) * rmd[j] + mo * mean[j]
      nv[j] = (1 - mo) * rvd[j] + mo * variance[j] * (m / (m - 1))
    }
    rm = { shape: runningMean.shape, data: nm }
    rv = { shape: runningVar.shape, data: nv }
  }
  return { out: { shape: x.shape, data: out }, cache: { xhat, invStd }, runningMean: rm, runningVar: rv }
}

/**
 * BatchNorm backward through the batch statistics: every example's gradient depends on the
 * whole batch because the mean and variance did.
 * dx = invStd/N (N dxhat - sum(dxhat) - xhat sum(dxhat xhat)), with dxhat = gamma dy.
 */
const batchNormBackward = (
  cache: BatchNormCache,
  gamma: Tensor,
  g: Tensor,
): { dx: Tensor; dgamma: Tensor; dbeta: Tensor } => {
  const [m, n] = [g.shape[0], g.shape[1]]
  const { xhat, invStd } = cache
  const gd = g.data,
    gmd = gamma.data
  const dgamma = new Float64Array(n),
    dbeta = new Float64Array(n)
  for (let i = 0; i < m; i++)
    for (let j = 0, k = i * n; j < n; j++, k++) {
      dbeta[j] += gd[k]
      dgamma[j] += gd[k] * xhat[k]
    }
  // sum(dxhat) = gamma * dbeta and sum(dxhat * xhat) = gamma * dgamma
  const scale = new Float64Array(n)
  for (let j = 0; j < n; j++) scale[j] = (gmd[j] * invStd[j]) / m
  const dx = new Float64Array(m * n)
  for (let i = 0; i < m; i++)
    for (let j = 0, k = i * n; j < n; j++, k++) dx[k] = scale[j] * (m * gd[k] - dbeta[j] - xhat[k] * dgamma[j])
  return { dx: { shape: g.shape, data: dx }, dgamma: { shape: [n], data: dgamma }, dbeta: { shape: [n], data: dbeta } }
}

// ---------------------------------------------------------------------------------------------
// Passes

export type Mode = 'train' | 'eval'

/** What one layer saw and produced in a forward pass. */
interface Step {
  readonly input: Tensor | undefined
  readonly out: Tensor
  readonly bn?: BatchNormCache
}

export interface ForwardPass {
  readonly indices: Indices
  readonly steps: readonly Step[]
  readonly logits: Tensor
  /** Running statistics after this pass (moved towards the batch in training, unchanged in evaluation). */
  readonly buffers: Params
}

const param = (model: Model, name: string): Tensor => {
  const t = model.params[name] ?? model.buffers[name]
  if (t === undefined) throw new ShapeError('model', `no parameter named ${name}`)
  return t
}

/**
 * The forward pass from context indices (batch * blockSize, row-major) to logits. In 'eval' mode
 * BatchNorm uses its running statistics and nothing is kept for backward (the `no_grad` idea).
 */
export const forward = (model: Model, indices: Indices, mode: Mode): ForwardPass => {
  const training = mode === 'train'
  const steps: Step[] = []
  const buffers: Record<string, Tensor> = { ...model.buffers }
  let x: Tensor | undefined
  for (const l of model.layers) {
    let out: Tensor
    let bn: BatchNormCache | undefined
    switch (l.kind) {
      case 'embedding': {
        if (indices.length % l.blockSize !== 0)
          throw new ShapeError('embedding', `${indices.length} indices do not split into contexts of ${l.blockSize}`)
        const rows = gather(param(model, `${l.name}.weight`), indices)
        out = { shape: [indices.length / l.blockSize, l.blockSize * l.dim], data: rows.data }
        break
      }
      case 'linear': {
        const input = requireInput(l, x)
        if (input.shape[1] !== l.fanIn)
          throw new ShapeError(l.name, `expects ${l.fanIn} input features, got ${showShape(input.shape)}`)
        out = linearForward(
          input,
          param(model, `${l.name}.weight`),
          l.bias ? param(model, `${l.name}.bias`) : undefined,
        )
        break
      }
      case 'batchnorm': {
        const r = batchNormForward(
          l,
          requireInput(l, x),
          param(model, `${l.name}.gamma`),
          param(model, `${l.name}.beta`),
          param(model, `${l.name}.runningMean`),
          param(model, `${l.name}.runningVar`),
          training,
        )
        out = r.out
        bn = r.cache
        buffers[`${l.name}.runningMean`] = r.runningMean
        buffers[`${l.name}.runningVar`] = r.runningVar
        break
      }
      case 'tanh':
        out = tanhOp(requireInput(l, x))
        break
      case 'relu':
        out = reluOp(requireInput(l, x))
        break
    }
    steps.push(training ? { input: x, out, bn } : { input: undefined, out })
    x = out
  }
  return { indices, steps, logits: requireInput(model.layers[model.layers.length - 1], x), buffers }
}

const requireInput = (l: Layer, x: Tensor | undefined): Tensor => {
  if (x === undefined)
    throw new ShapeError('model', `layer ${l.name} has no input: the model must start with an embedding`)
  return x
}

export interface Backward {
  /** d loss / d (each layer's output), in layer order: the lecture's `layer.out.grad`. */
  readonly outGrads: readonly Tensor[]
  /** d loss / d (each parameter), by parameter name. */
  readonly paramGrads: Params
}

/** Backpropagates `dlogits` through a training-mode forward pass. */
export const backward = (model: Model, pass: ForwardPass, dlogits: Tensor): Backward => {
  const outGrads: Tensor[] = new Array(model.layers.length)
  const grads: Record<string, Tensor> = {}
  let g = dlogits
  for (let i = model.layers.length - 1; i >= 0; i--) {
    const l = model.layers[i],
      step = pass.steps[i]
    outGrads[i] = g
    switch (l.kind) {
      case 'embedding': {
        const rows = { shape: [pass.indices.length, l.dim], data: g.data }
        grads[`${l.name}.weight`] = gatherBackward([l.vocabSize, l.dim], pass.indices, rows)
        break
      }
      case 'linear': {
        const input = requireInput(l, step.input)
        grads[`${l.name}.weight`] = matmulTN(input, g)
        if (l.bias) grads[`${l.name}.bias`] = sum(g, 0, { keepdims: false })
        // the first hidden layer still passes its gradient on: the embedding table learns from it
        if (i > 0) g = matmulNT(g, param(model, `${l.name}.weight`))
        break
      }
      case 'batchnorm': {
        if (step.bn === undefined)
          throw new ShapeError('backward', `${l.name} was run in eval mode; backward needs a training pass`)
        const r = batchNormBackward(step.bn, param(model, `${l.name}.gamma`), g)
        grads[`${l.name}.gamma`] = r.dgamma
        grads[`${l.name}.beta`] = r.dbeta
        g = r.dx
        break
      }
      case 'tanh':
        g = tanhBackward(step.out, g)
        break
      case 'relu':
        g = reluBackward(requireInput(l, step.input), g)
        break
    }
  }
  return { outGrads, paramGrads: grads }
}

/** One layer's entry in a Trace. */
export interface LayerTrace {
  readonly name: string
  readonly kind: LayerKind
  /** The layer's output for the batch (`layer.out`). */
  readonly out: Tensor
  /** d loss / d out (`layer.out.grad`). */
  readonly grad: Tensor
}

/** Everything a training pass saw: the diagnostics' raw material. */
export interface Trace {
  readonly loss: number
  readonly layers: readonly LayerTrace[]
  readonly paramGrads: Params
}

export interface TrainingPass {
  readonly loss: number
  readonly trace: Trace
  readonly grads: Params
  /** Running statistics after the pass. */
  readonly buffers: Params
}

/** Forward, cross-entropy and backward on one batch. */
export const trainingPass = (model: Model, indices: Indices, targets: Indices): TrainingPass => {
  const pass = forward(model, indices, 'train')
  const ce = crossEntropyWithGrad(pass.logits, targets)
  const { outGrads, paramGrads } = backward(model, pass, ce.dlogits)
  const layers = model.layers.map((l, i) => ({ name: l.name, kind: l.kind, out: pass.steps[i].out, grad: outGrads[i] }))
  return { loss: ce.loss, trace: { loss: ce.loss, layers, paramGrads }, grads: paramGrads, buffers: pass.buffers }
}

/** Logits in evaluation mode (running statistics, no gradient bookkeeping). */
export const predict = (model: Model, indices: Indices): Tensor => forward(model, indices, 'eval').logits

/** Next-character probabilities for each context, in evaluation mode. */
export const predictProbs = (model: Model, indices: Indices): Tensor => softmax(predict(model, indices))

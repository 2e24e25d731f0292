/**
 * Layers as values, "PyTorch-ified": Embedding, Linear, BatchNorm1d, Tanh, ReLU and Sequential.
 *
 * A layer is plain data (its kind, sizes and how its parameters start); everything a kind does
 * lives in its own file under layers/ (parameters, init, shape check, forward and backward). This
 * file is the model that walks them. A layer's parameters live in the model's `params` record under
 * `<layer>.<param>` names, so a model is a value too and an SGD step returns a new one. A training
 * pass returns a Trace of every layer's output and, after backward, the gradient of the loss with
 * respect to each output: what the lecture reads as `layer.out` and `layer.out.grad`.
 */
import { pipe } from 'fp-ts/function'
import * as S from 'fp-ts/State'
import type { Indices } from '../engine/ops.ts'
import type { Rng } from '../engine/random.ts'
import { ShapeError, type Tensor } from '../engine/tensor.ts'
import { describeInit, initTensor } from './init.ts'
import { crossEntropyWithGrad, softmax } from './loss.ts'
import { type ActivationSpec, reluOps, tanhOps } from './layers/activations.ts'
import { type BatchNormSpec, batchNormOps } from './layers/batchnorm.ts'
import { type EmbeddingSpec, embeddingOps } from './layers/embedding.ts'
import { type LayerOps, requireInput } from './layers/layer.ts'
import { type LinearSpec, linearOps } from './layers/linear.ts'

export { type ActivationSpec, reluLayer, tanhLayer } from './layers/activations.ts'
export { type BatchNormSpec, batchNorm1d } from './layers/batchnorm.ts'
export { type EmbeddingSpec, embedding } from './layers/embedding.ts'
export { type LinearSpec, linear } from './layers/linear.ts'

// ---------------------------------------------------------------------------------------------
// Layers

export type LayerSpec = EmbeddingSpec | LinearSpec | BatchNormSpec | ActivationSpec
export type LayerKind = LayerSpec['kind']

/** A layer in a model: its spec and the name its parameters and trace entries go by. */
export type Layer = LayerSpec & { readonly name: string }

/** Each kind's record, from its file under layers/. */
const kinds = {
  embedding: embeddingOps,
  linear: linearOps,
  batchnorm: batchNormOps,
  tanh: tanhOps,
  relu: reluOps,
} satisfies Record<LayerKind, unknown>

/** The record of a layer's kind: the one place where the union of kinds meets the records. */
export const opsOf = (l: Layer): LayerOps<Layer, unknown> => kinds[l.kind] as unknown as LayerOps<Layer, unknown>

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

/** Every layer's parameter declarations, in order, under their model names. */
const paramSpecs = (layers: readonly Layer[]) =>
  layers.flatMap((l) =>
    opsOf(l)
      .params(l)
      .map((p) => ({ ...p, name: `${l.name}.${p.name}` })),
  )

/** The parameters each layer owns, in order, with how they start. */
export const describeParams = (layers: readonly Layer[]): ParamInfo[] =>
  paramSpecs(layers).map((p) => ({ name: p.name, shape: p.shape, init: describeInit(p.init), isWeight: p.isWeight }))

/** Checks that each layer's input width is the previous layer's output width. */
export const checkLayers = (layers: readonly Layer[]): void => {
  let width: number | undefined
  layers.forEach((l, i) => {
    width = opsOf(l).outWidth(l, width, `layer ${i} (${l.name})`, i)
  })
}

/** Draws every parameter in layer order from the generator; running statistics start at 0 and 1. */
export const initModel =
  (specs: readonly LayerSpec[]): Rng<Model> =>
  (s0) => {
    const layers = sequential(specs)
    checkLayers(layers)
    const decls = paramSpecs(layers)
    const buffers = Object.fromEntries(
      layers.flatMap((l) => Object.entries(opsOf(l).buffers(l)).map(([k, t]) => [`${l.name}.${k}`, t])),
    )
    return pipe(
      decls,
      S.traverseArray((p) => initTensor(p.init, p.shape, p.fanIn)),
      S.map((ts): Model => ({ layers, params: Object.fromEntries(decls.map((p, i) => [p.name, ts[i]])), buffers })),
    )(s0)
  }

/** Number of trainable numbers in the model (12,097 and 47,024 for the lecture's two nets). */
export const parameterCount = (model: Pick<Model, 'params'>): number =>
  Object.values(model.params).reduce((n, t) => n + t.data.length, 0)

// ---------------------------------------------------------------------------------------------
// Passes

export type Mode = 'train' | 'eval'

/** What one layer produced in a forward pass and, in training, what its backward needs. */
interface Step {
  readonly out: Tensor
  readonly saved: unknown
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

/** A layer's tensors by their short names ("weight" for "linear1.weight"). */
const paramsOf =
  (model: Model, l: Layer) =>
  (name: string): Tensor =>
    param(model, `${l.name}.${name}`)

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
    const r = opsOf(l).forward(l, x, { indices, training, param: paramsOf(model, l) })
    for (const [k, t] of Object.entries(r.buffers ?? {})) buffers[`${l.name}.${k}`] = t
    steps.push({ out: r.out, saved: training ? r.saved : undefined })
    x = r.out
  }
  return { indices, steps, logits: requireInput(model.layers[model.layers.length - 1], x), buffers }
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
  let g: Tensor | undefined = dlogits
  for (let i = model.layers.length - 1; i >= 0; i--) {
    const l = model.layers[i],
      { saved } = pass.steps[i]
    if (g === undefined)
      throw new ShapeError('backward', `${l.name} gets no gradient: only the first layer may stop it`)
    if (saved === undefined)
      throw new ShapeError('backward', `${l.name} was run in eval mode; backward needs a training pass`)
    outGrads[i] = g
    const r = opsOf(l).backward(l, saved, g, paramsOf(model, l))
    for (const [k, t] of Object.entries(r.grads)) grads[`${l.name}.${k}`] = t
    g = r.dx
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

/** What a training pass gives: what it saw (loss, outputs, gradients) and the running statistics after it. */
export interface TrainingPass {
  readonly trace: Trace
  /** Running statistics after the pass. */
  readonly buffers: Params
}

/** Forward, cross-entropy and backward on one batch. */
export const trainingPass = (model: Model, indices: Indices, targets: Indices): TrainingPass => {
  const pass = forward(model, indices, 'train')
  const ce = crossEntropyWithGrad(pass.logits, targets)
  const { outGrads, paramGrads } = backward(model, pass, ce.dlogits)
  const layers = model.layers.map((l, i) => ({ name: l.name, kind: l.kind, out: pass.steps[i].out, grad: outGrads[i] }))
  return { trace: { loss: ce.loss, layers, paramGrads }, buffers: pass.buffers }
}

/** Logits in evaluation mode (running statistics, no gradient bookkeeping). */
export const predict = (model: Model, indices: Indices): Tensor => forward(model, indices, 'eval').logits

/** Next-character probabilities for each context, in evaluation mode. */
export const predictProbs = (model: Model, indices: Indices): Tensor => softmax(predict(model, indices))

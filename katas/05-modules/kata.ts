/**
 * Kata 05: modules. The lecture's "PyTorch-ified" layers, as values.
 *
 * A layer is a value: its parameters, and a `forward` that returns the output together with a
 * `backward` (what the output's gradient means for the input and for each parameter). Nothing is
 * mutated: a BatchNorm pass in training hands back the layer with its running statistics moved.
 * `sequential` stacks layers and keeps every layer's `out` and, after backward, every `out.grad`:
 * the raw material of the instrument panel in kata 06.
 *
 * Read README.md first. Run `npm run watch` and make the tests in kata.test.ts pass.
 * Useful: lib/engine/ops.ts (matmul, matmulNT, matmulTN, sum, mean, variance, tanh, tanhBackward, ...),
 * lib/engine/tensor.ts (zeros, ones, reshape), lib/model/init.ts (initTensor, kaiming, scaledNormal, standardNormal,
 * constant), lib/engine/random.ts (seedRng: the generator's first state; each draw returns the next one, thread it).
 */
import { notImplemented } from '../../lib/course/kata.ts'
import type { Tensor } from '../../lib/engine/tensor.ts'

const KATA = '05-modules'

// ---------------------------------------------------------------------------------------------
// Types (given)

/** 'train': BatchNorm normalises with the batch's statistics; 'eval': with its running statistics. */
export type Mode = 'train' | 'eval'

export type LayerKind = 'linear' | 'batchnorm' | 'tanh' | 'sequential'

/** What backward returns: the gradient for the layer's input and one per parameter. */
export interface LayerGrads {
  /** d loss / d x */
  readonly inputGrad: Tensor
  /** d loss / d p for each p of `layer.parameters`, in the same order and the same shapes. */
  readonly paramGrads: readonly Tensor[]
}

/** What forward returns. */
export interface LayerPass {
  /** The layer's output: the lecture's `layer.out`. */
  readonly out: Tensor
  /** The layer after this pass (a training pass of BatchNorm moves its running statistics). */
  readonly layer: Layer
  /** From `out.grad` (d loss / d out) to the input's and the parameters' gradients. */
  readonly backward: (outGrad: Tensor) => LayerGrads
}

export interface Layer {
  readonly kind: LayerKind
  /** Trainable tensors, in PyTorch's order: [weight, bias], [gamma, beta], [] for Tanh. */
  readonly parameters: readonly Tensor[]
  /** Statistics that are not trained: BatchNorm's [runningMean, runningVar] ([1, dim] each); [] otherwise. */
  readonly buffers: readonly Tensor[]
  /** x is [batch, features]; mode defaults to 'train', as a fresh PyTorch module is in training mode. */
  readonly forward: (x: Tensor, mode?: Mode) => LayerPass
}

export interface SequentialGrads extends LayerGrads {
  /** d loss / d (each layer's out), in layer order: the lecture's `layer.out.grad`. */
  readonly outGrads: readonly Tensor[]
}

export interface SequentialPass extends LayerPass {
  /** Every layer's output, in layer order; the last one is `out`. */
  readonly outs: readonly Tensor[]
  readonly layer: Sequential
  readonly backward: (outGrad: Tensor) => SequentialGrads
}

/** Layers applied one after another; itself a layer, so a Sequential can sit inside another. */
export interface Sequential extends Layer {
  readonly kind: 'sequential'
  readonly layers: readonly Layer[]
  readonly forward: (x: Tensor, mode?: Mode) => SequentialPass
}

/** A character-level MLP: the embedding table C, then a Sequential from the concatenated embeddings to the logits. */
export interface Network {
  /** C: [vocabSize, embeddingDim] */
  readonly embedding: Tensor
  /** Characters of context (3 in the lecture): the body's input has blockSize * embeddingDim features. */
  readonly blockSize: number
  readonly body: Sequential
}

export interface BatchNormOptions {
  /** Scale, [dim]; defaults to ones. */
  readonly gamma?: Tensor
  /** Shift, [dim]; defaults to zeros. */
  readonly beta?: Tensor
  /** [1, dim]; defaults to zeros. */
  readonly runningMean?: Tensor
  /** [1, dim]; defaults to ones. */
  readonly runningVar?: Tensor
  /** Added to the variance before the square root; defaults to 1e-5. */
  readonly eps?: number
  /** running = (1 - momentum) * running + momentum * batch statistic; defaults to 0.1. */
  readonly momentum?: number
}

// ---------------------------------------------------------------------------------------------
// Your work

/**
 * Linear: out = x @ weight (+ bias). weight is [fanIn, fanOut], bias [fanOut] (optional).
 * parameters: [weight, bias] or [weight].
 */
export const linear = (weight: Tensor, bias?: Tensor): Layer => notImplemented(KATA, 'linear')

/** Tanh: out = tanh(x), no parameters. */
export const tanhLayer = (): Layer => notImplemented(KATA, 'tanhLayer')

/**
 * BatchNorm1d over `dim` features: normalise each feature to mean 0 and std 1 (the batch's
 * statistics in 'train', the running ones in 'eval'), then scale by gamma and shift by beta.
 * parameters: [gamma, beta]; buffers: [runningMean, runningVar].
 */
export const batchNorm1d = (dim: number, options?: BatchNormOptions): Layer => notImplemented(KATA, 'batchNorm1d')

/** Sequential: each layer's out is the next layer's input. parameters: every layer's, in order. */
export const sequential = (layers: readonly Layer[]): Sequential => notImplemented(KATA, 'sequential')

/** Every trainable number of a network: the embedding table's and every layer's parameters. */
export const parameterCount = (network: Network): number => notImplemented(KATA, 'parameterCount')

/**
 * The lecture's network with BatchNorm: C [vocabSize, 10], blockSize 3, then
 * Linear(30, 200, no bias) -> BatchNorm1d(200) -> Tanh -> Linear(200, vocabSize).
 * Initialise it so that it starts humble: its first loss should be close to ln(vocabSize).
 */
export const lectureMlp = (vocabSize: number, seed: number): Network => notImplemented(KATA, 'lectureMlp')

/**
 * The lecture's deep network: C [vocabSize, 10], blockSize 3, then five hidden layers of 100,
 * each Linear (no bias) -> BatchNorm1d -> Tanh, then Linear(100, vocabSize, no bias) -> BatchNorm1d(vocabSize).
 * It too should start humble.
 */
export const deepMlp = (vocabSize: number, seed: number): Network => notImplemented(KATA, 'deepMlp')

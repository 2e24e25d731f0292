/**
 * Kata 05: the types. What the kata's functions take and give, and the type each function of kata.ts
 * must have: the tests, the reference answers and the kata's page are written against this file, not
 * against your kata.ts, so you do not edit it. A function of yours whose signature differs from
 * `Kata` below is a type error that `npm run check` and `npm run grade` report.
 */
import type { Tensor } from '../../lib/engine/tensor.ts'

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

/** Every function of the kata, with the type kata.ts must give it (kata.ts documents each one). */
export interface Kata {
  readonly linear: (weight: Tensor, bias?: Tensor) => Layer
  readonly tanhLayer: () => Layer
  readonly batchNorm1d: (dim: number, options?: BatchNormOptions) => Layer
  readonly sequential: (layers: readonly Layer[]) => Sequential
  readonly parameterCount: (network: Network) => number
  readonly lectureMlp: (vocabSize: number, seed: number) => Network
  readonly deepMlp: (vocabSize: number, seed: number) => Network
}

/**
 * Kata 01: the types. What the kata's functions take and give, and the type each function of kata.ts
 * must have: the tests, the reference answers and the kata's page are written against this file, not
 * against your kata.ts, so you do not edit it. A function of yours whose signature differs from
 * `Kata` below is a type error that `npm run check` and `npm run grade` report.
 */
import type { Tensor } from '../../lib/engine/tensor.ts'
import type { Indices } from '../../lib/engine/ops.ts'

/** The sizes of the MLP: 27 tokens, 3 characters of context, 10-dim embeddings, 200 hidden units. */
export interface MlpSizes {
  readonly vocabSize: number
  readonly blockSize: number
  readonly embeddingDim: number
  readonly hidden: number
}

/** How large each parameter starts: it is drawn as randn × scale (a scale of 0 gives zeros). */
export interface MlpScales {
  readonly w1: number
  readonly b1: number
  readonly w2: number
  readonly b2: number
}

/** The parameters of the MLP, with the lecture's names. */
export interface MlpParams {
  /** the embedding table, [vocabSize, embeddingDim], drawn as randn × 1 */
  readonly C: Tensor
  /** [blockSize * embeddingDim, hidden] */
  readonly W1: Tensor
  /** [hidden] */
  readonly b1: Tensor
  /** [hidden, vocabSize] */
  readonly W2: Tensor
  /** [vocabSize] */
  readonly b2: Tensor
}

/** Every function of the kata, with the type kata.ts must give it (kata.ts documents each one). */
export interface Kata {
  readonly expectedInitialLoss: (vocabSize: number) => number
  readonly softmax: (logits: Tensor) => Tensor
  readonly crossEntropy: (logits: Tensor, targets: Indices) => number
  readonly initMlp: (sizes: MlpSizes, scales: MlpScales, seed: number) => MlpParams
  readonly mlpLogits: (params: MlpParams, X: Indices) => Tensor
  readonly initialLoss: (params: MlpParams, batch: { readonly X: Indices; readonly Y: Indices }) => number
  readonly fixOutputLayer: (scales: MlpScales) => MlpScales
  readonly distinctHiddenUnits: (W1: Tensor, b1: Tensor, tolerance?: number) => number
}

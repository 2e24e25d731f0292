/**
 * Kata 10: the types. What the kata's functions take and give, and the type each function of kata.ts
 * must have: the tests, the reference answers and the kata's page are written against this file, not
 * against your kata.ts, so you do not edit it. A function of yours whose signature differs from
 * `Kata` below is a type error that `npm run check` and `npm run grade` report.
 */
import type { Tensor } from '../../lib/engine/tensor.ts'
import type { Model } from '../../lib/model/nn.ts'

/** A Linear layer's parameters: weight [fanIn, fanOut] (y = x W + b), bias [fanOut] if it has one. */
export interface LinearParams {
  readonly weight: Tensor
  readonly bias?: Tensor
}

/** What a trained BatchNorm1d of `dim` features uses in eval mode. */
export interface BatchNormState {
  /** [dim] */
  readonly gamma: Tensor
  /** [dim] */
  readonly beta: Tensor
  /** [1, dim] (the model's buffer `<name>.runningMean`) */
  readonly runningMean: Tensor
  /** [1, dim] (the model's buffer `<name>.runningVar`) */
  readonly runningVar: Tensor
  readonly eps: number
}

/** Every function of the kata, with the type kata.ts must give it (kata.ts documents each one). */
export interface Kata {
  readonly foldBatchNorm: (linear: LinearParams, bn: BatchNormState) => { weight: Tensor; bias: Tensor }
  readonly foldModel: (model: Model) => Model
}

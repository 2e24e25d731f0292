/**
 * Kata 04: the types. What the kata's functions take and give, and the type each function of kata.ts
 * must have: the tests, the reference answers and the kata's page are written against this file, not
 * against your kata.ts, so you do not edit it. A function of yours whose signature differs from
 * `Kata` below is a type error that `npm run check` and `npm run grade` report.
 */
import type { Tensor } from '../../lib/engine/tensor.ts'
import type { LayerSpec } from '../../lib/model/nn.ts'

/** The learnable scale and shift, each [features]: gamma starts at 1 and beta at 0. */
export interface BatchNormParams {
  readonly gamma: Tensor
  readonly beta: Tensor
}

/** Per-feature mean and variance, each [features]: of one batch, or running averages of many. */
export interface Statistics {
  readonly mean: Tensor
  readonly variance: Tensor
}

/** Every function of the kata, with the type kata.ts must give it (kata.ts documents each one). */
export interface Kata {
  readonly batchStatistics: (x: Tensor) => Statistics
  readonly batchNormTrain: (
    x: Tensor,
    params: BatchNormParams,
    running: Statistics,
    options: { readonly eps: number; readonly momentum: number },
  ) => { readonly out: Tensor; readonly running: Statistics }
  readonly updateRunningStatistics: (running: Statistics, batch: Statistics, momentum: number) => Statistics
  readonly batchNormEval: (x: Tensor, params: BatchNormParams, running: Statistics, eps: number) => Tensor
  readonly batchNormBackward: (
    x: Tensor,
    gamma: Tensor,
    dout: Tensor,
    eps: number,
  ) => { readonly dx: Tensor; readonly dgamma: Tensor; readonly dbeta: Tensor }
  readonly removeBiasBeforeBatchNorm: (layers: readonly LayerSpec[]) => LayerSpec[]
}

/**
 * Kata 04: Batch Normalization, forward in both modes and backward.
 *
 * Replace each `notImplemented(...)` with your code, then run `npm run watch` and read what the
 * tests say. katas/04-batchnorm/README.md explains the idea; `npm run hint -- 04` helps.
 *
 * x is a batch of pre-activations [N, features]: row i is example i, column j is feature j.
 * Every statistic is per feature, over the batch (down a column): a tensor of shape [features].
 */
import { notImplemented } from '../../lib/course/kata.ts'
import type { Tensor } from '../../lib/engine/tensor.ts'
import type { LayerSpec } from '../../lib/model/nn.ts'
import type { BatchNormParams, Statistics } from './types.ts'

const KATA = '04-batchnorm'

// ---------------------------------------------------------------------------------------------
// 1. Training mode: grade on the curve of this batch

/**
 * The mean and the (biased) variance of each feature over the batch:
 *   mean_j = (1/N) sum_i x_ij,    variance_j = (1/N) sum_i (x_ij - mean_j)²
 * (divide by N, as torch.nn.BatchNorm1d normalises in training).
 */
export const batchStatistics = (x: Tensor): Statistics => notImplemented(KATA, 'batchStatistics')

/**
 * BatchNorm in training mode: normalise each feature with THIS batch's statistics, then let
 * gamma and beta put the distribution where the network wants it:
 *   xhat_ij = (x_ij - mean_j) / √(variance_j + eps),    out_ij = gamma_j · xhat_ij + beta_j
 * It also returns the running statistics moved one step towards this batch's
 * (see updateRunningStatistics); `running` itself plays no part in `out`.
 */
export const batchNormTrain = (
  x: Tensor,
  params: BatchNormParams,
  running: Statistics,
  options: { readonly eps: number; readonly momentum: number },
): { readonly out: Tensor; readonly running: Statistics } => notImplemented(KATA, 'batchNormTrain')

// ---------------------------------------------------------------------------------------------
// 2. Running statistics and evaluation mode

/**
 * Moves the running statistics towards a batch's: for the mean and the variance alike,
 *   running = (1 - momentum) · running + momentum · batch
 * so `momentum` is the weight of the NEW batch (PyTorch's 0.1; the lecture's loop keeps 0.999 of
 * the old value, a momentum of 0.001).
 */
export const updateRunningStatistics = (running: Statistics, batch: Statistics, momentum: number): Statistics =>
  notImplemented(KATA, 'updateRunningStatistics')

/**
 * BatchNorm in evaluation mode: normalise with the running statistics, so an example's output
 * depends on that example alone (and a batch of one works):
 *   out_ij = gamma_j · (x_ij - running.mean_j) / √(running.variance_j + eps) + beta_j
 */
export const batchNormEval = (x: Tensor, params: BatchNormParams, running: Statistics, eps: number): Tensor =>
  notImplemented(KATA, 'batchNormEval')

// ---------------------------------------------------------------------------------------------
// 3. Backward

/**
 * The gradients of the training-mode forward, given dout = d loss / d out ([N, features]):
 *   dbeta_j  = sum_i dout_ij
 *   dgamma_j = sum_i dout_ij · xhat_ij
 *   dx_ij    = gamma_j / √(variance_j + eps) / N · (N · dout_ij - dbeta_j - xhat_ij · dgamma_j)
 * dx has the last two terms because the batch mean and variance depend on every x_ij too: each
 * example's gradient depends on the whole batch. (The tests compare these with central differences
 * of a reference forward written in the test: torch's, with the biased variance and eps inside the
 * square root.)
 */
export const batchNormBackward = (
  x: Tensor,
  gamma: Tensor,
  dout: Tensor,
  eps: number,
): { readonly dx: Tensor; readonly dgamma: Tensor; readonly dbeta: Tensor } => notImplemented(KATA, 'batchNormBackward')

// ---------------------------------------------------------------------------------------------
// 4. A bias before BatchNorm does nothing

/**
 * The layers with every Linear that feeds a BatchNorm (the next layer is a 'batchnorm') turned
 * into one without a bias (`bias: false`): BatchNorm subtracts the batch mean, bias included, so
 * that bias never changes the output and its gradient is zero. BatchNorm's beta is the bias now.
 * Other layers are returned as they were.
 */
export const removeBiasBeforeBatchNorm = (layers: readonly LayerSpec[]): LayerSpec[] =>
  notImplemented(KATA, 'removeBiasBeforeBatchNorm')

/**
 * Kata 10: BatchNorm folding (the lecture's exercise E02).
 *
 * Replace each `notImplemented(...)` with your code, then run `npm run watch` and read what the
 * tests say. katas/10-batchnorm-folding/README.md explains the idea; `npm run hint -- 10` helps.
 */
import { notImplemented } from '../../lib/course/kata.ts'
import type { Tensor } from '../../lib/engine/tensor.ts'
import type { Model } from '../../lib/model/nn.ts'
import type { LinearParams, BatchNormState } from './types.ts'
// What you will want (see the README):
// import { sequential, type LayerSpec } from '../../lib/model/nn.ts'

const KATA = '10-batchnorm-folding'

// ---------------------------------------------------------------------------------------------
// 1. One BatchNorm into the Linear before it

/**
 * The Linear layer that computes, on any input x, what BatchNorm in eval mode computes on x W + b:
 *   s_j = gamma_j / sqrt(runningVar_j + eps)
 *   W'[i][j] = W[i][j] · s_j            (every column j of W scaled by its feature's s_j)
 *   b'_j = (b_j - runningMean_j) · s_j + beta_j     (b_j = 0 when the Linear has no bias)
 * Returns new tensors: weight [fanIn, fanOut] and bias [fanOut]; the inputs must not change.
 */
export const foldBatchNorm = (linear: LinearParams, bn: BatchNormState): { weight: Tensor; bias: Tensor } =>
  notImplemented(KATA, 'foldBatchNorm')

// ---------------------------------------------------------------------------------------------
// 2. A whole model

/**
 * The same network for inference with every BatchNorm folded into the Linear before it: no
 * BatchNorm layer and no buffers left; each Linear that was followed by a BatchNorm now has a
 * bias (the folded b'); every other layer and parameter is as it was. Layer and parameter names
 * follow `sequential` (lib/model/nn.ts) for the new list of layers. `model` must not change.
 * A BatchNorm that follows no Linear (the embedding, an activation, another BatchNorm) has nothing
 * to fold into: refuse such a model with an Error that names the layer.
 */
export const foldModel = (model: Model): Model => notImplemented(KATA, 'foldModel')

/**
 * Kata 01: the initial loss.
 *
 * Replace each `notImplemented(...)` with your code, then run `npm run watch` and read what the
 * tests say. katas/01-initial-loss/README.md explains the idea; `npm run hint -- 01` helps.
 */
import { notImplemented } from '../../lib/course/kata.ts'
import type { Tensor } from '../../lib/engine/tensor.ts'
import type { Indices } from '../../lib/engine/ops.ts'
import type { MlpSizes, MlpScales, MlpParams } from './types.ts'
// What you will want from the engine (see lib/engine/tensor.ts, lib/engine/ops.ts and lib/engine/random.ts):
// import { reshape, tensor, zeros } from '../../lib/engine/tensor.ts'
// import { add, gather, matmul, scale, tanh } from '../../lib/engine/ops.ts'
// import { randnTensor, seedRng } from '../../lib/engine/random.ts'

const KATA = '01-initial-loss'

// ---------------------------------------------------------------------------------------------
// 1. What loss should an untrained network have?

/**
 * The loss of a network that knows nothing and says so: it gives every one of the `vocabSize`
 * tokens the same probability 1/V, so whatever comes next, its loss is -ln(1/V).
 * For the 27 tokens of the names data that is ln 27 ≈ 3.2958.
 */
export const expectedInitialLoss = (vocabSize: number): number => notImplemented(KATA, 'expectedInitialLoss')

// ---------------------------------------------------------------------------------------------
// 2. Softmax and cross-entropy

/**
 * Turns each row of `logits` ([N, V]) into probabilities: p_j = exp(x_j) / sum_k exp(x_k).
 *
 * Subtract the row's maximum before exp: softmax does not change (it is the same fraction times
 * exp(-max) / exp(-max)), but exp(1000) is Infinity and Infinity / Infinity is NaN.
 * Returns a new tensor of shape [N, V]; `logits` must not change.
 */
export const softmax = (logits: Tensor): Tensor => notImplemented(KATA, 'softmax')

/**
 * The mean negative log-likelihood of the targets: (1/N) sum_i -ln p_i[targets[i]], where p_i is
 * the softmax of row i of `logits` ([N, V]) and targets[i] is the index of the true next token.
 *
 * Compute -ln p from the logits directly (log-sum-exp):
 *   -ln p_t = ln(sum_k exp(x_k - m)) + m - x_t,   m = max_k x_k
 * so that logits of ±1e4 give a large but finite loss, not -ln(0) = Infinity.
 */
export const crossEntropy = (logits: Tensor, targets: Indices): number => notImplemented(KATA, 'crossEntropy')

// ---------------------------------------------------------------------------------------------
// 3. The lecture's MLP, written out

/**
 * Draws the parameters from ONE generator seeded with `seed` (the lecture's torch.Generator g,
 * passed to every torch.randn), in this order, each draw starting from the state the last returned:
 *   C  = randn(vocabSize, embeddingDim)
 *   W1 = randn(blockSize * embeddingDim, hidden) * scales.w1
 *   b1 = randn(hidden) * scales.b1
 *   W2 = randn(hidden, vocabSize) * scales.w2
 *   b2 = randn(vocabSize) * scales.b2
 * The same seed must give the same parameters.
 */
export const initMlp = (sizes: MlpSizes, scales: MlpScales, seed: number): MlpParams => notImplemented(KATA, 'initMlp')

/**
 * The forward pass from contexts to logits. `X` holds N contexts of blockSize token indices, one
 * after the other (row-major: context i is X[i*blockSize .. (i+1)*blockSize)).
 *   emb    = C[X], viewed as [N, blockSize * embeddingDim]   (the 3 embeddings side by side)
 *   h      = tanh(emb @ W1 + b1)                             [N, hidden]
 *   logits = h @ W2 + b2                                     [N, vocabSize]
 * (blockSize is W1's row count divided by C's column count.)
 */
export const mlpLogits = (params: MlpParams, X: Indices): Tensor => notImplemented(KATA, 'mlpLogits')

/** The loss the network starts from on a batch: the cross-entropy of its logits for X against Y. */
export const initialLoss = (params: MlpParams, batch: { readonly X: Indices; readonly Y: Indices }): number =>
  notImplemented(KATA, 'initialLoss')

// ---------------------------------------------------------------------------------------------
// 4. The fix, and why not all the way to zero

/**
 * The lecture's fix of the output layer: the scales to draw W2 and b2 with (W2 = randn × w2,
 * b2 = randn × b2), so that b2 starts at zero and W2 small but random (the lecture's W2 * 0.01,
 * b2 * 0): the logits start near zero and the first loss is about ln 27. The hidden layer's scales
 * (w1, b1) come back as they came in. The tests pass in the naive output layer (w2 and b2 both 1),
 * so `w2: 0.01` and `w2: scales.w2 * 0.01` give the same numbers: either is accepted.
 */
export const fixOutputLayer = (scales: MlpScales): MlpScales => notImplemented(KATA, 'fixOutputLayer')

/**
 * How many different hidden units a layer has. Unit j is column j of W1 ([fanIn, hidden]) together
 * with b1[j]; two units are the same when every one of their numbers agrees within `tolerance`.
 * 200 random units give 200; a layer whose weights all started equal (zero, say) gives 1, and the
 * tests show it stays 1 however long it trains: that is the symmetry problem.
 */
export const distinctHiddenUnits = (W1: Tensor, b1: Tensor, tolerance = 1e-9): number =>
  notImplemented(KATA, 'distinctHiddenUnits')

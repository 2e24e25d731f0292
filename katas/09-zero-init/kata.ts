/**
 * Kata 09: zero init (the lecture's exercise E01).
 *
 * Replace each `notImplemented(...)` with your code, then run `npm run watch` and read what the
 * tests say. katas/09-zero-init/README.md explains the idea; `npm run hint -- 09` helps.
 */
import { notImplemented } from '../../lib/course/kata.ts'
import type { Indices } from '../../lib/engine/ops.ts'
import type { Examples } from '../../lib/model/data.ts'
import type { LayerSpec, Model, Params } from '../../lib/model/nn.ts'
import type { RecordOptions, RecordedRun } from './types.ts'
// What you will want (see the README):
// import { findExperiment } from '../../lib/model/experiments.ts'
// import { trainingPass } from '../../lib/model/nn.ts'
// import { zerosInit, scaledNormal } from '../../lib/model/init.ts'
// import { sgdStep } from '../../lib/model/train.ts'
// import { sampleBatch } from '../../lib/model/data.ts'
// import { seedRng } from '../../lib/engine/random.ts'
// import { stdAll } from '../../lib/engine/ops.ts'

const KATA = '09-zero-init'

// ---------------------------------------------------------------------------------------------
// 1. The all-zero MLP

/**
 * The lecture's MLP (the layers of the `naive` experiment in lib/model/experiments.ts: embedding,
 * linear1, tanh, linear2) with every weight and bias of its two Linear layers starting at exactly
 * zero (`zerosInit`). The embedding table C stays as it is (randn): it is a lookup table, not a
 * layer's weight.
 */
export const zeroInitLayers = (vocabSize: number): LayerSpec[] => notImplemented(KATA, 'zeroInitLayers')

// ---------------------------------------------------------------------------------------------
// 2. Where the gradient stops

/**
 * The names of the parameters (keys of `model.params`, in that order) whose gradient on this batch
 * has at least one entry that is not exactly 0 (`!== 0`, no tolerance: the point is that the
 * others are exactly zero).
 */
export const nonZeroGradients = (model: Model, batch: { readonly X: Indices; readonly Y: Indices }): string[] =>
  notImplemented(KATA, 'nonZeroGradients')

/**
 * The standard deviation (over the whole batch and every unit) of the tanh layer's output h in a
 * training pass (of the first tanh layer, in a model that has several). A model with no tanh layer
 * is an error whose message says so.
 */
export const hiddenActivationStd = (model: Model, batch: { readonly X: Indices; readonly Y: Indices }): number =>
  notImplemented(KATA, 'hiddenActivationStd')

/**
 * How many different hidden units linear1 has: unit j is column j of `linear1.weight` ([fanIn,
 * hidden]) with `linear1.bias[j]`; two units are the same when every number agrees within `tolerance`.
 * A linear1 without a bias: its columns alone.
 */
export const distinctHiddenUnits = (model: Model, tolerance = 1e-9): number =>
  notImplemented(KATA, 'distinctHiddenUnits')

// ---------------------------------------------------------------------------------------------
// 3. Training it, and watching each parameter's gradient

/** The L2 norm sqrt(sum of squares) of each gradient, by parameter name. */
export const gradientNorms = (grads: Params): Record<string, number> => notImplemented(KATA, 'gradientNorms')

/**
 * `steps` steps of the engine's SGD (`sgdStep` of lib/model/train.ts) at a constant `lr`. The
 * batches come from ONE generator: `sampleBatch(examples, batchSize)` drawn from `seedRng(seed)`,
 * each draw starting from the state the previous one returned. Records each step's loss and the
 * norm of each parameter's gradient (the step's `trace.paramGrads`).
 */
export const trainRecorded = (model: Model, examples: Examples, options: RecordOptions): RecordedRun =>
  notImplemented(KATA, 'trainRecorded')

// ---------------------------------------------------------------------------------------------
// 4. What loss it settles at

/**
 * The loss of a model that ignores the context and predicts every character with its overall
 * frequency: with count_k of each token k among `targets` and p_k = count_k / N,
 *   -sum_k p_k ln p_k   (tokens that never occur add nothing).
 */
export const unigramLoss = (targets: Indices, vocabSize: number): number => notImplemented(KATA, 'unigramLoss')

// ---------------------------------------------------------------------------------------------
// 5. The smallest change that lets it train fully

/**
 * `layers` (the all-zero MLP) with the init of exactly ONE parameter changed to small random
 * numbers, chosen so that after a few steps every parameter receives a gradient and the hidden
 * units all differ.
 */
export const smallestFix = (layers: readonly LayerSpec[]): LayerSpec[] => notImplemented(KATA, 'smallestFix')

/**
 * Kata 07: training.
 *
 * The loop that turns all of this into a model: minibatches, SGD steps with the lecture's
 * learning-rate schedule, evaluation in eval mode, the experiments' loss table, and names sampled
 * from what was learned. The model is lib/model/nn.ts's `Model` (a value: layers, params, buffers);
 * `trainingPass(model, X, Y)` does forward, cross-entropy and backward for you.
 *
 * Read README.md first. Run `npm run watch` and make the tests in kata.test.ts pass.
 * Useful: lib/model/nn.ts (trainingPass, predict, predictProbs, initModel), lib/model/data.ts (sampleBatch,
 * decode), lib/model/loss.ts (crossEntropy), lib/engine/random.ts (seedRng, categorical),
 * lib/model/experiments.ts (findExperiment).
 */
import { notImplemented } from '../../lib/course/kata.ts'
import type { Model } from '../../lib/model/nn.ts'
import type { Batch, Examples, Vocabulary } from '../../lib/model/data.ts'
import type { Corpus, ExperimentName } from '../../lib/model/experiments.ts'
import type { StepResult, TrainOptions, TrainResult, LossRow } from './types.ts'

const KATA = '07-training'

// ---------------------------------------------------------------------------------------------
// Types (given): in types.ts beside this file, which the tests and the reference answers share

// ---------------------------------------------------------------------------------------------
// Your work

/** The lecture's schedule: 0.1 for the first half of `totalSteps`, then 0.01 (steps count from 0). */
export const learningRate = (step: number, totalSteps: number): number => notImplemented(KATA, 'learningRate')

/**
 * One step of stochastic gradient descent on a minibatch: forward and backward (trainingPass),
 * then every parameter p becomes p - lr * p.grad. BatchNorm's running statistics come out of
 * the training pass (`buffers`). The model you are given must not change.
 */
export const sgdStep = (model: Model, batch: Batch, lr: number): StepResult => notImplemented(KATA, 'sgdStep')

/**
 * `steps` SGD steps, each on a new minibatch of `batchSize` (default 32) drawn at random from
 * `examples` with one generator seeded by `seed` (its state carried from step to step), the
 * learning rate of each step from `learningRate`.
 */
export const trainModel = (model: Model, examples: Examples, options: TrainOptions): TrainResult =>
  notImplemented(KATA, 'trainModel')

/**
 * The mean loss over every example of a split, in eval mode: BatchNorm uses its running
 * statistics and no backward is needed (the lecture's `@torch.no_grad()`).
 */
export const evaluate = (model: Model, examples: Examples): number => notImplemented(KATA, 'evaluate')

/**
 * The lecture's table for some experiments (lib/model/experiments.ts): for each, a model initialised
 * from a generator seeded by `options.seed`, trained on `corpus.train` with
 * `trainModel(model, corpus.train, options)` (the same options: `options.steps` steps, whatever
 * the experiment's maxSteps), then evaluated on train and val.
 */
export const lossTable = (names: readonly ExperimentName[], corpus: Corpus, options: TrainOptions): LossRow[] =>
  notImplemented(KATA, 'lossTable')

/**
 * `count` names sampled from the model with one generator seeded by `seed` (its state carried from
 * name to name): each name starts from a context of '.' (index 0), draws the next character from
 * the model's probabilities (eval mode), slides it into the context (the oldest index leaves:
 * context = context[1:] + [ix]), and stops at the first '.' or after 30 characters. A name does
 * not include the final '.'. The context length is the embedding layer's `blockSize`
 * (model.layers[0]).
 */
export const sampleNames = (model: Model, vocab: Vocabulary, count: number, seed: number): string[] =>
  notImplemented(KATA, 'sampleNames')

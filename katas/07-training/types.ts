/**
 * Kata 07: the types. What the kata's functions take and give, and the type each function of kata.ts
 * must have: the tests, the reference answers and the kata's page are written against this file, not
 * against your kata.ts, so you do not edit it. A function of yours whose signature differs from
 * `Kata` below is a type error that `npm run check` and `npm run grade` report.
 */
import type { Model } from '../../lib/model/nn.ts'
import type { Batch, Examples, Vocabulary } from '../../lib/model/data.ts'
import type { Corpus, ExperimentName } from '../../lib/model/experiments.ts'

export interface StepResult {
  /** The model after the step. */
  readonly model: Model
  /** The batch's loss before the step. */
  readonly loss: number
}

export interface TrainOptions {
  readonly steps: number
  /** Seeds the generator the minibatches are drawn from. */
  readonly seed: number
  /** Examples per minibatch: 32, the lecture's, when not given. */
  readonly batchSize?: number
}

export interface TrainResult {
  readonly model: Model
  /** The loss of every step's minibatch, in order (steps of them). */
  readonly losses: readonly number[]
  /** The learning rate every step used, in order. */
  readonly learningRates: readonly number[]
}

/** One row of the lecture's table of experiments. */
export interface LossRow {
  readonly name: ExperimentName
  /** The loss of the very first minibatch, before any step: ln 27 ≈ 3.30 for a humble network. */
  readonly initLoss: number
  /** Mean loss over the whole train split after training, in eval mode. */
  readonly train: number
  /** Mean loss over the whole val (dev) split after training, in eval mode. */
  readonly val: number
}

/** Every function of the kata, with the type kata.ts must give it (kata.ts documents each one). */
export interface Kata {
  readonly learningRate: (step: number, totalSteps: number) => number
  readonly sgdStep: (model: Model, batch: Batch, lr: number) => StepResult
  readonly trainModel: (model: Model, examples: Examples, options: TrainOptions) => TrainResult
  readonly evaluate: (model: Model, examples: Examples) => number
  readonly lossTable: (names: readonly ExperimentName[], corpus: Corpus, options: TrainOptions) => LossRow[]
  readonly sampleNames: (model: Model, vocab: Vocabulary, count: number, seed: number) => string[]
}

/**
 * The lecture's experiments as named values: one network, one initialisation each, and the
 * figures the lecture reports for them, so a run can print its numbers next to the lecture's.
 */
import { pipe } from 'fp-ts/function'
import * as S from 'fp-ts/State'
import {
  batchNorm1d,
  embedding,
  initModel,
  linear,
  tanhLayer,
  parameterCount,
  type LayerSpec,
  type Model,
} from './nn.ts'
import { constant, gains, kaiming, scaledNormal, standardNormal, zerosInit } from './init.ts'
import {
  buildExamples,
  buildVocabulary,
  sampleBatch,
  splitWords,
  type Examples,
  type IndexArray,
  type SplitShuffle,
  type Vocabulary,
} from './data.ts'
import { evaluateLoss, lectureSchedule, train, type History } from './train.ts'
import { seedRng } from '../engine/random.ts'
import { sampleNames } from './sample.ts'
import { expectedInitialLoss } from './loss.ts'

/** The lecture's sizes: 3 characters of context, 10-dim embeddings, 200 hidden units (100 in the deep nets). */
export const BLOCK_SIZE = 3
export const EMBEDDING_DIM = 10
export const HIDDEN = 200
export const DEEP_HIDDEN = 100

export type ExperimentName =
  | 'naive'
  | 'fix-softmax'
  | 'fix-tanh'
  | 'kaiming'
  | 'batchnorm'
  | 'deep-tanh'
  | 'deep-batchnorm'

export interface LectureFigures {
  /** Loss on the first batch, before any step. */
  readonly initLoss?: number
  readonly val?: number
}

export interface Experiment {
  readonly name: ExperimentName
  readonly title: string
  /** What the experiment changes and why, in one or two sentences. */
  readonly description: string
  readonly layers: (vocabSize: number) => LayerSpec[]
  /** What the lecture reports for this experiment. */
  readonly lecture: LectureFigures
  /** The most steps it trains for: the lecture reads the deep nets' instruments after 1,000. */
  readonly maxSteps?: number
}

const inputs = BLOCK_SIZE * EMBEDDING_DIM

/** The one-hidden-layer MLP with the given initialisation of W1, b1, W2 and b2. */
const mlp =
  (init: { w1: number | 'kaiming'; b1: number; w2: number; b2: number }) =>
  (vocabSize: number): LayerSpec[] => [
    embedding(vocabSize, EMBEDDING_DIM, BLOCK_SIZE, standardNormal),
    linear(inputs, HIDDEN, {
      weightInit: init.w1 === 'kaiming' ? kaiming(gains.tanh) : scaledNormal(init.w1),
      biasInit: scaledNormal(init.b1),
    }),
    tanhLayer(),
    linear(HIDDEN, vocabSize, {
      weightInit: scaledNormal(init.w2),
      biasInit: init.b2 === 0 ? zerosInit : scaledNormal(init.b2),
    }),
  ]

/** Five hidden layers of 100 (the lecture's deep net); Kaiming gain 5/3 on every hidden Linear. */
const deep =
  (withBatchNorm: boolean) =>
  (vocabSize: number): LayerSpec[] => {
    const widths = [inputs, DEEP_HIDDEN, DEEP_HIDDEN, DEEP_HIDDEN, DEEP_HIDDEN, DEEP_HIDDEN]
    const hidden = widths
      .slice(0, -1)
      .flatMap((fanIn, i): LayerSpec[] => [
        linear(fanIn, widths[i + 1], { bias: !withBatchNorm, weightInit: kaiming(gains.tanh) }),
        ...(withBatchNorm ? [batchNorm1d(widths[i + 1])] : []),
        tanhLayer(),
      ])
    // the last layer starts less confident: its weights (or BatchNorm's gamma) scaled by 0.1
    const last: LayerSpec[] = withBatchNorm
      ? [linear(DEEP_HIDDEN, vocabSize, { bias: false }), batchNorm1d(vocabSize, { gammaInit: constant(0.1) })]
      : [linear(DEEP_HIDDEN, vocabSize, { weightInit: kaiming(0.1) })]
    return [embedding(vocabSize, EMBEDDING_DIM, BLOCK_SIZE, standardNormal), ...hidden, ...last]
  }

export const experiments: readonly Experiment[] = [
  {
    name: 'naive',
    title: 'Naive init',
    description:
      'Every parameter drawn from a standard normal: the logits are large, the first loss is far above ln 27 and most tanh units start saturated.',
    layers: mlp({ w1: 1, b1: 1, w2: 1, b2: 1 }),
    lecture: { initLoss: 27, val: 2.17 },
  },
  {
    name: 'fix-softmax',
    title: 'Fix the output layer',
    description:
      'b2 = 0 and W2 × 0.01: the logits start near zero, so the first loss is the ln 27 ≈ 3.29 of a uniform guess.',
    layers: mlp({ w1: 1, b1: 1, w2: 0.01, b2: 0 }),
    lecture: { initLoss: 3.29, val: 2.13 },
  },
  {
    name: 'fix-tanh',
    title: 'Fix the hidden layer',
    description:
      'Also W1 × 0.2 and b1 × 0.01: the pre-activations fall in the responsive range of tanh, so fewer units saturate.',
    layers: mlp({ w1: 0.2, b1: 0.01, w2: 0.01, b2: 0 }),
    lecture: { initLoss: 3.29, val: 2.1 },
  },
  {
    name: 'kaiming',
    title: 'Kaiming init',
    description: 'W1 × (5/3)/√30 instead of the magic 0.2: the scale comes from the fan-in and the tanh gain.',
    layers: mlp({ w1: 'kaiming', b1: 0.01, w2: 0.01, b2: 0 }),
    lecture: { initLoss: 3.29, val: 2.11 },
  },
  {
    name: 'batchnorm',
    title: 'BatchNorm',
    description:
      'Kaiming W1 followed by BatchNorm (no b1, which BatchNorm would cancel); running statistics with momentum 0.001 for evaluation.',
    layers: (vocabSize) => {
      const [emb, hidden, act, out] = mlp({ w1: 'kaiming', b1: 0.01, w2: 0.01, b2: 0 })(vocabSize)
      return [emb, { ...hidden, bias: false } as LayerSpec, batchNorm1d(HIDDEN, { momentum: 0.001 }), act, out]
    },
    lecture: { initLoss: 3.29, val: 2.1 },
  },
  {
    name: 'deep-tanh',
    title: 'Deep net, no BatchNorm',
    description:
      'Five tanh layers of 100 with Kaiming gain 5/3 and a last layer scaled by 0.1: stable only because the init is right.',
    layers: deep(false),
    lecture: { initLoss: 3.29 },
    maxSteps: 1000,
  },
  {
    name: 'deep-batchnorm',
    title: 'Deep net with BatchNorm',
    description:
      'The same five layers with BatchNorm after every Linear (47,024 parameters): robust to the init scale.',
    layers: deep(true),
    lecture: { initLoss: 3.29 },
    maxSteps: 1000,
  },
]

export const experimentNames: readonly ExperimentName[] = experiments.map((e) => e.name)

export const findExperiment = (name: string): Experiment | undefined => experiments.find((e) => e.name === name)

// ---------------------------------------------------------------------------------------------
// Running one

export interface Corpus {
  readonly vocab: Vocabulary
  readonly train: Examples
  readonly val: Examples
  readonly test: Examples
  readonly words: number
}

/**
 * Words -> vocabulary and the seeded 80/10/10 split of context windows. `alloc` makes the example
 * arrays (on a SharedArrayBuffer, the corpus is prepared once and shared with worker threads).
 */
export const prepareCorpus = (
  words: readonly string[],
  seed: number,
  how: SplitShuffle = 'seeded',
  alloc?: (length: number) => IndexArray,
): Corpus => {
  const vocab = buildVocabulary(words)
  const split = splitWords(words, seed, how)
  return {
    vocab,
    train: buildExamples(split.train, vocab, BLOCK_SIZE, alloc),
    val: buildExamples(split.val, vocab, BLOCK_SIZE, alloc),
    test: buildExamples(split.test, vocab, BLOCK_SIZE, alloc),
    words: words.length,
  }
}

export interface RunOptions {
  readonly steps: number
  readonly seed: number
  readonly batchSize?: number
  /** The steps whose Trace the History keeps, given the steps the run makes (default: the first and the last). */
  readonly snapshotSteps?: (steps: number) => readonly number[]
  readonly samples?: number
  readonly onStep?: (step: number, loss: number) => void
  /** Called as the final evaluation goes through the train and val splits: examples done of all. */
  readonly onEvaluate?: (done: number, total: number) => void
}

export interface ExperimentRun {
  readonly name: ExperimentName
  readonly parameters: number
  readonly vocabSize: number
  readonly initLoss: number
  readonly expectedInitLoss: number
  readonly train: number
  readonly val: number
  readonly steps: number
  readonly seconds: number
  readonly samples: readonly string[]
  readonly model: Model
  readonly history: History
}

/** The steps an experiment trains for when `requested` are asked for (capped by its maxSteps). */
export const stepsFor = (experiment: Experiment, requested: number): number =>
  Math.min(requested, experiment.maxSteps ?? Infinity)

/** Initialises, trains and evaluates one experiment; a pure function of its inputs but for the clock. */
export const runExperiment = (experiment: Experiment, corpus: Corpus, options: RunOptions): ExperimentRun => {
  const { seed, batchSize = 32, samples = 10 } = options
  const steps = stepsFor(experiment, options.steps)
  const started = performance.now()
  const [model, afterInit] = initModel(experiment.layers(corpus.vocab.size))(seedRng(seed))
  const result = train(model, afterInit, sampleBatch(corpus.train, batchSize), {
    name: experiment.name,
    steps,
    schedule: lectureSchedule(steps),
    snapshotSteps: options.snapshotSteps?.(steps) ?? [0, steps - 1],
    onStep: options.onStep,
  })
  const names = pipe(sampleNames(result.model, corpus.vocab, BLOCK_SIZE, samples), S.evaluate(result.rng))
  return {
    name: experiment.name,
    parameters: parameterCount(model),
    vocabSize: corpus.vocab.size,
    initLoss: result.history.loss[0],
    expectedInitLoss: expectedInitialLoss(corpus.vocab.size),
    ...evaluateSplits(result.model, corpus, options.onEvaluate),
    steps,
    seconds: (performance.now() - started) / 1000,
    samples: names,
    model: result.model,
    history: result.history,
  }
}

/** The mean loss on the train and val splits, reporting progress through both. */
const evaluateSplits = (
  model: Model,
  corpus: Corpus,
  onEvaluate?: (done: number, total: number) => void,
): { train: number; val: number } => {
  const total = corpus.train.count + corpus.val.count
  const train = evaluateLoss(model, corpus.train.X, corpus.train.Y, undefined, (done) => onEvaluate?.(done, total))
  const val = evaluateLoss(model, corpus.val.X, corpus.val.Y, undefined, (done) =>
    onEvaluate?.(corpus.train.count + done, total),
  )
  return { train, val }
}

/**
 * The steps at which a run must keep a Trace snapshot for the reports: the first (the network at
 * initialisation), the last, and evenly spaced ones between (about ten in all, for BatchNorm's
 * running statistics converging).
 */
export const snapshotStepsFor = (steps: number): number[] => {
  const last = Math.max(0, steps - 1)
  const out = new Set<number>()
  for (let i = 0; i <= 10; i++) out.add(Math.round((i * last) / 10))
  return [...out].sort((a, b) => a - b)
}

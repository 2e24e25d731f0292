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
  parameterCount,
  reluLayer,
  tanhLayer,
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
import { seedRng, type Rng } from '../engine/random.ts'
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
  /** Trains at the lecture's 0.1 throughout, with no decay (the deep nets: 1,000 steps at 0.1). */
  readonly constantLearningRate?: boolean
}

/** The lecture's vocabulary (26 letters and '.') and sizes, for pages and tests that draw on them. */
export const LECTURE_SIZES = { vocabSize: 27, blockSize: BLOCK_SIZE, embeddingDim: EMBEDDING_DIM, hidden: HIDDEN }

/** Features a context gives the first Linear: BLOCK_SIZE embeddings of EMBEDDING_DIM, concatenated. */
const inputs = BLOCK_SIZE * EMBEDDING_DIM

// ---------------------------------------------------------------------------------------------
// The lecture's networks

/** How the one-hidden-layer MLP starts: each of W1, b1, W2, b2 as randn × scale. */
export interface MlpScales {
  /** 'kaiming': std (5/3)/√fan_in, tanh's gain. */
  readonly w1: number | 'kaiming'
  readonly b1: number
  readonly w2: number
  readonly b2: number
}

/**
 * The lecture's one-hidden-layer MLP: embedding (randn), Linear(30, 200), tanh, Linear(200, V),
 * with W1, b1, W2 and b2 drawn as randn × scale. A bias of scale 0 starts at zero without a draw.
 */
export const lectureMlp = (vocabSize: number, s: MlpScales): LayerSpec[] => [
  embedding(vocabSize, EMBEDDING_DIM, BLOCK_SIZE, standardNormal),
  linear(inputs, HIDDEN, {
    weightInit: s.w1 === 'kaiming' ? kaiming(gains.tanh) : scaledNormal(s.w1),
    biasInit: s.b1 === 0 ? zerosInit : scaledNormal(s.b1),
  }),
  tanhLayer(),
  linear(HIDDEN, vocabSize, {
    weightInit: scaledNormal(s.w2),
    biasInit: s.b2 === 0 ? zerosInit : scaledNormal(s.b2),
  }),
]

export interface DeepNetOptions {
  /** BatchNorm after every Linear, whose bias it would cancel (so the Linears have none). Default false. */
  readonly batchNorm?: boolean
  /** The non-linearity after each hidden layer. Default tanh. */
  readonly activation?: 'tanh' | 'relu' | 'none'
  /** Kaiming gain of every hidden Linear. Default 5/3 (tanh's). */
  readonly gain?: number
  /** The constant every hidden bias starts at. Default 0. */
  readonly hiddenBias?: number
  /** The last layer starts less confident: its weights' Kaiming gain (with BatchNorm: its gamma). Default 0.1. */
  readonly last?: number
  /** Hidden layers. Default 5. */
  readonly depth?: number
  /** Units per hidden layer. Default DEEP_HIDDEN (100). */
  readonly width?: number
}

/** The lecture's deep net: `depth` hidden Linear(width) layers with Kaiming init, each followed by its non-linearity. */
export const deepNet = (vocabSize: number, o: DeepNetOptions = {}): LayerSpec[] => {
  const {
    batchNorm = false,
    activation = 'tanh',
    gain = gains.tanh,
    hiddenBias = 0,
    last = 0.1,
    depth = 5,
    width = DEEP_HIDDEN,
  } = o
  const act = (): LayerSpec[] => (activation === 'tanh' ? [tanhLayer()] : activation === 'relu' ? [reluLayer()] : [])
  const hidden = Array.from({ length: depth }, (_, i): LayerSpec[] => [
    linear(i === 0 ? inputs : width, width, {
      bias: !batchNorm,
      weightInit: kaiming(gain),
      biasInit: constant(hiddenBias),
    }),
    ...(batchNorm ? [batchNorm1d(width)] : []),
    ...act(),
  ]).flat()
  const out: LayerSpec[] = batchNorm
    ? [linear(width, vocabSize, { bias: false }), batchNorm1d(vocabSize, { gammaInit: constant(last) })]
    : [linear(width, vocabSize, { weightInit: kaiming(last) })]
  return [embedding(vocabSize, EMBEDDING_DIM, BLOCK_SIZE, standardNormal), ...hidden, ...out]
}

/** An experiment's network, for any vocabulary size. */
const mlp = (s: MlpScales) => (vocabSize: number) => lectureMlp(vocabSize, s)
/** The deep nets as the lecture ran them: Kaiming gain 5/3 without BatchNorm, the printed BatchNorm run's gain 1.0. */
const deep = (batchNorm: boolean) => (vocabSize: number) =>
  deepNet(vocabSize, { batchNorm, gain: batchNorm ? 1 : gains.tanh })

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
    constantLearningRate: true,
  },
  {
    name: 'deep-batchnorm',
    title: 'Deep net with BatchNorm',
    description:
      'The same five layers with BatchNorm after every Linear (47,024 parameters), Kaiming gain 1.0 as in the printed run: robust to the init scale.',
    layers: deep(true),
    lecture: { initLoss: 3.29 },
    maxSteps: 1000,
    constantLearningRate: true,
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
  const trainFrom =
    (model: Model): Rng<ReturnType<typeof train>> =>
    (s) => {
      const result = train(model, s, sampleBatch(corpus.train, batchSize), {
        name: experiment.name,
        steps,
        schedule: experiment.constantLearningRate === true ? lectureSchedule(steps, steps) : lectureSchedule(steps),
        snapshotSteps: options.snapshotSteps?.(steps) ?? [0, steps - 1],
        onStep: options.onStep,
      })
      return [result, result.rng]
    }
  // one generator, drawn in turn by the initialisation, the batches and the samples
  const { model, result, names } = pipe(
    initModel(experiment.layers(corpus.vocab.size)),
    S.bindTo('model'),
    S.bind('result', ({ model }) => trainFrom(model)),
    S.bind('names', ({ result }) => sampleNames(result.model, corpus.vocab, BLOCK_SIZE, samples)),
    S.evaluate(seedRng(seed)),
  )
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
 * initialisation), the last, eleven evenly spaced in all, and 1, 2, 5, 10, 20, 50, ... between,
 * so that the early steps, where most happens, show on a log axis of steps.
 */
export const snapshotStepsFor = (steps: number): number[] => {
  const last = Math.max(0, steps - 1)
  const out = new Set<number>()
  for (let i = 0; i <= 10; i++) out.add(Math.round((i * last) / 10))
  for (let decade = 1; decade < last; decade *= 10)
    for (const k of [1, 2, 5]) if (k * decade < last) out.add(k * decade)
  return [...out].sort((a, b) => a - b)
}

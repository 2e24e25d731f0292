/**
 * What kata 09's tests share: the names data (loaded here, once), the models the checks train,
 * and the verdicts that say in the lecture's terms what a wrong answer got wrong.
 */
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/Either'
import { stdAll, type Indices } from '../../lib/engine/ops.ts'
import { evalRng, seedRng, shuffle } from '../../lib/engine/random.ts'
import {
  buildExamples,
  buildVocabulary,
  formatNamesError,
  readNamesFile,
  sampleBatch,
  type Batch,
  type Examples,
} from '../../lib/model/data.ts'
import { BLOCK_SIZE, findExperiment } from '../../lib/model/experiments.ts'
import { scaledNormal, zerosInit } from '../../lib/model/init.ts'
import { crossEntropy } from '../../lib/model/loss.ts'
import {
  describeParams,
  initModel,
  predict,
  sequential,
  trainingPass,
  type LayerSpec,
  type Model,
} from '../../lib/model/nn.ts'
import { sgdStep } from '../../lib/model/train.ts'

/** The names data the checks train on: 2,000 of data/names.txt's names, so every run is quick. */
const namesData = (): { readonly vocabSize: number; readonly examples: Examples } => {
  const read = readNamesFile(fileURLToPath(new URL('../../data/names.txt', import.meta.url)))
  if (E.isLeft(read)) throw new Error(formatNamesError(read.left))
  const vocab = buildVocabulary(read.right)
  const words = evalRng(shuffle(read.right), 7).slice(0, 2000)
  return { vocabSize: vocab.size, examples: buildExamples(words, vocab, BLOCK_SIZE) }
}

export const { vocabSize, examples } = namesData()
export const batchOf = (size: number, seed: number): Batch => evalRng(sampleBatch(examples, size), seed)

/** The lecture's naive MLP (from lib/model/experiments.ts) with the inits of linear1 and linear2 replaced. */
export const mlpWith = (
  inits: { w1: number; b1: number; w2: number; b2: number },
  seed: number,
): { layers: LayerSpec[]; model: Model } => {
  const naive = findExperiment('naive')
  if (naive === undefined) throw new Error('lib/model/experiments.ts has no naive experiment')
  let k = 0
  const scheme = (s: number) => (s === 0 ? zerosInit : scaledNormal(s))
  const layers = naive.layers(vocabSize).map((l): LayerSpec => {
    if (l.kind !== 'linear') return l
    k += 1
    return k === 1
      ? { ...l, weightInit: scheme(inits.w1), biasInit: scheme(inits.b1) }
      : { ...l, weightInit: scheme(inits.w2), biasInit: scheme(inits.b2) }
  })
  return { layers, model: evalRng(initModel(layers), seed) }
}

export const PARAMS = ['embedding.weight', 'linear1.weight', 'linear1.bias', 'linear2.weight', 'linear2.bias']

/** Why the gradient of the all-zero MLP stops where it does, in the lecture's terms. */
export const WHY_ONLY_B2 =
  'only linear2.bias: h = tanh(0 · x + 0) = 0, so dW2 = hᵀ · dlogits = 0; W2 = 0, so dh = dlogits · W2ᵀ = 0, and W1 and b1 get nothing (nor C, whose gradient also passes through W1 = 0); db2 = the sum of dlogits = p - onehot is the one gradient that does not pass through a zero'

/** What describeParams says each parameter starts as (to compare two layer lists). */
export const initsOf = (layers: readonly LayerSpec[]): Record<string, string> =>
  Object.fromEntries(describeParams(sequential(layers)).map((p) => [p.name, p.init]))

/** The parameters whose init differs between two layer lists. */
export const changedInits = (before: readonly LayerSpec[], after: readonly LayerSpec[]): string[] => {
  const a = initsOf(before),
    b = initsOf(after)
  return Object.keys({ ...a, ...b }).filter((k) => a[k] !== b[k])
}

/** Whether every row of a model's eval logits on these contexts is the same row: it ignores the context. */
export const ignoresContext = (model: Model, X: Indices): boolean => {
  const logits = predict(model, X)
  const [n, v] = logits.shape
  for (let i = 1; i < n; i++) for (let j = 0; j < v; j++) if (logits.data[i * v + j] !== logits.data[j]) return false
  return true
}

/** The model's mean loss over a whole set of examples, in eval mode. */
export const lossOn = (model: Model, ex: Examples): number => crossEntropy(predict(model, ex.X), ex.Y)

export const num = (x: number): string => String(Number(x.toPrecision(4)))

/** The std of the tanh layer's output in a training pass, as the engine's trace has it. */
export const tanhOutputStd = (model: Model, batch: Batch): number => {
  const h = trainingPass(model, batch.X, batch.Y).trace.layers.find((l) => l.kind === 'tanh')
  if (h === undefined) throw new Error('the model has no tanh layer')
  return stdAll(h.out)
}

/** The losses of `steps` engine SGD steps on batches drawn one after another from seedRng(seed). */
export const replayLosses = (model: Model, steps: number, lr: number, batchSize: number, seed: number): number[] => {
  let state = { model, step: 0 },
    rng = seedRng(seed)
  const losses: number[] = []
  for (let i = 0; i < steps; i++) {
    const [batch, next] = sampleBatch(examples, batchSize)(rng)
    rng = next
    const r = sgdStep(state, batch, lr)
    losses.push(r.trace.loss)
    state = r.state
  }
  return losses
}

/** A model drawn from layers with a seed. */
export const initialise = (layers: readonly LayerSpec[], seed: number): Model => evalRng(initModel(layers), seed)

// ---------------------------------------------------------------------------------------------
// What the reference laws compare and draw

/** The lecture's zero has no sign: -0 (what -Σ p ln p gives when every p is 1) passes wherever 0 does. */
export const signless = (x: number): number => (x === 0 ? 0 : x)

/** The parameters whose zero blocks the gradient of the all-zero MLP: making one of them random lets it through. */
const ON_THE_PATH = ['linear1.weight', 'linear1.bias', 'linear2.weight']
const INIT_FIELDS = new Set(['init', 'weightInit', 'biasInit', 'gammaInit'])
const isRandom = (init: string): boolean => /^(randn|kaiming)/.test(init) && !/^randn × -?0$|gain -?0\)$/.test(init)

/**
 * What smallestFix must give, whichever of the right answers it picks: the layers as they were
 * (kinds, sizes, biases; the inits aside), and for each parameter whose init changed what it now
 * starts as, a random W1, b1 or W2 all told as one ("W1, b1 or W2 made random").
 */
export const fixVerdict = (out: unknown, [given]: readonly [readonly LayerSpec[]]): unknown => {
  const layers = out as readonly LayerSpec[]
  const after = initsOf(layers)
  return {
    layers: sequential(layers).map((l) => Object.fromEntries(Object.entries(l).filter(([k]) => !INIT_FIELDS.has(k)))),
    changed: changedInits(given, layers).map((name) =>
      ON_THE_PATH.includes(name) && isRandom(after[name] ?? '')
        ? 'W1, b1 or W2 made random'
        : `${name}: now ${after[name]}`,
    ),
  }
}

/** Whether "the same unit" (every number within `tolerance`) is an equivalence on these units, so that every way of counting agrees. */
export const unitsAreClusters = (units: readonly (readonly number[])[], tolerance: number): boolean => {
  const same = (a: readonly number[], b: readonly number[]) => a.every((v, i) => Math.abs(v - b[i]) <= tolerance)
  return units.every((a) => units.every((b) => !same(a, b) || units.every((c) => same(b, c) === same(a, c))))
}

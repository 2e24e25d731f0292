/**
 * A lab run: the lecture's corpus, a network built from the lab's settings, and SGD steps taken
 * on demand, with the instruments read off the latest step as one plain `LabFrame` that a page
 * can chart. It is the same model, data and training code as `npm start` (lib/model), driven
 * one step at a time, so a lab run and a Node run with the same seed give the same numbers.
 * Pure but for the clock that measures steps per second; no DOM, no node: modules.
 */
import { configureLayers, type LabSettings } from '../../model/configure.ts'
import { sampleBatch, type Batch } from '../../model/data.ts'
import { prepareCorpus, type Corpus } from '../../model/experiments.ts'
import { describeParams, initModel, type Params, type Trace } from '../../model/nn.ts'
import { expectedInitialLoss } from '../../model/loss.ts'
import { sgdStep, updateToDataRatio, type TrainState } from '../../model/train.ts'
import type { RngState } from '../../engine/random.ts'
import { seedRng } from '../../engine/random.ts'
import {
  diagnose,
  histogram,
  moments,
  movingAverage,
  saturationFraction,
  zeroFraction,
  type Finding,
} from '../../instruments/diagnostics.ts'
import type { HistogramSeries } from '../specs.ts'

/** One layer's output (or gradient) in the panel, as the lecture prints it. */
export interface LabLayerStats {
  readonly name: string
  readonly mean: number
  readonly std: number
  /** tanh: share beyond 0.97; ReLU: share exactly 0; no activation: 0. */
  readonly saturated: number
}

export interface LabWeightStats {
  readonly name: string
  readonly std: number
  readonly gradToData: number
}

/** What the page draws after a step: every number comes from this run. */
export interface LabFrame {
  readonly step: number
  readonly vocabSize: number
  readonly parameters: number
  /** ln(vocabSize): the loss of a uniform guess. */
  readonly uniformLoss: number
  /** The loss of every step's batch, downsampled to at most MAX_POINTS points [step, loss]. */
  readonly loss: readonly (readonly [number, number])[]
  /** Its moving average over SMOOTHING steps, downsampled the same way. */
  readonly smoothed: readonly (readonly [number, number])[]
  readonly lastLoss: number
  readonly activations: readonly HistogramSeries[]
  readonly activationStats: readonly LabLayerStats[]
  readonly gradients: readonly HistogramSeries[]
  readonly gradientStats: readonly LabLayerStats[]
  readonly weightGradients: readonly HistogramSeries[]
  readonly weightStats: readonly LabWeightStats[]
  /** log10 update:data per weight, downsampled: weights[w] -> [step, value][]. */
  readonly updateToData: readonly { readonly name: string; readonly points: readonly (readonly [number, number])[] }[]
  readonly findings: readonly Finding[]
  readonly diverged: boolean
}

const MAX_POINTS = 120
const SMOOTHING = 50
const BINS = 60
const MIN_RANGE = 2 ** -64

/** The first 2^k at or above x: histogram ranges that change only when a scale doubles. */
const ceilPow2 = (x: number): number => (x > 0 && Number.isFinite(x) ? 2 ** Math.ceil(Math.log2(x)) : 1)

/** [step, mean] of consecutive runs of a series, at most MAX_POINTS of them. */
const downsampled = (values: ArrayLike<number>, count: number): [number, number][] => {
  const k = Math.max(1, Math.ceil(count / MAX_POINTS))
  const out: [number, number][] = []
  for (let start = 0; start < count; start += k) {
    const end = Math.min(count, start + k)
    let s = 0
    for (let i = start; i < end; i++) s += values[i]
    out.push([start, s / (end - start)])
  }
  return out
}

/** Histograms of several arrays over one symmetric range of about four standard deviations (tanh: [-1, 1]). */
const histogramsOf = (
  entries: readonly { label: string; values: ArrayLike<number> }[],
  bounded: boolean,
): HistogramSeries[] => {
  let m = 1
  if (!bounded) {
    let widest = 0
    for (const e of entries) {
      const { mean, std } = moments(e.values)
      if (Number.isFinite(std)) widest = Math.max(widest, Math.abs(mean) + 4 * std)
    }
    // a range no narrower than 2^-64: an axis over a range of 1e-300 cannot be ticked (values that small show at 0)
    m = Math.max(ceilPow2(widest), MIN_RANGE)
  }
  return entries.map((e) => ({ label: e.label, histogram: histogram(e.values, { bins: BINS, min: -m, max: m }) }))
}

const grow = (a: Float64Array<ArrayBuffer>, n: number): Float64Array<ArrayBuffer> => {
  if (n <= a.length) return a
  const b = new Float64Array(Math.max(n, 2 * a.length))
  b.set(a)
  return b
}

export interface LabSession {
  readonly settings: LabSettings
  /** Steps taken so far. */
  readonly steps: () => number
  /** The loss of every step so far. */
  readonly losses: () => Float64Array
  /** Takes up to n steps (fewer if the loss stops being finite); returns how many it took. */
  readonly train: (n: number) => number
  /** Changes the learning rate and batch size for the steps to come. */
  readonly retune: (learningRate: number, batchSize: number) => void
  /** The instruments after the latest step (at step 0: the network as initialised, before any update). */
  readonly frame: () => LabFrame
}

/** The corpus of a seed, kept between runs with the same seed. */
const corpusCache = new Map<string, Corpus>()
const corpusFor = (words: readonly string[], seed: number): Corpus => {
  const key = `${words.length}:${seed}`
  let c = corpusCache.get(key)
  if (c === undefined) {
    corpusCache.clear()
    c = prepareCorpus(words, seed)
    corpusCache.set(key, c)
  }
  return c
}

/**
 * A run of the lab's network on `words`. The seed splits the corpus and draws the parameters
 * and batches, as `npm start --seed` does; the learning rate is held constant (the slider).
 */
export const createSession = (words: readonly string[], settings: LabSettings): LabSession => {
  const corpus = corpusFor(words, settings.seed)
  const [model, afterInit] = initModel(configureLayers(settings, corpus.vocab.size))(seedRng(settings.seed))
  const weights = describeParams(model.layers)
    .filter((p) => p.isWeight)
    .map((p) => p.name)
  let lr = settings.learningRate
  let draw: (s: RngState) => readonly [Batch, RngState] = sampleBatch(corpus.train, settings.batchSize)
  let state: TrainState = { model, step: 0 }
  let rng = afterInit
  let loss = new Float64Array(1024)
  let ud = weights.map(() => new Float64Array(1024))
  let latest: { trace: Trace; params: Params; lr: number } | undefined
  let diverged = false
  const parameters = Object.values(model.params).reduce((n, t) => n + t.data.length, 0)

  const train = (n: number): number => {
    let taken = 0
    while (taken < n && !diverged) {
      const [batch, next] = draw(rng)
      rng = next
      const before = state.model.params
      const r = sgdStep(state, batch, lr)
      const step = state.step
      loss = grow(loss, step + 1)
      ud = ud.map((a) => grow(a, step + 1))
      loss[step] = r.trace.loss
      for (let w = 0; w < weights.length; w++)
        ud[w][step] = updateToDataRatio(lr, r.trace.paramGrads[weights[w]], before[weights[w]])
      latest = { trace: r.trace, params: before, lr }
      taken++
      if (!Number.isFinite(r.trace.loss)) diverged = true
      else state = r.state
      if (diverged) state = { ...state, step: state.step + 1 }
    }
    return taken
  }

  /** At step 0, a training pass without an update: the network as initialised. */
  const current = (): { trace: Trace; params: Params; lr: number } => {
    if (latest !== undefined) return latest
    const [batch] = draw(rng)
    const r = sgdStep(state, batch, lr)
    return { trace: r.trace, params: state.model.params, lr }
  }

  const frame = (): LabFrame => {
    const steps = state.step
    const { trace, params, lr: at } = current()
    const acts = trace.layers.filter((l) => l.kind === 'tanh' || l.kind === 'relu')
    // without a non-linearity the hidden Linear outputs are what the depth panel follows
    const panel =
      acts.length > 0 ? acts : trace.layers.filter((l, i) => l.kind === 'linear' && i < trace.layers.length - 1)
    const sat = (kind: string, v: ArrayLike<number>) =>
      kind === 'tanh' ? saturationFraction(v) : kind === 'relu' ? zeroFraction(v) : 0
    const activationStats = panel.map((l) => ({
      name: l.name,
      ...moments(l.out.data),
      saturated: sat(l.kind, l.out.data),
    }))
    const gradientStats = panel.map((l) => ({ name: l.name, ...moments(l.grad.data), saturated: 0 }))
    const bounded = panel.every((l) => l.kind === 'tanh')
    const weightNames = weights.filter((w) => trace.paramGrads[w] !== undefined)
    const weightStats = weightNames.map((w) => {
      const g = moments(trace.paramGrads[w].data)
      return { name: w, std: g.std, gradToData: g.std / moments(params[w].data).std }
    })
    const window = Math.max(Math.floor(steps / 10), steps - 100)
    const findings =
      steps === 0
        ? diagnose({ vocabSize: corpus.vocab.size, trace, params, lr: at, step: 0 })
        : diagnose({
            vocabSize: corpus.vocab.size,
            trace,
            params,
            lr: at,
            step: steps - 1,
            updateToData: { weights, log10: ud.map((a) => a.subarray(window, steps)), firstStep: window },
          })
    return {
      step: steps,
      vocabSize: corpus.vocab.size,
      parameters,
      uniformLoss: expectedInitialLoss(corpus.vocab.size),
      loss: downsampled(loss, steps),
      smoothed: downsampled(movingAverage(loss.subarray(0, steps), SMOOTHING), steps),
      lastLoss: steps === 0 ? trace.loss : loss[steps - 1],
      activations: histogramsOf(
        panel.map((l) => ({ label: l.name, values: l.out.data })),
        bounded,
      ),
      activationStats,
      gradients: histogramsOf(
        panel.map((l) => ({ label: l.name, values: l.grad.data })),
        false,
      ),
      gradientStats,
      weightGradients: histogramsOf(
        weightNames.map((w) => ({ label: w, values: trace.paramGrads[w].data })),
        false,
      ),
      weightStats,
      updateToData: weights.map((name, w) => ({ name, points: downsampled(ud[w], steps) })),
      findings,
      diverged,
    }
  }

  return {
    settings,
    steps: () => state.step,
    losses: () => loss.slice(0, state.step),
    train,
    retune: (learningRate, batchSize) => {
      lr = learningRate
      draw = sampleBatch(corpus.train, batchSize)
    },
    frame,
  }
}

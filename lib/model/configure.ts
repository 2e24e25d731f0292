/**
 * A network from the lab's knobs: which network (the lecture's one-hidden-layer MLP or its deep
 * net), how deep and wide, which non-linearity, how the weights start and whether BatchNorm
 * follows every hidden Linear. With the lecture's settings the layer specs are exactly those of
 * experiments.ts (the tests check it), so a run in the lab is a run of the lecture.
 */
import { BLOCK_SIZE, DEEP_HIDDEN, EMBEDDING_DIM, HIDDEN, type ExperimentName } from './experiments.ts'
import { batchNorm1d, embedding, linear, reluLayer, tanhLayer, type LayerSpec } from './nn.ts'
import { constant, gains, kaiming, scaledNormal, standardNormal, zerosInit, type InitScheme } from './init.ts'

export type NetworkKind = 'mlp' | 'deep'
export type ActivationKind = 'tanh' | 'relu' | 'none'
/** naive: every parameter randn (the lecture's start); fixed: its hand-picked scales; kaiming: gain / sqrt(fan_in). */
export type InitKind = 'naive' | 'fixed' | 'kaiming'

export interface LabSettings {
  readonly network: NetworkKind
  /** Hidden Linear layers (1 to 10). */
  readonly depth: number
  /** Units per hidden layer (10 to 300). */
  readonly width: number
  readonly activation: ActivationKind
  readonly init: InitKind
  /** The Kaiming gain of the hidden weights (read only when init is 'kaiming'). */
  readonly gain: number
  readonly batchNorm: boolean
  readonly learningRate: number
  readonly batchSize: number
  readonly seed: number
}

/** The ranges the lab's controls allow; `checkSettings` enforces them. */
export const LIMITS = {
  depth: [1, 10],
  width: [10, 300],
  gain: [0, 10],
  learningRate: [1e-4, 10],
  batchSize: [2, 512],
  seed: [0, 2 ** 31 - 1],
} as const

/** The lecture's deep net: five tanh layers of 100, Kaiming gain 5/3, no BatchNorm, lr 0.1, batch 32. */
export const lectureDeep: LabSettings = {
  network: 'deep',
  depth: 5,
  width: DEEP_HIDDEN,
  activation: 'tanh',
  init: 'kaiming',
  gain: gains.tanh,
  batchNorm: false,
  learningRate: 0.1,
  batchSize: 32,
  seed: 42,
}

/** The lecture's MLP: one tanh layer of 200, Kaiming gain 5/3. */
export const lectureMlp: LabSettings = { ...lectureDeep, network: 'mlp', depth: 1, width: HIDDEN }

/** The settings that rebuild one of the lecture's experiments (the lab's presets). */
export const settingsFor = (name: Exclude<ExperimentName, 'fix-softmax'>, seed = 42): LabSettings => {
  const base = name.startsWith('deep') ? lectureDeep : lectureMlp
  const init: InitKind = name === 'naive' ? 'naive' : name === 'fix-tanh' ? 'fixed' : 'kaiming'
  // the printed BatchNorm run of the deep net used gain 1.0: with BatchNorm the gain no longer sets the activations' scale
  const gain = name === 'deep-batchnorm' ? 1 : base.gain
  return { ...base, init, gain, batchNorm: name === 'batchnorm' || name === 'deep-batchnorm', seed }
}

const inRange = (x: number, [lo, hi]: readonly [number, number]) => Number.isFinite(x) && x >= lo && x <= hi

/** What is wrong with the settings, one message per knob, or [] when they build a network. */
export const checkSettings = (s: LabSettings): string[] => {
  const problems: string[] = []
  const integer = (name: 'depth' | 'width' | 'batchSize' | 'seed') => {
    const [lo, hi] = LIMITS[name]
    if (!Number.isInteger(s[name]) || !inRange(s[name], LIMITS[name]))
      problems.push(`${name} must be an integer from ${lo} to ${hi}, got ${s[name]}`)
  }
  if (s.network !== 'mlp' && s.network !== 'deep') problems.push(`network must be mlp or deep, got ${s.network}`)
  if (!['tanh', 'relu', 'none'].includes(s.activation))
    problems.push(`activation must be tanh, relu or none, got ${s.activation}`)
  if (!['naive', 'fixed', 'kaiming'].includes(s.init))
    problems.push(`init must be naive, fixed or kaiming, got ${s.init}`)
  integer('depth')
  integer('width')
  integer('batchSize')
  integer('seed')
  if (!inRange(s.gain, LIMITS.gain)) problems.push(`gain must be from 0 to 10, got ${s.gain}`)
  if (!inRange(s.learningRate, LIMITS.learningRate))
    problems.push(`learning rate must be from 0.0001 to 10, got ${s.learningRate}`)
  return problems
}

interface Scales {
  readonly hidden: InitScheme
  readonly hiddenBias: InitScheme
  readonly output: InitScheme
  readonly outputBias: InitScheme
}

/**
 * How each kind of parameter starts. The MLP's output layer starts small (W × 0.01, b = 0) once
 * the init is fixed; the deep net's last layer is scaled by 0.1 (its weights, or with BatchNorm
 * its gamma), as the lecture does.
 */
const scalesOf = (s: LabSettings): Scales => {
  if (s.init === 'naive')
    return { hidden: standardNormal, hiddenBias: standardNormal, output: standardNormal, outputBias: standardNormal }
  const hidden = s.init === 'fixed' ? scaledNormal(0.2) : kaiming(s.gain)
  if (s.network === 'mlp')
    return { hidden, hiddenBias: scaledNormal(0.01), output: scaledNormal(0.01), outputBias: zerosInit }
  return {
    hidden,
    hiddenBias: s.init === 'fixed' ? scaledNormal(0.01) : zerosInit,
    output: s.init === 'fixed' ? scaledNormal(0.01) : kaiming(0.1),
    outputBias: zerosInit,
  }
}

const activationLayer = (a: ActivationKind): LayerSpec[] =>
  a === 'tanh' ? [tanhLayer()] : a === 'relu' ? [reluLayer()] : []

/** The layer specs of a lab network for a vocabulary of `vocabSize` characters; throws on settings checkSettings rejects. */
export const configureLayers = (s: LabSettings, vocabSize: number): LayerSpec[] => {
  const problems = checkSettings(s)
  if (problems.length > 0) throw new RangeError(`lab settings: ${problems.join('; ')}`)
  const sc = scalesOf(s)
  const widths = [BLOCK_SIZE * EMBEDDING_DIM, ...Array.from({ length: s.depth }, () => s.width)]
  // the MLP's BatchNorm keeps slow running statistics (momentum 0.001), as the lecture's does
  const norm = (dim: number) => (s.network === 'mlp' ? batchNorm1d(dim, { momentum: 0.001 }) : batchNorm1d(dim))
  const hidden = widths.slice(0, -1).flatMap((fanIn, i): LayerSpec[] => [
    linear(fanIn, widths[i + 1], {
      bias: !s.batchNorm,
      weightInit: sc.hidden,
      biasInit: s.network === 'mlp' || !s.batchNorm ? sc.hiddenBias : zerosInit,
    }),
    ...(s.batchNorm ? [norm(widths[i + 1])] : []),
    ...activationLayer(s.activation),
  ])
  const last: LayerSpec[] =
    s.network === 'deep' && s.batchNorm
      ? [
          linear(s.width, vocabSize, { bias: false, weightInit: s.init === 'kaiming' ? kaiming(1) : sc.output }),
          batchNorm1d(vocabSize, { gammaInit: constant(0.1) }),
        ]
      : [linear(s.width, vocabSize, { weightInit: sc.output, biasInit: sc.outputBias })]
  return [embedding(vocabSize, EMBEDDING_DIM, BLOCK_SIZE, standardNormal), ...hidden, ...last]
}

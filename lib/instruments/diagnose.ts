/**
 * diagnose: turns the measures (measures.ts) of one training pass, and of the run it came from,
 * into findings: what is wrong, the figure that shows it next to the threshold it crossed, and the
 * fix the lecture gives. Its input is narrow: a Trace, the vocabulary size and, when known, the
 * parameters, learning rate and update:data ratios.
 */
import { updateDataBand } from './band.ts'
import { fixed, percent } from '../engine/format.ts'
import type { Params, Trace } from '../model/nn.ts'
import {
  activationStats,
  deadUnitsByLayer,
  hiddenLayers,
  hiddenWeights,
  learningRateWindow,
  median,
  moments,
  SATURATION,
  summarizeUpdateToData,
  updateToDataAt,
  updateToDataWindow,
  type UpdateToDataSeries,
} from './measures.ts'

// ---------------------------------------------------------------------------------------------
// diagnose

export type FindingKind =
  | 'confidently-wrong'
  | 'saturated'
  | 'dead-units'
  | 'vanishing'
  | 'exploding'
  | 'lr-too-high'
  | 'lr-too-low'
  | 'nan'

/** Every kind, in the order findings are listed. */
export const findingKinds: readonly FindingKind[] = [
  'nan',
  'confidently-wrong',
  'saturated',
  'dead-units',
  'vanishing',
  'exploding',
  'lr-too-high',
  'lr-too-low',
]

/** The measured figure behind a finding and the threshold it crossed. */
export interface Evidence {
  /** What was measured, e.g. "initial loss", "share of |t| > 0.97". */
  readonly measure: string
  readonly value: number
  readonly threshold: number
  /** How value compares with threshold for the finding to hold. */
  readonly comparison: '>' | '<'
}

export interface Finding {
  readonly kind: FindingKind
  /** Where it was found: a layer ("tanh1"), a weight ("linear2.weight"), "output", "activations" or "gradients". */
  readonly where: string
  /** The problem in the lecture's words. */
  readonly title: string
  /** What was measured and what it means, with the numbers. */
  readonly message: string
  readonly evidence: Evidence
  /** What the lecture does about it. */
  readonly fix: string
}

/** Where each finding starts. */
export interface Thresholds {
  /** confidently-wrong: initial loss above ln V + this many nats. */
  readonly lossAboveUniform: number
  /** |t| above which a tanh output counts as saturated (the panel's 0.97). */
  readonly saturationLevel: number
  /** saturated: more than this share of a tanh layer's outputs saturated. */
  readonly saturatedShare: number
  /** |t| above which a tanh unit is dead when it holds for every example (the map's 0.99). */
  readonly deadLevel: number
  /** dead-units: more than this share of a layer's units dead for the whole batch. */
  readonly deadShare: number
  /** vanishing: std of the deepest activation below this times the first's (gradients: the first layer's below this times the deepest's). */
  readonly shrink: number
  /** exploding: std above this times. */
  readonly grow: number
  /** lr-too-high: median log10 update:data above this (-3 is healthy). */
  readonly updateHigh: number
  /** lr-too-low: median log10 update:data below this. */
  readonly updateLow: number
}

/**
 * Defaults. The lecture's well-initialised deep tanh net shows std about 0.65 and under 5% of
 * units beyond 0.97 in its deeper layers, but 20% in its first (pre-activations of std 5/3): a
 * layer is flagged only when a third of its outputs are saturated. A deep ReLU net with Kaiming
 * init has some 10% of its units silent for a whole batch of 32, so dead units are flagged from a
 * quarter. Across depth the healthy deep nets change their scale by up to 2× (the BatchNorm net's
 * gradients at initialisation): a factor 3 either way is flagged. update:data should sit near 1e-3;
 * a decade either way is flagged.
 */
export const defaultThresholds: Thresholds = {
  lossAboveUniform: 1,
  saturationLevel: SATURATION.panel,
  saturatedShare: 1 / 3,
  deadLevel: SATURATION.map,
  deadShare: 0.25,
  shrink: 1 / 3,
  grow: 3,
  updateHigh: updateDataBand.to,
  updateLow: updateDataBand.from,
}

export { updateDataBand }

/**
 * What diagnose reads: one Trace (one training pass: every layer's output and gradient) plus
 * what is known about the run it came from. Only `vocabSize` and `trace` are needed; `params`
 * (the parameters the trace was taken with) and `lr` give the one-step update:data ratio, and a
 * series of update:data ratios over many steps replaces it when given.
 */
export interface DiagnoseInput {
  readonly vocabSize: number
  readonly trace: Trace
  /** The loss before any training step; defaults to the trace's loss. */
  readonly initialLoss?: number
  readonly params?: Params
  readonly lr?: number
  readonly updateToData?: UpdateToDataSeries
  /** The step the trace was taken at, for the messages. */
  readonly step?: number
  readonly thresholds?: Partial<Thresholds>
}

/** Fixed decimals for messages, never "-0.00". */
const fmt = fixed
const pct = (x: number): string => percent(x)

const countNonFinite = (a: ArrayLike<number>): number => {
  let c = 0
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) c++
  return c
}

/** The first place (in forward order) holding a NaN or infinite value, and how many such values there are. */
const nonFinite = (input: DiagnoseInput): { where: string; count: number } | undefined => {
  const places: [string, ArrayLike<number>][] = [
    ...Object.entries(input.params ?? {}).map(([n, t]): [string, ArrayLike<number>] => [n, t.data]),
    ...input.trace.layers.map((l): [string, ArrayLike<number>] => [`${l.name} output`, l.out.data]),
    ['loss', input.initialLoss === undefined ? [input.trace.loss] : [input.initialLoss, input.trace.loss]],
    ...[...input.trace.layers].reverse().map((l): [string, ArrayLike<number>] => [`${l.name} gradient`, l.grad.data]),
    ...Object.entries(input.trace.paramGrads).map(([n, t]): [string, ArrayLike<number>] => [`${n} gradient`, t.data]),
  ]
  let first: string | undefined,
    count = 0
  for (const [where, data] of places) {
    const c = countNonFinite(data)
    if (c > 0 && first === undefined) first = where
    count += c
  }
  return first === undefined ? undefined : { where: first, count }
}

/** Findings from a Trace and what is known about its run; an empty list is a healthy network. A NaN hides every other finding. */
export const diagnose = (input: DiagnoseInput): Finding[] => {
  const t: Thresholds = { ...defaultThresholds, ...input.thresholds }
  const { trace, vocabSize } = input
  const at = input.step === undefined ? '' : ` at step ${input.step}`

  const bad = nonFinite(input)
  if (bad !== undefined) {
    return [
      {
        kind: 'nan',
        where: bad.where,
        title: 'NaN or infinite values',
        message: `${bad.count} value(s) are NaN or infinite${at}; the first is in ${bad.where}. The numbers overflowed: nothing after this point means anything.`,
        evidence: { measure: 'non-finite values', value: bad.count, threshold: 0, comparison: '>' },
        fix: 'Lower the learning rate and check the initialisation (Kaiming std gain/√fan_in); a loss that overflows usually means steps far too large for the scale of the weights.',
      },
    ]
  }

  const findings: Finding[] = []

  // The output layer: a first loss far above ln V means the logits are large and confidently wrong.
  const uniform = Math.log(vocabSize)
  const initialLoss = input.initialLoss ?? trace.loss
  if (initialLoss > uniform + t.lossAboveUniform) {
    const logits = trace.layers[trace.layers.length - 1]?.out
    const spread =
      logits === undefined
        ? ''
        : ` The logits have std ${fmt(moments(logits.data).std)}, so softmax puts nearly all its mass on one character.`
    findings.push({
      kind: 'confidently-wrong',
      where: 'output',
      title: 'Confidently wrong output layer',
      message: `The initial loss is ${fmt(initialLoss)}, far above ln ${vocabSize} = ${fmt(uniform)}, the loss of a uniform guess.${spread}`,
      evidence: {
        measure: 'initial loss',
        value: initialLoss,
        threshold: uniform + t.lossAboveUniform,
        comparison: '>',
      },
      fix: 'Initialise the output bias b2 to zero and scale the output weights W2 down (× 0.01) so the logits start near zero and the first loss is ln V.',
    })
  }

  // Hidden tanh layers: saturation, then units dead for the whole batch.
  for (const s of activationStats(trace, t.saturationLevel)) {
    if (s.kind === 'tanh' && s.saturated > t.saturatedShare) {
      findings.push({
        kind: 'saturated',
        where: s.name,
        title: 'Saturated tanh layer',
        message: `${pct(s.saturated)} of ${s.name}'s outputs are beyond ±${t.saturationLevel}${at} (std ${fmt(s.std)}): there 1 - t² ≈ 0, so the gradient barely passes.`,
        evidence: {
          measure: `share of |t| > ${t.saturationLevel}`,
          value: s.saturated,
          threshold: t.saturatedShare,
          comparison: '>',
        },
        fix: "Scale down the weights and bias feeding this tanh (the lecture's W1 × 0.2, or Kaiming std (5/3)/√fan_in), or put BatchNorm before it.",
      })
    }
  }
  for (const d of deadUnitsByLayer(trace, t.deadLevel)) {
    if (d.fraction > t.deadShare) {
      const how = d.kind === 'tanh' ? `saturated (|t| > ${t.deadLevel})` : 'zero'
      findings.push({
        kind: 'dead-units',
        where: d.name,
        title: 'Dead units',
        message: `${d.units.length} of ${d.total} units of ${d.name} (${pct(d.fraction)}) are ${how} for every one of the ${d.examples} examples${at}: no gradient reaches their weights.`,
        evidence: {
          measure: 'share of units dead for the whole batch',
          value: d.fraction,
          threshold: t.deadShare,
          comparison: '>',
        },
        fix:
          d.kind === 'relu'
            ? 'Initialise with Kaiming (gain √2) and a bias that is not negative, or lower the learning rate: a ReLU unit whose input is always negative never recovers.'
            : 'Scale down the weights and bias feeding the layer (Kaiming std (5/3)/√fan_in), or put BatchNorm before the tanh.',
      })
    }
  }

  // Depth: does the signal keep its scale forward (activations) and backward (gradients)?
  const deep = hiddenLayers(trace.layers)
  if (deep.length >= 3) {
    const first = deep[0],
      last = deep[deep.length - 1]
    const fwd = moments(last.out.data).std / moments(first.out.data).std
    const bwd = moments(first.grad.data).std / moments(last.grad.data).std
    const gainFix =
      'Initialise every hidden weight with Kaiming std gain/√fan_in (gain 5/3 for tanh, √2 for ReLU, 1 for linear), or add BatchNorm after each Linear.'
    const check = (ratio: number, where: 'activations' | 'gradients', text: (dir: string) => string): void => {
      if (ratio < t.shrink)
        findings.push({
          kind: 'vanishing',
          where,
          title: where === 'activations' ? 'Activations shrink across depth' : 'Gradients shrink towards the input',
          message: text('shrinks'),
          evidence: {
            measure: `std ratio ${where === 'activations' ? `${last.name}/${first.name}` : `${first.name}/${last.name} (gradients)`}`,
            value: ratio,
            threshold: t.shrink,
            comparison: '<',
          },
          fix: `The weights are too small for the depth. ${gainFix}`,
        })
      else if (ratio > t.grow)
        findings.push({
          kind: 'exploding',
          where,
          title: where === 'activations' ? 'Activations grow across depth' : 'Gradients grow towards the input',
          message: text('grows'),
          evidence: {
            measure: `std ratio ${where === 'activations' ? `${last.name}/${first.name}` : `${first.name}/${last.name} (gradients)`}`,
            value: ratio,
            threshold: t.grow,
            comparison: '>',
          },
          fix: `The weights are too large for the depth. ${gainFix}`,
        })
    }
    check(
      fwd,
      'activations',
      (dir) =>
        `The std of the activations ${dir} from ${fmt(moments(first.out.data).std, 3)} in ${first.name} to ${fmt(moments(last.out.data).std, 3)} in ${last.name} (× ${fmt(fwd, 3)} over ${deep.length} layers)${at}.`,
    )
    check(
      bwd,
      'gradients',
      (dir) =>
        `The std of the gradient ${dir} from ${fmt(moments(last.grad.data).std, 6)} at ${last.name} to ${fmt(moments(first.grad.data).std, 6)} at ${first.name} (× ${fmt(bwd, 3)} over ${deep.length} layers)${at}.`,
    )
  }

  // The learning rate, read off update:data of the hidden weights: about -3 in log10 is healthy.
  const judged = hiddenWeights(trace.layers)
  const all =
    input.updateToData !== undefined
      ? summarizeUpdateToData(input.updateToData)
      : input.params !== undefined && input.lr !== undefined
        ? updateToDataAt(trace.paramGrads, input.params, input.lr)
        : []
  const ratios = all.filter((r) => judged.includes(r.name) && Number.isFinite(r.medianLog10))
  if (ratios.length > 0) {
    const level = median(ratios.map((r) => r.medianLog10))
    const over =
      input.updateToData !== undefined
        ? `median over steps ${input.updateToData.firstStep ?? 0}–${(input.updateToData.firstStep ?? 0) + Math.max(...ratios.map((r) => r.steps)) - 1}`
        : `one step at learning rate ${input.lr}`
    const each = ratios.map((r) => `${r.name} ${fmt(r.medianLog10)}`).join(', ')
    const where = ratios.length === 1 ? ratios[0].name : 'hidden weights'
    if (level > t.updateHigh)
      findings.push({
        kind: 'lr-too-high',
        where,
        title: 'Update:data ratio far above 1e-3',
        message: `log10 update:data is ${fmt(level)} (${over}; ${each}): each step changes the weights by ${pct(10 ** level)} of their size, the rudder yanked back and forth.`,
        evidence: {
          measure: 'log10 update:data (median over weights)',
          value: level,
          threshold: t.updateHigh,
          comparison: '>',
        },
        fix: 'Lower the learning rate until log10 update:data sits near -3.',
      })
    else if (level < t.updateLow)
      findings.push({
        kind: 'lr-too-low',
        where,
        title: 'Update:data ratio far below 1e-3',
        message: `log10 update:data is ${fmt(level)} (${over}; ${each}): each step changes the weights by ${pct(10 ** level)} of their size, so training crawls.`,
        evidence: {
          measure: 'log10 update:data (median over weights)',
          value: level,
          threshold: t.updateLow,
          comparison: '<',
        },
        fix: 'Raise the learning rate until log10 update:data sits near -3.',
      })
  }

  return findings.sort((a, b) => findingKinds.indexOf(a.kind) - findingKinds.indexOf(b.kind))
}

/** The kinds found, each once, in the order of `findingKinds`: what a kata compares a learner's verdict with. */
export const verdict = (findings: readonly Finding[]): FindingKind[] =>
  findingKinds.filter((k) => findings.some((f) => f.kind === k))

// ---------------------------------------------------------------------------------------------
// Runs

/** What diagnoseRun reads of a finished run (an ExperimentRun has it). */
export interface RunRecord {
  readonly vocabSize: number
  readonly initLoss: number
  readonly history: {
    readonly lr: ArrayLike<number>
    readonly weights: readonly string[]
    readonly updateToData: readonly Float64Array[]
    readonly snapshots: readonly {
      readonly step: number
      readonly trace: Trace
      readonly params: Params
      readonly lr: number
    }[]
  }
}

/**
 * Diagnoses a finished run: the Trace of its first snapshot (the state the lecture inspects at
 * initialisation, with the first loss) and the update:data ratios of its training.
 */
export const diagnoseRun = (run: RunRecord, thresholds?: Partial<Thresholds>): Finding[] => {
  const first = run.history.snapshots[0]
  if (first === undefined) return []
  const { from, to } = learningRateWindow(run.history.lr)
  return diagnose({
    vocabSize: run.vocabSize,
    trace: first.trace,
    initialLoss: run.initLoss,
    params: first.params,
    lr: first.lr,
    updateToData: updateToDataWindow(run.history, from, to),
    step: first.step,
    thresholds,
  })
}

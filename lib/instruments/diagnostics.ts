/**
 * The instrument panel: what to read off a Trace and a History to tell whether a network trains.
 *
 * Histograms with fixed bins, layer statistics (mean, std, share of saturated units), dead units,
 * gradient statistics per layer output, grad:data per weight, update:data over time, and
 * `diagnose`, which turns those figures into findings: what is wrong, the figure that shows it
 * next to the threshold it crossed, and the fix the lecture gives. Everything here is pure; the
 * loops over tensors are plain loops over their Float64Arrays.
 */
import type { Tensor } from '../engine/tensor.ts'
import type { LayerKind, Params, Trace } from '../model/nn.ts'
import { gradToDataRatio, updateToDataRatio } from '../model/train.ts'
import type { ExperimentRun } from '../model/experiments.ts'

// ---------------------------------------------------------------------------------------------
// Histograms

/** Fixed bins: `bins` bins of equal width covering [min, max]. */
export interface Bins {
  readonly bins: number
  readonly min: number
  readonly max: number
}

/**
 * Counts of values in fixed bins. Bin i holds [edges[i], edges[i+1]); the last bin also holds
 * `max`. Finite values outside [min, max] are clamped into the edge bins (so the counts sum to
 * the number of finite values) and are also reported in `below` and `above`, so a chart can say
 * how many it clamped. NaN and ±Infinity go into no bin; `nonFinite` counts them.
 */
export interface Histogram {
  readonly min: number
  readonly max: number
  /** bins + 1 edges, from min to max. */
  readonly edges: Float64Array
  readonly counts: Float64Array
  /** counts / (total * bin width): the histogram as a density, integrating to 1. */
  readonly density: Float64Array
  /** Finite values counted: the sum of `counts`. */
  readonly total: number
  /** Finite values below `min`, counted in the first bin. */
  readonly below: number
  /** Finite values above `max`, counted in the last bin. */
  readonly above: number
  /** NaN and infinite values, counted in no bin. */
  readonly nonFinite: number
}

const checkBins = ({ bins, min, max }: Bins): void => {
  if (!Number.isInteger(bins) || bins < 1)
    throw new RangeError(`histogram: bins must be a positive integer, got ${bins}`)
  if (!(Number.isFinite(min) && Number.isFinite(max) && min < max))
    throw new RangeError(`histogram: needs finite min < max, got [${min}, ${max}]`)
}

/** The histogram of `values` over fixed bins (see `Histogram` for where out-of-range values go). */
export const histogram = (values: ArrayLike<number>, spec: Bins): Histogram => {
  checkBins(spec)
  const { bins, min, max } = spec
  const width = (max - min) / bins
  const counts = new Float64Array(bins)
  let total = 0,
    below = 0,
    above = 0,
    nonFinite = 0
  for (let i = 0; i < values.length; i++) {
    const x = values[i]
    if (!Number.isFinite(x)) {
      nonFinite++
      continue
    }
    let b: number
    if (x < min) {
      below++
      b = 0
    } else if (x > max) {
      above++
      b = bins - 1
    } else b = Math.min(bins - 1, Math.floor((x - min) / width))
    counts[b]++
    total++
  }
  const edges = new Float64Array(bins + 1)
  for (let i = 0; i <= bins; i++) edges[i] = i === bins ? max : min + i * width
  const density = new Float64Array(bins)
  if (total > 0) for (let i = 0; i < bins; i++) density[i] = counts[i] / (total * width)
  return { min, max, edges, counts, density, total, below, above, nonFinite }
}

/**
 * A symmetric range [-m, m] that holds every finite value of every array: the shared x axis for
 * histograms that are compared (the gradients of several layers). m is 1 when all values are 0.
 */
export const symmetricRange = (
  arrays: readonly ArrayLike<number>[],
): { readonly min: number; readonly max: number } => {
  let m = 0
  for (const a of arrays)
    for (let i = 0; i < a.length; i++) {
      const v = Math.abs(a[i])
      if (Number.isFinite(v) && v > m) m = v
    }
  if (m === 0) m = 1
  return { min: -m, max: m }
}

// ---------------------------------------------------------------------------------------------
// Layer statistics

/** The lecture's saturation thresholds: |t| > 0.97 for the deep net's panel, > 0.99 for the map. */
export const SATURATION = { panel: 0.97, map: 0.99 } as const

/** Mean and standard deviation (population, divide by N) of the finite values; NaN if none. */
export interface Moments {
  readonly mean: number
  readonly std: number
}

export const moments = (values: ArrayLike<number>): Moments => {
  let n = 0,
    s = 0
  for (let i = 0; i < values.length; i++)
    if (Number.isFinite(values[i])) {
      s += values[i]
      n++
    }
  if (n === 0) return { mean: NaN, std: NaN }
  const mean = s / n
  let ss = 0
  for (let i = 0; i < values.length; i++)
    if (Number.isFinite(values[i])) {
      const d = values[i] - mean
      ss += d * d
    }
  return { mean, std: Math.sqrt(ss / n) }
}

/** The share of values with |x| > threshold: the lecture's `(t.abs() > 0.97).float().mean()`. */
export const saturationFraction = (values: ArrayLike<number>, threshold: number = SATURATION.panel): number => {
  if (values.length === 0) return 0
  let c = 0
  for (let i = 0; i < values.length; i++) if (Math.abs(values[i]) > threshold) c++
  return c / values.length
}

/** The share of values that are exactly 0 (ReLU units that did not fire). */
export const zeroFraction = (values: ArrayLike<number>): number => {
  if (values.length === 0) return 0
  let c = 0
  for (let i = 0; i < values.length; i++) if (values[i] === 0) c++
  return c / values.length
}

/** One layer's output, as the lecture prints it: `layer 3 (Tanh): mean -0.00, std 0.69, saturated: 8.38%`. */
export interface LayerStats {
  /** Position in the model (0 is the embedding). */
  readonly index: number
  readonly name: string
  readonly kind: LayerKind
  readonly mean: number
  readonly std: number
  /** tanh: share with |t| > threshold; relu: share exactly 0; other layers: 0. */
  readonly saturated: number
  readonly count: number
}

const isActivation = (kind: LayerKind): kind is 'tanh' | 'relu' => kind === 'tanh' || kind === 'relu'

const statsOf = (index: number, name: string, kind: LayerKind, t: Tensor, threshold: number): LayerStats => {
  const { mean, std } = moments(t.data)
  const saturated = kind === 'tanh' ? saturationFraction(t.data, threshold) : kind === 'relu' ? zeroFraction(t.data) : 0
  return { index, name, kind, mean, std, saturated, count: t.data.length }
}

/** Statistics of every layer's output (`layer.out`) in a Trace. */
export const layerStats = (trace: Trace, threshold: number = SATURATION.panel): LayerStats[] =>
  trace.layers.map((l, i) => statsOf(i, l.name, l.kind, l.out, threshold))

/** Statistics of the outputs of the activation layers (tanh, ReLU): the lecture's forward-pass panel. */
export const activationStats = (trace: Trace, threshold: number = SATURATION.panel): LayerStats[] =>
  layerStats(trace, threshold).filter((s) => isActivation(s.kind))

/** The gradient of one layer's output (`layer.out.grad`). */
export interface GradientStats {
  readonly index: number
  readonly name: string
  readonly kind: LayerKind
  readonly mean: number
  readonly std: number
}

/** Mean and std of every layer's output gradient in a Trace. */
export const gradientStats = (trace: Trace): GradientStats[] =>
  trace.layers.map((l, i) => ({ index: i, name: l.name, kind: l.kind, ...moments(l.grad.data) }))

// ---------------------------------------------------------------------------------------------
// Dead units and the saturation map

/**
 * Units (columns of a [batch, units] output) that are dead for the whole batch: a tanh unit with
 * |t| > threshold for every example, a ReLU unit that is 0 for every example. No gradient reaches
 * their weights from this batch.
 */
export const deadUnits = (out: Tensor, kind: 'tanh' | 'relu', threshold: number = SATURATION.map): number[] => {
  const [m, n] = out.shape.length === 2 ? [out.shape[0], out.shape[1]] : [1, out.data.length]
  const dead: number[] = []
  for (let j = 0; j < n; j++) {
    let all = m > 0
    for (let i = 0; i < m && all; i++) {
      const x = out.data[i * n + j]
      all = kind === 'tanh' ? Math.abs(x) > threshold : x === 0
    }
    if (all) dead.push(j)
  }
  return dead
}

/** Dead units of one activation layer in a Trace. */
export interface DeadUnitsReport {
  readonly index: number
  readonly name: string
  readonly kind: 'tanh' | 'relu'
  readonly units: readonly number[]
  readonly total: number
  readonly fraction: number
  readonly examples: number
}

/** Dead units of every activation layer in a Trace. */
export const deadUnitsByLayer = (trace: Trace, threshold: number = SATURATION.map): DeadUnitsReport[] =>
  trace.layers.flatMap((l, i): DeadUnitsReport[] => {
    if (!isActivation(l.kind)) return []
    const units = deadUnits(l.out, l.kind, threshold)
    const total = l.out.shape.length === 2 ? l.out.shape[1] : l.out.data.length
    const examples = l.out.shape.length === 2 ? l.out.shape[0] : 1
    return [
      {
        index: i,
        name: l.name,
        kind: l.kind,
        units,
        total,
        fraction: total === 0 ? 0 : units.length / total,
        examples,
      },
    ]
  })

/**
 * The lecture's `plt.imshow(h.abs() > 0.99, cmap='gray')`: one row per example, one column per
 * unit, 1 where the unit is saturated. A column of 1s is a dead unit.
 */
export interface SaturationMap {
  readonly examples: number
  readonly units: number
  /** examples * units, row-major. */
  readonly saturated: Uint8Array
  readonly threshold: number
}

/** The saturation map of the first `maxExamples` rows and `maxUnits` columns of a layer's output. */
export const saturationMap = (
  out: Tensor,
  threshold: number = SATURATION.map,
  maxExamples = 32,
  maxUnits = 200,
): SaturationMap => {
  const [m, n] = out.shape.length === 2 ? [out.shape[0], out.shape[1]] : [1, out.data.length]
  const examples = Math.min(m, maxExamples),
    units = Math.min(n, maxUnits)
  const saturated = new Uint8Array(examples * units)
  for (let i = 0; i < examples; i++)
    for (let j = 0; j < units; j++) saturated[i * units + j] = Math.abs(out.data[i * n + j]) > threshold ? 1 : 0
  return { examples, units, saturated, threshold }
}

// ---------------------------------------------------------------------------------------------
// Weights: grad:data now, update:data over time

/** A weight's gradient, as the lecture prints it: `weight (30, 100) | mean ... | std ... | grad:data ratio ...`. */
export interface WeightGradStats {
  readonly name: string
  readonly shape: readonly number[]
  readonly mean: number
  readonly std: number
  /** std(grad) / std(weight), train.ts's gradToDataRatio. */
  readonly gradToData: number
}

/** Gradient statistics of every 2-D parameter (the lecture's `if p.ndim == 2`, so the embedding too). */
export const weightGradStats = (paramGrads: Params, params: Params): WeightGradStats[] =>
  Object.keys(params).flatMap((name): WeightGradStats[] => {
    const p = params[name],
      g = paramGrads[name]
    if (p.shape.length !== 2 || g === undefined) return []
    return [{ name, shape: p.shape, ...moments(g.data), gradToData: gradToDataRatio(g, p) }]
  })

/** log10 update:data per weight over consecutive steps (History.weights and History.updateToData). */
export interface UpdateToDataSeries {
  readonly weights: readonly string[]
  /** log10 update:data, weights[w] -> one value per step. */
  readonly log10: readonly ArrayLike<number>[]
  /** The step of the first value (for evidence text); 0 unless a window was cut. */
  readonly firstStep?: number
}

/** The steps [from, to) of a History's update:data ratios. */
export const updateToDataWindow = (
  history: { readonly weights: readonly string[]; readonly updateToData: readonly Float64Array[] },
  from: number,
  to: number,
): UpdateToDataSeries => ({
  weights: history.weights,
  log10: history.updateToData.map((s) => s.subarray(Math.max(0, from), Math.max(0, Math.min(to, s.length)))),
  firstStep: Math.max(0, from),
})

/** The middle value of the finite values (mean of the two middle ones for an even count); NaN if none. */
export const median = (values: ArrayLike<number>): number => {
  const xs: number[] = []
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) xs.push(values[i])
  if (xs.length === 0) return NaN
  xs.sort((a, b) => a - b)
  const h = xs.length >> 1
  return xs.length % 2 === 1 ? xs[h] : (xs[h - 1] + xs[h]) / 2
}

/** One weight's update:data ratio over a window: its median log10 is what the diagnosis reads. */
export interface UpdateToDataSummary {
  readonly name: string
  readonly medianLog10: number
  readonly steps: number
}

export const summarizeUpdateToData = (series: UpdateToDataSeries): UpdateToDataSummary[] =>
  series.weights.map((name, w) => ({ name, medianLog10: median(series.log10[w]), steps: series.log10[w].length }))

/** log10 update:data of every weight for one step of SGD with learning rate `lr` (train.ts's updateToDataRatio). */
export const updateToDataAt = (paramGrads: Params, params: Params, lr: number): UpdateToDataSummary[] =>
  Object.keys(params).flatMap((name): UpdateToDataSummary[] => {
    const p = params[name],
      g = paramGrads[name]
    if (p.shape.length !== 2 || g === undefined || name.startsWith('embedding')) return []
    return [{ name, medianLog10: updateToDataRatio(lr, g, p), steps: 1 }]
  })

/** Moving average over a trailing window of `window` values (fewer at the start). */
export const movingAverage = (values: ArrayLike<number>, window: number): Float64Array => {
  const w = Math.max(1, Math.floor(window))
  const out = new Float64Array(values.length)
  let s = 0
  for (let i = 0; i < values.length; i++) {
    s += values[i]
    if (i >= w) s -= values[i - w]
    out[i] = s / Math.min(i + 1, w)
  }
  return out
}

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
  updateHigh: -2,
  updateLow: -4,
}

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
const fmt = (x: number, digits = 2): string => {
  if (!Number.isFinite(x)) return String(x)
  const s = x.toFixed(digits)
  return Number(s) === 0 ? s.replace('-', '') : s
}
const pct = (x: number): string => `${fmt(100 * x, 1)}%`

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

/** Layers whose stds are compared across depth: the activations, or the hidden Linear outputs of a stack without any. */
const depthLayers = (trace: Trace): number[] => {
  const acts = trace.layers.flatMap((l, i) => (isActivation(l.kind) ? [i] : []))
  if (acts.length > 0) return acts
  return trace.layers.flatMap((l, i) => (l.kind === 'linear' && i < trace.layers.length - 1 ? [i] : []))
}

/**
 * The weights whose update:data judges the learning rate: every Linear weight but the output
 * layer's, which starts deliberately small (× 0.01 or × 0.1) and so has a high ratio by
 * construction (the lecture's outlier); the output layer's when it is the only one.
 */
const judgedWeights = (trace: Trace): string[] => {
  const linears = trace.layers.filter((l) => l.kind === 'linear').map((l) => `${l.name}.weight`)
  return linears.length > 1 ? linears.slice(0, -1) : linears
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
  const deep = depthLayers(trace)
  if (deep.length >= 3) {
    const first = trace.layers[deep[0]],
      last = trace.layers[deep[deep.length - 1]]
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
  const judged = judgedWeights(trace)
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

/**
 * The window of steps whose update:data ratios judge the learning rate: the steps trained at the
 * first learning rate (from the run's per-step record), after the first 10% (the last layer's ratio starts high while
 * its deliberately small weights grow).
 */
export const learningRateWindow = (lr: ArrayLike<number>): { readonly from: number; readonly to: number } => {
  let to = 0
  while (to < lr.length && lr[to] === lr[0]) to++
  return { from: Math.floor(to / 10), to }
}

/**
 * Diagnoses a finished run: the Trace of its first snapshot (the state the lecture inspects at
 * initialisation, with the first loss) and the update:data ratios of its training.
 */
export const diagnoseRun = (run: ExperimentRun, thresholds?: Partial<Thresholds>): Finding[] => {
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

/**
 * Measures: what to read off a Trace and a History to tell whether a network trains. Histograms
 * with fixed bins, layer statistics (mean, std, share of saturated units), dead units and the
 * saturation map, gradient statistics per layer output, grad:data per weight and update:data over
 * time. Everything here is pure; the loops over tensors are plain loops over their Float64Arrays.
 * diagnose.ts turns these figures into findings.
 */
import type { Tensor } from '../engine/tensor.ts'
import type { LayerKind, Params, Trace } from '../model/nn.ts'
import { gradToDataRatio, updateToDataRatio } from '../model/train.ts'
import { moments, type Moments as EngineMoments } from '../engine/ops.ts'

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

/** Mean and population std of the finite values: declared once, in the engine, beside the other reductions. */
export { moments } from '../engine/ops.ts'
/** @public what `moments` returns, under the name this module has always given it */
export type Moments = EngineMoments

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

/** tanh and ReLU: the layers whose outputs saturate or die. */
export const isActivation = (kind: LayerKind): kind is 'tanh' | 'relu' => kind === 'tanh' || kind === 'relu'

/**
 * The hidden layers, whose outputs are compared across depth: the activations (tanh, ReLU), or the
 * Linear outputs but the last of a stack without any.
 */
export const hiddenLayers = <L extends { readonly kind: LayerKind }>(layers: readonly L[]): L[] => {
  const acts = layers.filter((l) => isActivation(l.kind))
  return acts.length > 0 ? acts : layers.filter((l, i) => l.kind === 'linear' && i < layers.length - 1)
}

/**
 * The hidden weights, whose update:data judges the learning rate: every Linear weight but the output
 * layer's, which starts deliberately small (× 0.01 or × 0.1) and so has a high ratio by construction
 * (the lecture's outlier); the output layer's when it is the only one.
 */
export const hiddenWeights = (layers: readonly { readonly name: string; readonly kind: LayerKind }[]): string[] => {
  const linears = layers.filter((l) => l.kind === 'linear').map((l) => `${l.name}.weight`)
  return linears.length > 1 ? linears.slice(0, -1) : linears
}

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

/**
 * What the checks of this kata build on: fixtures, reference computations and the feedback that
 * names the slip a failing check sees.
 */
import fc from 'fast-check'
import type { ExperimentName } from '../../lib/model/experiments.ts'
import { batchOf, findExperiment, vocabulary } from '../../lib/course/fixtures.ts'
import { initModel, trainingPass, type Model, type Trace } from '../../lib/model/nn.ts'
import { evalRng } from '../../lib/engine/random.ts'
import { uniformValue } from '../../lib/engine/arbitraries.ts'

export { tensorOf } from '../../lib/engine/arbitraries.ts'
export type { Tensor } from '../../lib/engine/tensor.ts'

// ---------------------------------------------------------------------------------------------
// The lecture's networks at initialisation, one training pass each on a batch of 32 names' contexts

const batch = batchOf(32, 2)

const passes = new Map<ExperimentName, { model: Model; trace: Trace }>()
/** The model of a lecture experiment (seed 1) and the Trace of its first training pass. */
export const atInit = (name: ExperimentName) => {
  let p = passes.get(name)
  if (p === undefined) {
    const model = evalRng(initModel(findExperiment(name)!.layers(vocabulary().size)), 1)
    p = { model, trace: trainingPass(model, batch.X, batch.Y).trace }
    passes.set(name, p)
  }
  return p
}

/** Reference moments: mean and std dividing by N. */
export const moments = (xs: ArrayLike<number>) => {
  let s = 0
  for (let i = 0; i < xs.length; i++) s += xs[i]
  const mean = s / xs.length
  let ss = 0
  for (let i = 0; i < xs.length; i++) ss += (xs[i] - mean) ** 2
  return { mean, std: Math.sqrt(ss / xs.length) }
}
/** std is accepted divided by N or by N - 1: they differ by less than 1e-3 on thousands of numbers. */
export const closeStd = (got: number, want: number) => Math.abs(got - want) <= 1e-3 * want + 1e-15

/**
 * What to say when the largest value missed the last bin: floor((max - min) / width) gives it
 * index `bins`, one past the end (the classic off-by-one of a histogram).
 */
export const largestValueHint = (xs: readonly number[], counts: ArrayLike<number>, bins: number): string => {
  const lo = Math.min(...xs),
    hi = Math.max(...xs)
  if (lo === hi) return ''
  const atMax = xs.filter((x) => x === hi).length
  let inBins = 0
  for (let i = 0; i < Math.min(bins, counts.length); i++) inBins += counts[i]
  // an array grows a count at index `bins`; a typed array drops it, and the total falls short by the largest values
  return counts.length > bins || inBins === xs.length - atMax
    ? ` For the largest value (${hi}), floor((x - min) / width) is ${bins}, one past the last bin: cap the index at ${bins - 1}.`
    : ''
}

export const values = fc.array(uniformValue(3), { minLength: 1, maxLength: 200 })
export const hiddenWeights = ['linear1.weight', 'linear2.weight', 'linear3.weight', 'linear4.weight', 'linear5.weight']

// ---------------------------------------------------------------------------------------------

/** Why a histogram's density does not have area 1: the bin width it divides by, or no width at all. */
export const densityVerdict = (
  n: number,
  edges: readonly number[],
  counts: readonly number[],
  density: readonly number[],
): string => {
  const bins = counts.length
  const width = (edges[bins] - edges[0]) / bins
  const k = counts.findIndex((c) => c > 0)
  if (k < 0 || density[k] === 0) return 'density = count / (number of values * bin width), so its area is 1'
  const implied = counts[k] / (n * density[k])
  const fmt = (x: number) => String(Number(x.toPrecision(4)))
  if (Math.abs(implied - width) > 1e-9 * Math.max(1, width))
    return `your density divides by a bin width of ${fmt(implied)}${Math.abs(implied - 1) < 1e-9 ? ' (or by none: count / number of values is a share)' : ''}, but the bins are (max - min) / bins = ${fmt(width)} wide: density = count / (number of values * bin width), so its area is 1`
  return 'density = count / (number of values * bin width), so its area is 1'
}

/** What the common slips of judgeLearningRate would say on these ratios, and which one `got` matches. */
export const judgeSlip = (ratios: readonly number[], got: string): string => {
  const verdict = (m: number) => (m > -2 ? 'too high' : m < -4 ? 'too low' : 'about right')
  const sorted = [...ratios].sort((a, b) => a - b),
    h = sorted.length >> 1
  const median = sorted.length % 2 === 1 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2
  const unsorted = ratios.length % 2 === 1 ? ratios[h] : (ratios[h - 1] + ratios[h]) / 2
  const slips: [string, number][] = [
    [
      'the mean of the ratios (one outlying layer drags the mean; the median is what the lecture reads off the plot)',
      ratios.reduce((s, r) => s + r, 0) / ratios.length,
    ],
    ['the middle entry of the unsorted list: sort the ratios before taking the median', unsorted],
    ['the first ratio alone', ratios[0]],
    ['the largest ratio', sorted[sorted.length - 1]],
    ['the smallest ratio', sorted[0]],
  ]
  const want = verdict(median)
  const match = slips.filter(([, m]) => verdict(m) !== want && verdict(m) === got).map(([s]) => s)
  return `log10 update:data [${ratios.join(', ')}] have median ${median}: '${want}', got '${got}'${match.length > 0 ? `, which is what ${match.join(', or ')} gives` : ''}`
}

/** Why the ratios of the deep tanh net at learning rate lr are off: the log, the learning rate, or nothing (then the verdict is). */
export const ratiosSlip = (
  lr: number,
  stds: readonly (readonly [number, number])[],
  ratios: readonly number[],
): string => {
  const near = (f: (g: number, p: number) => number) =>
    ratios.every((r, i) => Math.abs(r - f(...stds[i])) < 1e-6 * (1 + Math.abs(r)))
  if (near((g, p) => Math.log10((lr * g) / p))) return ''
  if (near((g, p) => Math.log((lr * g) / p)))
    return ': your updateToDataRatio takes the natural log (ln); the thresholds -2, -3 and -4 are log10 (one part in a thousand is -3)'
  if (near((g, p) => Math.log10(g / p)))
    return ': your updateToDataRatio leaves out the learning rate; the update is lr · grad'
  return ': your updateToDataRatio differs from log10(std(lr · grad) / std(param))'
}

/**
 * Reference answers for kata 06 (the instrument panel). Each export has the type
 * katas/06-instruments/types.ts gives it, as the learner's must: the answer can be copied into
 * katas/06-instruments/kata.ts as it is.
 */
import type { Kata } from '../../katas/06-instruments/types.ts'

/** Mean and standard deviation (divide by N) of some numbers. */
const moments = (values: ArrayLike<number>): { mean: number; std: number } => {
  let s = 0
  for (let i = 0; i < values.length; i++) s += values[i]
  const mean = s / values.length
  let ss = 0
  for (let i = 0; i < values.length; i++) ss += (values[i] - mean) ** 2
  return { mean, std: Math.sqrt(ss / values.length) }
}

export const histogram: Kata['histogram'] = (values, bins) => {
  let lo = Infinity,
    hi = -Infinity
  for (let i = 0; i < values.length; i++) {
    lo = Math.min(lo, values[i])
    hi = Math.max(hi, values[i])
  }
  // as torch.histc does when all values are equal: widen the range by 1 on each side
  if (lo === hi) {
    lo -= 1
    hi += 1
  }
  const width = (hi - lo) / bins
  const counts = new Array<number>(bins).fill(0)
  for (let i = 0; i < values.length; i++) counts[Math.min(bins - 1, Math.floor((values[i] - lo) / width))] += 1
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + i * width))
  return { edges, counts, density: counts.map((c) => c / (values.length * width)) }
}

export const saturationFraction: Kata['saturationFraction'] = (values, threshold = 0.97) => {
  let saturated = 0
  for (let i = 0; i < values.length; i++) if (Math.abs(values[i]) > threshold) saturated += 1
  return saturated / values.length
}

export const activationStats: Kata['activationStats'] = (trace, threshold = 0.97) =>
  trace.layers
    .filter((l) => l.kind === 'tanh')
    .map((l) => ({ name: l.name, ...moments(l.out.data), saturated: saturationFraction(l.out.data, threshold) }))

export const gradientStats: Kata['gradientStats'] = (trace) =>
  trace.layers.filter((l) => l.kind === 'tanh').map((l) => ({ name: l.name, ...moments(l.grad.data) }))

export const gradToDataRatio: Kata['gradToDataRatio'] = (grad, param) =>
  moments(grad.data).std / moments(param.data).std

/** std(lr * grad) = lr * std(grad) for lr > 0. */
export const updateToDataRatio: Kata['updateToDataRatio'] = (lr, grad, param) =>
  Math.log10(lr * gradToDataRatio(grad, param))

/** Within a decade of -3 is about right (the median over the weights, so one outlier does not decide). */
export const judgeLearningRate: Kata['judgeLearningRate'] = (log10Ratios) => {
  const sorted = [...log10Ratios].sort((a, b) => a - b)
  const h = sorted.length >> 1
  const median = sorted.length % 2 === 1 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2
  return median > -2 ? 'too high' : median < -4 ? 'too low' : 'about right'
}

/**
 * Reference answers for kata 08 (the detective). Each export has the type
 * katas/08-detective/types.ts gives it, as the learner's must: the answer can be copied into
 * katas/08-detective/kata.ts as it is.
 */
import type { Kata, Trend, Problem } from '../../katas/08-detective/types.ts'
import type { LayerTrace } from '../../lib/model/nn.ts'

/** Mean and std (divide by N) of some numbers. */
const std = (xs: ArrayLike<number>): number => {
  let s = 0,
    ss = 0
  for (let i = 0; i < xs.length; i++) {
    s += xs[i]
    ss += xs[i] * xs[i]
  }
  const mean = s / xs.length
  return Math.sqrt(Math.max(0, ss / xs.length - mean * mean))
}

const share = (xs: ArrayLike<number>, pred: (x: number) => boolean): number => {
  let c = 0
  for (let i = 0; i < xs.length; i++) if (pred(xs[i])) c++
  return c / xs.length
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b),
    h = s.length >> 1
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2
}

export const confidentlyWrong: Kata['confidentlyWrong'] = (c) => c.trace.loss > Math.log(c.vocabSize) + 1

export const saturatedLayers: Kata['saturatedLayers'] = (c) =>
  c.trace.layers
    .filter((l) => l.kind === 'tanh' && share(l.out.data, (t) => Math.abs(t) > 0.97) > 1 / 3)
    .map((l) => l.name)

/** The share of a layer's units (columns) that are dead for every example (row). */
const deadShare = (l: LayerTrace): number => {
  const [m, n] = l.out.shape
  let dead = 0
  for (let j = 0; j < n; j++) {
    let all = true
    for (let i = 0; i < m && all; i++) {
      const x = l.out.data[i * n + j]
      all = l.kind === 'tanh' ? Math.abs(x) > 0.99 : x === 0
    }
    if (all) dead++
  }
  return dead / n
}

export const deadUnitLayers: Kata['deadUnitLayers'] = (c) =>
  c.trace.layers.filter((l) => (l.kind === 'tanh' || l.kind === 'relu') && deadShare(l) > 0.25).map((l) => l.name)

const trend = (ratio: number): Trend => (ratio < 1 / 3 ? 'vanishing' : ratio > 3 ? 'exploding' : 'steady')

export const depthTrend: Kata['depthTrend'] = (c) => {
  const layers = c.trace.layers
  const activations = layers.filter((l) => l.kind === 'tanh' || l.kind === 'relu')
  const hidden =
    activations.length > 0 ? activations : layers.filter((l, i) => l.kind === 'linear' && i < layers.length - 1)
  if (hidden.length < 3) return { activations: 'too shallow', gradients: 'too shallow' }
  const first = hidden[0],
    last = hidden[hidden.length - 1]
  return {
    activations: trend(std(last.out.data) / std(first.out.data)),
    // the gradient flows from the last layer back to the first
    gradients: trend(std(first.grad.data) / std(last.grad.data)),
  }
}

export const learningRateVerdict: Kata['learningRateVerdict'] = (c) => {
  const linears = c.trace.layers.filter((l) => l.kind === 'linear').map((l) => `${l.name}.weight`)
  // the output layer's weights start small on purpose, so its ratio is high by construction
  const judged = linears.length > 1 ? linears.slice(0, -1) : linears
  const ratios = judged
    .map((w) => Math.log10((c.lr * std(c.trace.paramGrads[w].data)) / std(c.params[w].data)))
    .filter(Number.isFinite)
  if (ratios.length === 0) return 'about right'
  const m = median(ratios)
  return m > -2 ? 'too high' : m < -4 ? 'too low' : 'about right'
}

export const prescribe: Kata['prescribe'] = (problem) => {
  switch (problem) {
    case 'confidently-wrong':
      return 'shrink-output-layer'
    case 'saturated':
      return 'shrink-hidden-weights'
    case 'dead-units':
      return 'kaiming-init'
    case 'vanishing':
      return 'kaiming-init'
    case 'exploding':
      return 'kaiming-init'
    case 'lr-too-high':
      return 'lower-learning-rate'
    case 'lr-too-low':
      return 'raise-learning-rate'
    case 'nan':
      return 'lower-learning-rate'
  }
}

export const investigate: Kata['investigate'] = (c) => {
  const found: { problem: Problem; where: string }[] = []
  if (confidentlyWrong(c)) found.push({ problem: 'confidently-wrong', where: 'output' })
  for (const name of saturatedLayers(c)) found.push({ problem: 'saturated', where: name })
  for (const name of deadUnitLayers(c)) found.push({ problem: 'dead-units', where: name })
  const depth = depthTrend(c)
  for (const where of ['activations', 'gradients'] as const) {
    const t = depth[where]
    if (t === 'vanishing' || t === 'exploding') found.push({ problem: t, where })
  }
  const lr = learningRateVerdict(c)
  if (lr !== 'about right')
    found.push({ problem: lr === 'too high' ? 'lr-too-high' : 'lr-too-low', where: 'hidden weights' })
  return found.map((f) => ({ ...f, remedy: prescribe(f.problem) }))
}

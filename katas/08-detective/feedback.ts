/**
 * Kata 08's grader and its feedback: the project's own diagnose() on the same evidence the
 * learner gets, and what the common slips would have answered, so a failing check can say which
 * slip it sees.
 */
import {
  deadUnits,
  defaultThresholds as rule,
  diagnose,
  type Finding,
  median,
  moments,
  verdict,
} from '../../lib/instruments/diagnostics.ts'
import type { LayerTrace } from '../../lib/model/nn.ts'
import type { Case, LearningRateVerdict, Problem, Remedy, Trend } from './types.ts'
import { caseSeed, plantings } from './mysteries.ts'

export { mysteries } from './mysteries.ts'

/** Printed with every failure: the cases change from run to run, this replays them. */
export const replay = `case seed ${caseSeed} (replay: MYSTERY_SEED=${caseSeed} npm run watch)`

export const findingsOf = (c: Case): Finding[] =>
  diagnose({ vocabSize: c.vocabSize, trace: c.trace, params: c.params, lr: c.lr })
export const kindsOf = (c: Case): Problem[] => verdict(findingsOf(c))
export const wheresOf = (c: Case, kind: Problem): string[] =>
  findingsOf(c)
    .filter((f) => f.kind === kind)
    .map((f) => f.where)

/** Every finding as "problem in where", the learning rate's where named as the Suspect type says ('hidden weights'). */
export const places = (xs: readonly { readonly kind?: string; readonly problem?: string; readonly where: string }[]) =>
  xs
    .map((x) => {
      const p = x.problem ?? x.kind ?? ''
      return `${p} in ${p.startsWith('lr-') ? 'hidden weights' : x.where}`
    })
    .sort()

/** What was planted in a case, for the messages and for the kata's check of its own cases. */
export const plantingOf = (c: Case) => plantings().find((p) => p.name === c.name)

/** The fixes the lecture (and diagnose's findings) give for each problem. */
export const acceptable: Record<Problem, readonly Remedy[]> = {
  'confidently-wrong': ['shrink-output-layer'],
  saturated: ['shrink-hidden-weights', 'kaiming-init', 'add-batchnorm'],
  'dead-units': ['kaiming-init', 'shrink-hidden-weights', 'add-batchnorm'],
  vanishing: ['kaiming-init', 'add-batchnorm'],
  exploding: ['kaiming-init', 'add-batchnorm'],
  'lr-too-high': ['lower-learning-rate'],
  'lr-too-low': ['raise-learning-rate'],
  nan: ['lower-learning-rate'],
}

const std = (xs: ArrayLike<number>) => moments(xs).std
const acts = (c: Case) => c.trace.layers.filter((l) => l.kind === 'tanh' || l.kind === 'relu')
/** The hidden layers diagnose compares across depth. */
export const hiddenLayers = (c: Case): LayerTrace[] => {
  const a = acts(c)
  return a.length > 0 ? a : c.trace.layers.filter((l, i) => l.kind === 'linear' && i < c.trace.layers.length - 1)
}

/** The slips whose answer equals `got` while the rulebook's does not (all of them, when several give the same). */
const whichSlip = <A>(got: A, want: A, slips: readonly { readonly says: string; readonly gives: A }[]): string => {
  const same = (a: A, b: A) => JSON.stringify(a) === JSON.stringify(b)
  if (same(got, want)) return ''
  const match = slips.filter((s) => !same(s.gives, want) && same(s.gives, got)).map((s) => s.says)
  return match.length === 0 ? '' : ` Yours is what ${match.join(', or ')} gives.`
}

// ---------------------------------------------------------------------------------------------
// Saturation

export const saturationShares = (c: Case): string =>
  c.trace.layers
    .filter((l) => l.kind === 'tanh')
    .map((l) => {
      const pct = (pred: (t: number) => boolean) =>
        ((100 * l.out.data.filter(pred).length) / l.out.data.length).toFixed(1)
      return `${l.name} ${pct((t) => Math.abs(t) > rule.saturationLevel)}% beyond ±0.97 (${pct((t) => t > rule.saturationLevel)}% above +0.97)`
    })
    .join(', ') || 'no tanh layers'

export const saturationSlip = (c: Case, got: readonly string[]): string => {
  const over = (pred: (t: number) => boolean, share = rule.saturatedShare) =>
    c.trace.layers
      .filter((l) => l.kind === 'tanh' && l.out.data.filter(pred).length / l.out.data.length > share)
      .map((l) => l.name)
  return whichSlip([...got], wheresOf(c, 'saturated'), [
    { says: 'counting one side only (t > 0.97, not |t| > 0.97)', gives: over((t) => t > rule.saturationLevel) },
    {
      says: "the dead-unit map's cut-off 0.99 (the saturation panel uses 0.97)",
      gives: over((t) => Math.abs(t) > rule.deadLevel),
    },
    { says: '|t| >= 0.97 with a share of at least a third', gives: over((t) => Math.abs(t) >= 0.97, 1 / 3 - 1e-12) },
    { says: 'a half instead of a third', gives: over((t) => Math.abs(t) > rule.saturationLevel, 0.5) },
  ])
}

// ---------------------------------------------------------------------------------------------
// Dead units

const deadShareBy = (l: LayerTrace, rows: 'all' | 'majority' | 'any', level = rule.deadLevel): number => {
  if (rows === 'all') return deadUnits(l.out, l.kind === 'tanh' ? 'tanh' : 'relu', level).length / l.out.shape[1]
  const [m, n] = l.out.shape
  let count = 0
  for (let j = 0; j < n; j++) {
    let k = 0
    for (let i = 0; i < m; i++) {
      const x = l.out.data[i * n + j]
      if (l.kind === 'tanh' ? Math.abs(x) > level : x === 0) k++
    }
    if (rows === 'any' ? k > 0 : k > m / 2) count++
  }
  return count / n
}

export const deadShares = (c: Case): string =>
  acts(c)
    .map((l) => `${l.name} ${(100 * deadShareBy(l, 'all')).toFixed(1)}%`)
    .join(', ') || 'no activation layers'

export const deadSlip = (c: Case, got: readonly string[]): string => {
  const layers = (rows: 'all' | 'majority' | 'any', share = rule.deadShare, level = rule.deadLevel) =>
    acts(c)
      .filter((l) => deadShareBy(l, rows, level) > share)
      .map((l) => l.name)
  return whichSlip([...got], wheresOf(c, 'dead-units'), [
    { says: 'a unit dead for most examples of the batch (a majority rule)', gives: layers('majority') },
    { says: 'a unit dead for one example', gives: layers('any') },
    { says: 'a share of a half instead of a quarter', gives: layers('all', 0.5) },
    { says: 'the saturation cut-off 0.97 for a dead tanh unit (the map uses 0.99)', gives: layers('all', 0.25, 0.97) },
  ])
}

// ---------------------------------------------------------------------------------------------
// Depth

const trend = (ratio: number): Trend => (ratio < rule.shrink ? 'vanishing' : ratio > rule.grow ? 'exploding' : 'steady')

export const depthWant = (c: Case): { activations: Trend; gradients: Trend } => {
  if (hiddenLayers(c).length < 3) return { activations: 'too shallow', gradients: 'too shallow' }
  const f = findingsOf(c)
  const of = (where: string): Trend =>
    (f.find((x) => (x.kind === 'vanishing' || x.kind === 'exploding') && x.where === where)?.kind as Trend) ?? 'steady'
  return { activations: of('activations'), gradients: of('gradients') }
}

export const depthFigures = (c: Case): string => {
  const h = hiddenLayers(c)
  if (h.length < 3) return `${h.length} hidden layer(s) (${h.map((l) => l.name).join(', ') || 'none'})`
  const first = h[0],
    last = h[h.length - 1]
  return `std of the activations ${std(first.out.data).toFixed(4)} (${first.name}) to ${std(last.out.data).toFixed(4)} (${last.name}), ratio ${(std(last.out.data) / std(first.out.data)).toFixed(3)}; std of out.grad ${std(last.grad.data).toExponential(3)} at ${last.name} and ${std(first.grad.data).toExponential(3)} at ${first.name}, ratio first / last ${(std(first.grad.data) / std(last.grad.data)).toFixed(3)}`
}

export const depthSlip = (c: Case, got: { activations: Trend; gradients: Trend }): string => {
  const h = hiddenLayers(c)
  const ratios = (min: number, square: boolean) => {
    if (h.length < min) return { activations: 'too shallow', gradients: 'too shallow' }
    const first = h[0],
      last = h[h.length - 1],
      p = square ? 2 : 1
    return {
      activations: trend((std(last.out.data) / std(first.out.data)) ** p),
      gradients: trend((std(first.grad.data) / std(last.grad.data)) ** p),
    }
  }
  return whichSlip(got, depthWant(c), [
    { says: 'a ratio of variances (std²) where the rule compares stds', gives: ratios(3, true) },
    {
      says: 'judging depth from two hidden layers (the rule needs at least three)',
      gives: ratios(2, false),
    },
    { says: 'judging depth from one hidden layer up (the rule needs at least three)', gives: ratios(1, false) },
  ])
}

// ---------------------------------------------------------------------------------------------
// The learning rate

const hiddenWeights = (c: Case) => {
  const ws = c.trace.layers.filter((l) => l.kind === 'linear').map((l) => `${l.name}.weight`)
  return ws.length > 1 ? ws.slice(0, -1) : ws
}
const ratioOf = (c: Case, w: string, log: (x: number) => number = Math.log10) =>
  log((c.lr * std(c.trace.paramGrads[w].data)) / std(c.params[w].data))
const lrOf = (level: number): LearningRateVerdict =>
  level > rule.updateHigh ? 'too high' : level < rule.updateLow ? 'too low' : 'about right'

export const lrWant = (c: Case): LearningRateVerdict => {
  const k = kindsOf(c)
  return k.includes('lr-too-high') ? 'too high' : k.includes('lr-too-low') ? 'too low' : 'about right'
}

export const lrFigures = (c: Case): string =>
  hiddenWeights(c)
    .map((w) => `${w} ${ratioOf(c, w).toFixed(2)}`)
    .join(', ')

export const lrSlip = (c: Case, got: LearningRateVerdict): string => {
  const hidden = hiddenWeights(c).map((w) => ratioOf(c, w))
  const all = c.trace.layers.filter((l) => l.kind === 'linear').map((l) => ratioOf(c, `${l.name}.weight`))
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length
  return whichSlip(got, lrWant(c), [
    { says: 'the mean of the log10 ratios (the rule takes their median)', gives: lrOf(mean(hidden)) },
    {
      says: 'the natural log (ln) of update:data (the thresholds -2 and -4 are in log10)',
      gives: lrOf(median(hiddenWeights(c).map((w) => ratioOf(c, w, Math.log)))),
    },
    {
      says: "counting the output layer's weights too (they start small on purpose, so their ratio is high by construction)",
      gives: lrOf(median(all)),
    },
    {
      says: 'update:data without the learning rate (grad:data)',
      gives: lrOf(median(hidden.map((r) => r - Math.log10(c.lr)))),
    },
  ])
}

/** Mutant: the depth trend judged on a ratio of variances instead of standard deviations. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata, Trend } from '../../../katas/08-detective/types.ts'
import { moments } from '../../../lib/instruments/diagnostics.ts'

export * from '../kata.ts'

const trend = (ratio: number): Trend => (ratio < 1 / 3 ? 'vanishing' : ratio > 3 ? 'exploding' : 'steady')
const variance = (xs: ArrayLike<number>) => moments(xs).std ** 2

export const depthTrend: Kata['depthTrend'] = (c) => {
  const layers = c.trace.layers
  const acts = layers.filter((l) => l.kind === 'tanh' || l.kind === 'relu')
  const hidden = acts.length > 0 ? acts : layers.filter((l, i) => l.kind === 'linear' && i < layers.length - 1)
  if (hidden.length < 3) return { activations: 'too shallow', gradients: 'too shallow' }
  const first = hidden[0],
    last = hidden[hidden.length - 1]
  return {
    activations: trend(variance(last.out.data) / variance(first.out.data)),
    gradients: trend(variance(first.grad.data) / variance(last.grad.data)),
  }
}

export const mistake: Mistake = {
  lecture:
    'variances compared where the rule compares standard deviations: a std ratio of 2 is a variance ratio of 4, so a signal that holds its scale within 3× is called exploding',
  message: 'a ratio of variances (std²) where the rule compares stds',
}

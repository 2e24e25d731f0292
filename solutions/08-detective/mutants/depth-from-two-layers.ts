/** Mutant: the depth trend judged from two hidden layers, where the rule needs at least three. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata, Trend } from '../../../katas/08-detective/types.ts'
import { moments } from '../../../lib/instruments/diagnostics.ts'

export * from '../kata.ts'

const trend = (ratio: number): Trend => (ratio < 1 / 3 ? 'vanishing' : ratio > 3 ? 'exploding' : 'steady')
const std = (xs: ArrayLike<number>) => moments(xs).std

export const depthTrend: Kata['depthTrend'] = (c) => {
  const layers = c.trace.layers
  const acts = layers.filter((l) => l.kind === 'tanh' || l.kind === 'relu')
  const hidden = acts.length > 0 ? acts : layers.filter((l, i) => l.kind === 'linear' && i < layers.length - 1)
  if (hidden.length < 2) return { activations: 'too shallow', gradients: 'too shallow' }
  const first = hidden[0],
    last = hidden[hidden.length - 1]
  return {
    activations: trend(std(last.out.data) / std(first.out.data)),
    gradients: trend(std(first.grad.data) / std(last.grad.data)),
  }
}

export const mistake: Mistake = {
  lecture:
    'a trend read off two hidden layers: one step of depth says more about that one layer than about depth; the rulebook needs three',
  message: 'judging depth from two hidden layers (the rule needs at least three)',
}

/** Mutant: the gradient trend measured on the layers' outputs (layer.out) instead of their gradients (layer.out.grad). */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata, Trend } from '../../../katas/08-detective/types.ts'
import { stdAll } from '../../../lib/engine/ops.ts'

export * from '../kata.ts'

const trend = (ratio: number): Trend => (ratio < 1 / 3 ? 'vanishing' : ratio > 3 ? 'exploding' : 'steady')

export const depthTrend: Kata['depthTrend'] = (c) => {
  const layers = c.trace.layers
  const activations = layers.filter((l) => l.kind === 'tanh' || l.kind === 'relu')
  const hidden =
    activations.length > 0 ? activations : layers.filter((l, i) => l.kind === 'linear' && i < layers.length - 1)
  if (hidden.length < 3) return { activations: 'too shallow', gradients: 'too shallow' }
  const first = hidden[0],
    last = hidden[hidden.length - 1]
  const forward = trend(stdAll(last.out) / stdAll(first.out))
  // the mistake: out again where out.grad was meant
  return { activations: forward, gradients: forward }
}

export const mistake: Mistake = {
  lecture:
    'the backward pass judged from the forward one: the gradient histograms read layer.out.grad, not layer.out, and the two can disagree (the lecture plots them side by side for that reason)',
  message: 'the gradients vanish. Read each from its own field',
}

/** Mutant: the gradients compared forward (last over first), as if they flowed like the activations. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/08-detective/types.ts'
import { moments } from '../../../lib/instruments/diagnostics.ts'
import { depthTrend as rightTrend } from '../kata.ts'

export * from '../kata.ts'

export const depthTrend: Kata['depthTrend'] = (c) => {
  const right = rightTrend(c)
  if (right.gradients === 'too shallow') return right
  const acts = c.trace.layers.filter((l) => l.kind === 'tanh' || l.kind === 'relu')
  const hidden =
    acts.length > 0 ? acts : c.trace.layers.filter((l, i) => l.kind === 'linear' && i < c.trace.layers.length - 1)
  const ratio = moments(hidden[hidden.length - 1].grad.data).std / moments(hidden[0].grad.data).std
  return { ...right, gradients: ratio < 1 / 3 ? 'vanishing' : ratio > 3 ? 'exploding' : 'steady' }
}

export const mistake: Mistake = {
  lecture:
    'the gradient ratio taken last layer over first: gradients flow backward, so a gradient that shrinks on its way to the input looks like one that explodes',
  message: "Gradients flow backward: compare the first layer's out.grad with the last's",
}

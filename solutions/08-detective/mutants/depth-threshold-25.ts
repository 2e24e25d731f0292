/** Mutant: depth judged beyond 2.5x either way, not 3x */
import type { Mistake } from '../../../lib/course/kata.ts'
import type * as Kata from '../../../katas/08-detective/types.ts'
import { moments } from '../../../lib/instruments/diagnostics.ts'

export * from '../kata.ts'

const std = (xs: ArrayLike<number>) => moments(xs).std
const depth = (
  c: Kata.Case,
  hiddenOf: (c: Kata.Case) => Kata.Case['trace']['layers'],
  shrink: number,
  grow: number,
) => {
  const hidden = hiddenOf(c)
  const trend = (r: number): Kata.Trend => (r < shrink ? 'vanishing' : r > grow ? 'exploding' : 'steady')
  if (hidden.length < 3) return { activations: 'too shallow' as const, gradients: 'too shallow' as const }
  const first = hidden[0],
    last = hidden[hidden.length - 1]
  return {
    activations: trend(std(last.out.data) / std(first.out.data)),
    gradients: trend(std(first.grad.data) / std(last.grad.data)),
  }
}

export const depthTrend: Kata.Kata['depthTrend'] = (c) =>
  depth(
    c,
    (k) => {
      const a = k.trace.layers.filter((l) => l.kind === 'tanh' || l.kind === 'relu')
      return a.length > 0 ? a : k.trace.layers.filter((l, i) => l.kind === 'linear' && i < k.trace.layers.length - 1)
    },
    0.4,
    2.5,
  )

export const mistake: Mistake = {
  lecture: 'depth judged beyond 2.5x either way, not 3x',
  message: 'Beyond 3× either way is exploding or vanishing',
}

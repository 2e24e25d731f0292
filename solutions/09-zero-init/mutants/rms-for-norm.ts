/** Mutant: the root mean square taken for the norm (divided by the number of entries). */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/09-zero-init/types.ts'

export * from '../kata.ts'

export const gradientNorms: Kata['gradientNorms'] = (grads) =>
  Object.fromEntries(
    Object.entries(grads).map(([name, g]) => [name, Math.sqrt(g.data.reduce((s, x) => s + x * x, 0) / g.data.length)]),
  )

export const mistake: Mistake = {
  lecture: 'the root mean square for the L2 norm: sqrt(Σ g²), not sqrt(Σ g² / n)',
  message: 'gradientNorms: for grads',
}

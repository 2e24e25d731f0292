/** Mutant: the squared norm (no square root). */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/09-zero-init/types.ts'

export * from '../kata.ts'

export const gradientNorms: Kata['gradientNorms'] = (grads) =>
  Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, g.data.reduce((s, x) => s + x * x, 0)]))

export const mistake: Mistake = {
  lecture: 'the sum of squares taken for the norm: the square root is missing',
  message: 'sqrt(3² + 4²) = 5',
}

/** Mutant: dead units found beyond 0.99 whatever threshold the caller passed. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/02-saturation/types.ts'

export * from '../kata.ts'

export const deadUnits: Kata['deadUnits'] = (h) => {
  const [n, units] = h.shape
  const out: number[] = []
  for (let j = 0; j < units; j++) {
    let every = true
    for (let i = 0; i < n; i++) every &&= Math.abs(h.data[i * units + j]) > 0.99
    if (every) out.push(j)
  }
  return out
}

export const mistake: Mistake = {
  lecture: 'the threshold hard-coded at 0.99: a caller that draws the line at 0.97 gets the 0.99 answer',
  message: 'deadUnits: for',
}

/** Mutant: a unit called dead when |t| reaches the threshold, not only beyond it. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/02-saturation/types.ts'

export * from '../kata.ts'

export const deadUnits: Kata['deadUnits'] = (h, threshold = 0.99) => {
  const [n, units] = h.shape
  const out: number[] = []
  for (let j = 0; j < units; j++) {
    let every = true
    for (let i = 0; i < n; i++) every &&= Math.abs(h.data[i * units + j]) >= threshold
    if (every) out.push(j)
  }
  return out
}

export const mistake: Mistake = {
  lecture: 'saturated taken as |t| >= threshold: a unit exactly at the line is not beyond it',
  message: 'deadUnits: for',
}

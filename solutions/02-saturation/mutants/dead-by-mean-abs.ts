/** Mutant: a unit called dead when the mean of its |t| over the batch is beyond the threshold. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/02-saturation/types.ts'

export * from '../kata.ts'

export const deadUnits: Kata['deadUnits'] = (h, threshold = 0.99) => {
  const [n, units] = h.shape
  const out: number[] = []
  for (let j = 0; j < units; j++) {
    let sum = 0
    for (let i = 0; i < n; i++) sum += Math.abs(h.data[i * units + j])
    if (sum / n > threshold) out.push(j)
  }
  return out
}

export const mistake: Mistake = {
  lecture:
    "a unit called dead when its |t| is beyond 0.99 on average: one example below the threshold lets a gradient through; the lecture's dead unit is a column white for every example",
  message: 'averaging |t| over the batch',
}

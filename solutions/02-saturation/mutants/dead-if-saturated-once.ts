/** Mutant: a unit called dead when it is saturated for some example, not for every example. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/02-saturation/types.ts'

export * from '../kata.ts'

export const deadUnits: Kata['deadUnits'] = (h, threshold = 0.99) => {
  const [n, units] = h.shape
  const out: number[] = []
  for (let j = 0; j < units; j++) {
    let some = false
    for (let i = 0; i < n; i++) some ||= Math.abs(h.data[i * units + j]) > threshold
    if (some) out.push(j)
  }
  return out
}

export const mistake: Mistake = {
  lecture: 'a unit called dead as soon as one example saturates it: it still learns from every example that does not',
  message: 'saturated for every example in the batch',
}

/** Mutant: hidden units counted as rows of W1 (its inputs) instead of columns. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/09-zero-init/types.ts'

export * from '../kata.ts'

export const distinctHiddenUnits: Kata['distinctHiddenUnits'] = (model, tolerance = 1e-9) => {
  const W1 = model.params['linear1.weight']
  const [fanIn, hidden] = W1.shape
  const rows: number[][] = []
  for (let i = 0; i < fanIn; i++) {
    const r = Array.from(W1.data.subarray(i * hidden, (i + 1) * hidden))
    if (!rows.some((s) => s.every((v, j) => Math.abs(v - r[j]) <= tolerance))) rows.push(r)
  }
  return rows.length
}

export const mistake: Mistake = {
  lecture: 'hidden units counted as the rows of W1 (one per input) instead of its columns (one per unit)',
  message: 'a unit is a column of W1 and its bias',
}

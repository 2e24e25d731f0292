/** Mutant: units compared by their columns of W1 alone, the bias left out. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/09-zero-init/types.ts'

export * from '../kata.ts'

export const distinctHiddenUnits: Kata['distinctHiddenUnits'] = (model, tolerance = 1e-9) => {
  const W1 = model.params['linear1.weight']
  const [fanIn, hidden] = W1.shape
  const seen: number[][] = []
  for (let j = 0; j < hidden; j++) {
    const u = Array.from({ length: fanIn }, (_, i) => W1.data[i * hidden + j])
    if (!seen.some((r) => r.every((v, i) => Math.abs(v - u[i]) <= tolerance))) seen.push(u)
  }
  return seen.length
}

export const mistake: Mistake = {
  lecture: "a unit's bias left out: two units with the same column of W1 and different biases compute different things",
  message: 'distinctHiddenUnits: for model',
}

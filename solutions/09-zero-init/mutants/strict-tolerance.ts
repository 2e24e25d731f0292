/** Mutant: two units the same only when they differ by less than the tolerance (so never at tolerance 0). */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/09-zero-init/types.ts'

export * from '../kata.ts'

export const distinctHiddenUnits: Kata['distinctHiddenUnits'] = (model, tolerance = 1e-9) => {
  const W1 = model.params['linear1.weight'],
    b1 = model.params['linear1.bias']
  const [fanIn, hidden] = W1.shape
  const unit = (j: number): number[] => [
    ...Array.from({ length: fanIn }, (_, i) => W1.data[i * hidden + j]),
    b1 === undefined ? 0 : b1.data[j],
  ]
  const seen: number[][] = []
  for (let j = 0; j < hidden; j++) {
    const u = unit(j)
    if (!seen.some((r) => r.every((v, i) => Math.abs(v - u[i]) < tolerance))) seen.push(u)
  }
  return seen.length
}

export const mistake: Mistake = {
  lecture: '< for <=: "within the tolerance" includes it, and a tolerance of 0 means equal',
  message: 'distinctHiddenUnits: for model',
}

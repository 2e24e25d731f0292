/** Mutant: saturation counted on one side only, t > 0.97 instead of |t| > 0.97. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/08-detective/types.ts'

export * from '../kata.ts'

export const saturatedLayers: Kata['saturatedLayers'] = (c) =>
  c.trace.layers
    .filter((l) => l.kind === 'tanh' && l.out.data.filter((t) => t > 0.97).length / l.out.data.length > 1 / 3)
    .map((l) => l.name)

export const mistake: Mistake = {
  lecture:
    "saturation counted at +1 only (t > 0.97): tanh saturates at both ends, and 1 - t² is as small at -1 as at +1; the lecture's (t.abs() > 0.97)",
  message: 'counting one side only (t > 0.97, not |t| > 0.97)',
}

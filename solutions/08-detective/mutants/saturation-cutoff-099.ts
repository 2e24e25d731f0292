/** Mutant: saturation judged at |t| > 0.99 (the dead-unit map's cut-off) instead of 0.97. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/08-detective/types.ts'

export * from '../kata.ts'

export const saturatedLayers: Kata['saturatedLayers'] = (c) =>
  c.trace.layers
    .filter((l) => l.kind === 'tanh' && l.out.data.filter((t) => Math.abs(t) > 0.99).length / l.out.data.length > 1 / 3)
    .map((l) => l.name)

export const mistake: Mistake = {
  lecture:
    'the two thresholds mixed up: the saturation panel counts |t| > 0.97, the white-pixel map of dead units |t| > 0.99',
  message: "the dead-unit map's cut-off 0.99 (the saturation panel uses 0.97)",
}

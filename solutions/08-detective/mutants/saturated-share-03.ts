/** Mutant: a tanh layer saturated from 30% of its outputs on, not a third */
import type { Mistake } from '../../../lib/course/kata.ts'
import type * as Kata from '../../../katas/08-detective/types.ts'

export * from '../kata.ts'

const satLayers = (c: Kata.Case, level: number, more: (share: number) => boolean) =>
  c.trace.layers
    .filter((l) => l.kind === 'tanh' && more(l.out.data.filter((t) => Math.abs(t) > level).length / l.out.data.length))
    .map((l) => l.name)

export const saturatedLayers: Kata.Kata['saturatedLayers'] = (c) => satLayers(c, 0.97, (s) => s > 0.3)

export const mistake: Mistake = {
  lecture: 'a tanh layer saturated from 30% of its outputs on, not a third',
  message: 'share of |t| > 0.97 per tanh layer',
}

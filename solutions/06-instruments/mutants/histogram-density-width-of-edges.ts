/** Mutant: the density divides by a bin width computed from the number of edges (bins + 1), not of bins. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/06-instruments/types.ts'
import { histogram as rightHistogram } from '../kata.ts'

export * from '../kata.ts'

export const histogram: Kata['histogram'] = (values, bins) => {
  const h = rightHistogram(values, bins)
  const width = (h.edges[bins] - h.edges[0]) / h.edges.length
  return { ...h, density: h.counts.map((c) => c / (values.length * width)) }
}

export const mistake: Mistake = {
  lecture:
    'the density divided by the wrong bin width ((max - min) / (bins + 1), one per edge): its area is no longer 1, and the histograms of two layers cannot be compared',
  message: 'your density divides by a bin width of',
}

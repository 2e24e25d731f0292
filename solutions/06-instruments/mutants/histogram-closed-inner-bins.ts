/** Mutant: a value on an inner edge counted in the bin below it, as if every bin were (a, b]. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/06-instruments/types.ts'
import { histogram as answerHistogram } from '../kata.ts'

export * from '../kata.ts'

export const histogram: Kata['histogram'] = (values, bins) => {
  const h = answerHistogram(values, bins)
  const counts = new Array<number>(bins).fill(0)
  const lo = h.edges[0],
    width = (h.edges[bins] - lo) / bins
  for (let i = 0; i < values.length; i++)
    counts[Math.max(0, Math.min(bins - 1, Math.ceil((values[i] - lo) / width) - 1))] += 1
  return { edges: h.edges, counts, density: counts.map((c) => c / (values.length * width)) }
}

export const mistake: Mistake = {
  lecture: 'bins taken as (a, b]: a value on an edge goes to the bin below',
  message: 'histogram: for values',
}

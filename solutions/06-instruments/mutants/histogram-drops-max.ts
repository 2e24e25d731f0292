/** Mutant: the histogram drops the largest value, which lands one past the last bin. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/06-instruments/types.ts'

export * from '../kata.ts'

export const histogram: Kata['histogram'] = (values, bins) => {
  let lo = Infinity,
    hi = -Infinity
  for (let i = 0; i < values.length; i++) {
    lo = Math.min(lo, values[i])
    hi = Math.max(hi, values[i])
  }
  if (lo === hi) {
    lo -= 1
    hi += 1
  }
  const width = (hi - lo) / bins
  const counts = new Array<number>(bins).fill(0)
  for (let i = 0; i < values.length; i++) {
    const b = Math.floor((values[i] - lo) / width)
    if (b < bins) counts[b] += 1 // (values[i] - lo) / width is exactly `bins` for the largest value
  }
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width)
  return { edges, counts, density: counts.map((c) => c / (values.length * width)) }
}

export const mistake: Mistake = {
  lecture:
    'histogram bins computed as floor((x - min) / width) without a cap: the largest value falls one past the last bin and is lost, so the counts no longer add up',
  message: 'the largest value belongs in the last bin',
}

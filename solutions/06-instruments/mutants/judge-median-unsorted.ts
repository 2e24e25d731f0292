/** Mutant: the median taken as the middle entry of the list as it comes, without sorting. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/06-instruments/types.ts'

export * from '../kata.ts'

export const judgeLearningRate: Kata['judgeLearningRate'] = (log10Ratios) => {
  const h = log10Ratios.length >> 1
  const m = log10Ratios.length % 2 === 1 ? log10Ratios[h] : (log10Ratios[h - 1] + log10Ratios[h]) / 2
  return m > -2 ? 'too high' : m < -4 ? 'too low' : 'about right'
}

export const mistake: Mistake = {
  lecture: 'a median without sorting: the middle of the list in layer order is just one layer, not the middle value',
  message: 'sort the ratios before taking the median',
}

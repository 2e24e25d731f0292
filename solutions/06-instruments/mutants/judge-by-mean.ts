/** Mutant: the learning rate judged by the mean of the log10 ratios instead of their median. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/06-instruments/types.ts'

export * from '../kata.ts'

export const judgeLearningRate: Kata['judgeLearningRate'] = (log10Ratios) => {
  const m = log10Ratios.reduce((s, r) => s + r, 0) / log10Ratios.length
  return m > -2 ? 'too high' : m < -4 ? 'too low' : 'about right'
}

export const mistake: Mistake = {
  lecture:
    "update:data averaged over the weights: one layer far off (the output layer's, started small on purpose) drags the mean; the lecture reads the bulk of the lines, their median",
  message: 'the mean of the ratios',
}

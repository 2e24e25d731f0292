/** Mutant: judgeLearningRate sorts the ratios it was given in place to find their median. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/06-instruments/types.ts'
import { judgeLearningRate as answerJudgeLearningRate } from '../kata.ts'

export * from '../kata.ts'

export const judgeLearningRate: Kata['judgeLearningRate'] = (log10Ratios) => {
  const sorted = (log10Ratios as number[]).sort((a, b) => a - b)
  return answerJudgeLearningRate(sorted)
}

export const mistake: Mistake = {
  lecture: "the caller's array sorted in place",
  message: 'judgeLearningRate changed its argument',
}

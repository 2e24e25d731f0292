/** Mutant: gradientStats reads every layer, not only the tanh layers. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/06-instruments/types.ts'
import { gradientStats as answerGradientStats } from '../kata.ts'

export * from '../kata.ts'

export const gradientStats: Kata['gradientStats'] = (trace) =>
  answerGradientStats({ ...trace, layers: trace.layers.map((l) => ({ ...l, kind: 'tanh' as const })) })

export const mistake: Mistake = {
  lecture: 'the gradients of every layer, Linear and embedding too',
  message: 'gradientStats: for trace',
}

/** Mutant: every Linear parameter made random again: it trains, but it is not the smallest change. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/09-zero-init/types.ts'
import { scaledNormal } from '../../../lib/model/init.ts'

export * from '../kata.ts'

export const smallestFix: Kata['smallestFix'] = (layers) =>
  layers.map((l) => (l.kind === 'linear' ? { ...l, weightInit: scaledNormal(0.1), biasInit: scaledNormal(0.01) } : l))

export const mistake: Mistake = {
  lecture: 'every weight and bias made random: it trains, but it does not show which zero blocked the gradient',
  message: 'exactly one parameter starts differently',
}

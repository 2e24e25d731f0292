/** Mutant: the output fix scales W2 down but leaves b2 drawn as randn × 1. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/01-initial-loss/types.ts'

export * from '../kata.ts'

export const fixOutputLayer: Kata['fixOutputLayer'] = (scales) => ({ ...scales, w2: 0.01 })

export const mistake: Mistake = {
  lecture:
    'only W2 scaled down: a random output bias b2 still pushes the logits away from uniform, so the first loss stays above ln 27',
  message: 'b2 should start at 0',
}

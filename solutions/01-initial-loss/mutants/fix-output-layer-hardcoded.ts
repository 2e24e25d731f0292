/** Mutant: fixOutputLayer returns the naive hidden layer's scales written out, whatever scales it is given. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/01-initial-loss/types.ts'

export * from '../kata.ts'

export const fixOutputLayer: Kata['fixOutputLayer'] = () => ({ w1: 1, b1: 1, w2: 0.01, b2: 0 })

export const mistake: Mistake = {
  lecture:
    'the output fix written as a fixed set of scales: W2 * 0.01 and b2 * 0 are right, but a hidden layer given other scales (W1 * 0.2, b1 * 0.01) comes back reset to randn × 1',
  message: 'must leave w1 and b1 as they came in',
}

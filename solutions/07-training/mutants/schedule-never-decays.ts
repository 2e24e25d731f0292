/** Mutant: the learning rate stays at 0.1 for the whole run. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/07-training/types.ts'

export * from '../kata.ts'

export const learningRate: Kata['learningRate'] = () => 0.1

export const mistake: Mistake = {
  lecture:
    'the learning-rate decay forgotten: the lecture trains at 0.1 and drops to 0.01 after half the steps, which is where the last bit of loss comes from',
  message: '0.01 after half the steps',
}

/** Mutant: the learning rate drops one step late, at step totalSteps / 2 + 1. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/07-training/types.ts'

export * from '../kata.ts'

export const learningRate: Kata['learningRate'] = (step, totalSteps) =>
  step <= Math.floor(totalSteps / 2) ? 0.1 : 0.01

export const mistake: Mistake = {
  lecture:
    "the decay one step late: step counts from 0, so the lecture's i < 100000 ends the first half at step 99,999 and step 100,000 already uses 0.01",
  message: 'from step 100,000 of 200,000 on',
}

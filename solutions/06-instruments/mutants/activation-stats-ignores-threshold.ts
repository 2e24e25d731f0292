/** Mutant: activationStats always counts saturation at 0.97, whatever threshold it is given. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/06-instruments/types.ts'
import { activationStats as answerActivationStats } from '../kata.ts'

export * from '../kata.ts'

export const activationStats: Kata['activationStats'] = (trace) => answerActivationStats(trace, 0.97)

export const mistake: Mistake = { lecture: 'the threshold argument dropped', message: 'activationStats: for trace' }

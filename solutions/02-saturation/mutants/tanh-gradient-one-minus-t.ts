/** Mutant: tanh's local gradient taken as 1 - t instead of 1 - t². */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/02-saturation/types.ts'
import { map } from '../../../lib/engine/tensor.ts'

export * from '../kata.ts'

export const tanhLocalGradient: Kata['tanhLocalGradient'] = (t) => map(t, (v) => 1 - v)

export const mistake: Mistake = {
  lecture: "tanh's local gradient taken as 1 - t instead of 1 - t²",
  message: 'it is 1 - t², not 1 - t',
}

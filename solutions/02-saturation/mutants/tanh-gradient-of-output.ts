/** Mutant: tanh's local gradient computed as 1 - tanh(t)², as if the output t were the input x. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/02-saturation/types.ts'
import { map } from '../../../lib/engine/tensor.ts'

export * from '../kata.ts'

export const tanhLocalGradient: Kata['tanhLocalGradient'] = (t) => map(t, (v) => 1 - Math.tanh(v) ** 2)

export const mistake: Mistake = {
  lecture:
    "tanh's local gradient computed as 1 - tanh(t)²: the output t = tanh(x) is squashed a second time, so a saturated unit (t = ±1) seems to pass 42 % of its gradient",
  message: 'do not apply tanh again',
}

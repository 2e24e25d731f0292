/** Mutant: each layer's randn scaled by weightStd(fan_in)², the variance, instead of the std. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/03-kaiming/types.ts'
import type { Tensor } from '../../../lib/engine/tensor.ts'
import { scale } from '../../../lib/engine/ops.ts'
import { randnTensor, seedRng, type RngState } from '../../../lib/engine/random.ts'

export * from '../kata.ts'

export const initStack: Kata['initStack'] = (widths, weightStd, seed) => {
  const weights: Tensor[] = []
  let s: RngState = seedRng(seed)
  for (let l = 0; l + 1 < widths.length; l++) {
    const [w, next] = randnTensor([widths[l], widths[l + 1]])(s)
    weights.push(scale(w, weightStd(widths[l]) ** 2))
    s = next
  }
  return weights
}

export const mistake: Mistake = {
  lecture:
    'randn multiplied by the variance instead of the standard deviation: torch.randn(...) * std gives weights of std std, so the factor is gain / √fan_in, not its square',
  message: 'scale randn by the std, not the variance',
}

/** Mutant: the one random parameter is b2, the one that was learning already. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/09-zero-init/types.ts'
import { scaledNormal } from '../../../lib/model/init.ts'

export * from '../kata.ts'

export const smallestFix: Kata['smallestFix'] = (layers) => {
  let linears = 0
  return layers.map((l) => {
    if (l.kind !== 'linear') return l
    linears += 1
    return linears === 2 ? { ...l, biasInit: scaledNormal(0.01) } : l
  })
}

export const mistake: Mistake = {
  lecture: 'b2 made random: it was already learning, and h = 0, W2 = 0 still block every other gradient',
  message: 'a random b2 changes only what the one learning parameter starts from',
}

/** Mutant: W2 set to a small constant instead of small random numbers. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/09-zero-init/types.ts'
import { constant } from '../../../lib/model/init.ts'

export * from '../kata.ts'

export const smallestFix: Kata['smallestFix'] = (layers) => {
  let linears = 0
  return layers.map((l) => {
    if (l.kind !== 'linear') return l
    linears += 1
    return linears === 2 ? { ...l, weightInit: constant(0.01) } : l
  })
}

export const mistake: Mistake = {
  lecture: 'W2 = 0.01 everywhere: every hidden unit gets the same share of dh, so the units stay one',
  message: 'it should start random',
}

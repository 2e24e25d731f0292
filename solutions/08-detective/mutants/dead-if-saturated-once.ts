/** Mutant: a unit counted as dead when it is saturated (or zero) for some example, not for every one. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/08-detective/types.ts'

export * from '../kata.ts'

export const deadUnitLayers: Kata['deadUnitLayers'] = (c) =>
  c.trace.layers
    .filter((l) => {
      if (l.kind !== 'tanh' && l.kind !== 'relu') return false
      const [m, n] = l.out.shape
      let dead = 0
      for (let j = 0; j < n; j++) {
        let any = false
        for (let i = 0; i < m && !any; i++) {
          const x = l.out.data[i * n + j]
          any = l.kind === 'tanh' ? Math.abs(x) > 0.99 : x === 0
        }
        if (any) dead++
      }
      return dead / n > 0.25
    })
    .map((l) => l.name)

export const mistake: Mistake = {
  lecture:
    "a unit called dead when it saturates for one example: it still learns from the others; it is dead only when no example of the batch lets a gradient through (a white column in the lecture's imshow)",
  message: 'a unit is dead only when it is dead for every example of the batch',
}

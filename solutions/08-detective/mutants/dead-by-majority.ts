/** Mutant: a unit counted as dead when it is dead for most examples of the batch, not for all of them. */
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
        let k = 0
        for (let i = 0; i < m; i++) {
          const x = l.out.data[i * n + j]
          if (l.kind === 'tanh' ? Math.abs(x) > 0.99 : x === 0) k++
        }
        if (k > m / 2) dead++
      }
      return dead / n > 0.25
    })
    .map((l) => l.name)

export const mistake: Mistake = {
  lecture:
    "a unit called dead when most examples leave it dead: while one example lets a gradient through it still learns; the lecture's dead unit is a whole white column",
  message: 'a unit dead for most examples of the batch (a majority rule)',
}

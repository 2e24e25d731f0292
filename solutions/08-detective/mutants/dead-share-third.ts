/** Mutant: a layer counted from a third of its units dead, not a quarter */
import type { Mistake } from '../../../lib/course/kata.ts'
import type * as Kata from '../../../katas/08-detective/types.ts'

export * from '../kata.ts'

const deadLayers = (c: Kata.Case, kinds: readonly string[], tanhLevel: number, more: (share: number) => boolean) =>
  c.trace.layers
    .filter((l) => {
      if (!kinds.includes(l.kind)) return false
      const [m, n] = l.out.shape
      let dead = 0
      for (let j = 0; j < n; j++) {
        let all = true
        for (let i = 0; i < m && all; i++) {
          const x = l.out.data[i * n + j]
          all = l.kind === 'tanh' ? Math.abs(x) > tanhLevel : x === 0
        }
        if (all) dead++
      }
      return more(dead / n)
    })
    .map((l) => l.name)

export const deadUnitLayers: Kata.Kata['deadUnitLayers'] = (c) =>
  deadLayers(c, ['tanh', 'relu'], 0.99, (s) => s > 1 / 3)

export const mistake: Mistake = {
  lecture: 'a layer counted from a third of its units dead, not a quarter',
  message: 'units dead for the whole batch',
}

/** Mutant: a ReLU unit called dead only where its pre-activation is < 0, so a pre-activation of exactly 0 keeps it alive. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/02-saturation/types.ts'

export * from '../kata.ts'

export const deadReluUnits: Kata['deadReluUnits'] = (preact) => {
  const [n, units] = preact.shape
  const out: number[] = []
  for (let j = 0; j < units; j++) {
    let every = true
    for (let i = 0; i < n; i++) every &&= preact.data[i * units + j] < 0
    if (every) out.push(j)
  }
  return out
}

export const mistake: Mistake = {
  lecture:
    'a ReLU unit called dead only where its pre-activation is < 0: at exactly 0 ReLU outputs 0 and passes back 0 too',
  message: '0 counts as dead: ReLU passes no gradient where x <= 0',
}

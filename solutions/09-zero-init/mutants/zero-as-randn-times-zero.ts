/** Mutant: zero written as randn × 0 (a draw that lands on zeros) instead of zerosInit. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/09-zero-init/types.ts'
import { scaledNormal } from '../../../lib/model/init.ts'
import { zeroInitLayers as reference } from '../kata.ts'

export * from '../kata.ts'

export const zeroInitLayers: Kata['zeroInitLayers'] = (vocabSize) =>
  reference(vocabSize).map((l) =>
    l.kind === 'linear' ? { ...l, weightInit: scaledNormal(0), biasInit: scaledNormal(0) } : l,
  )

export const mistake: Mistake = {
  lecture:
    'randn × 0 for zerosInit: the same numbers, but a draw, and not the init the checks and the report name zero',
  message: 'starts at exactly zero',
}

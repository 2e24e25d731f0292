/** Mutant: a Sequential that gathers its layers' parameters but not their buffers. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/05-modules/types.ts'
import { sequential as rightSequential } from '../kata.ts'

export * from '../kata.ts'

export const sequential: Kata['sequential'] = (layers) => ({ ...rightSequential(layers), buffers: [] })

export const mistake: Mistake = {
  lecture: "the buffers left out of a Sequential: its BatchNorm's running statistics are part of what it is",
  message: 'sequential: for',
}

/** Mutant: the folded model keeps the running statistics it no longer uses. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/10-batchnorm-folding/types.ts'
import { foldModel as reference } from '../kata.ts'

export * from '../kata.ts'

export const foldModel: Kata['foldModel'] = (model) => ({ ...reference(model), buffers: model.buffers })

export const mistake: Mistake = {
  lecture: 'the running statistics kept: they are inside W′ and b′ now',
  message: 'no running statistics left to keep',
}

/** Mutant: the SGD step keeps the old BatchNorm running statistics. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/07-training/types.ts'
import { sgdStep as rightStep } from '../kata.ts'

export * from '../kata.ts'

export const sgdStep: Kata['sgdStep'] = (model, batch, lr) => {
  const r = rightStep(model, batch, lr)
  return { ...r, model: { ...r.model, buffers: model.buffers } }
}

export const mistake: Mistake = {
  lecture:
    "BatchNorm's running mean and variance never updated: eval mode then normalises with the initial 0 and 1 instead of the statistics of the data",
  message: "keep BatchNorm's running statistics from the training pass",
}

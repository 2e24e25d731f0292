/** Mutant: BatchNorm1d's backward in eval mode is the training-mode backward of the same batch. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata, Layer } from '../../../katas/05-modules/types.ts'
import { batchNorm1d as rightBatchNorm1d } from '../kata.ts'

export * from '../kata.ts'

/** The right forward; in eval mode, the backward of a training pass (the batch statistics' terms included). */
const backwardForTrainingOnly = (inner: Layer): Layer => ({
  ...inner,
  forward: (x, mode = 'train') => {
    const pass = inner.forward(x, mode)
    const backward = mode === 'eval' ? inner.forward(x, 'train').backward : pass.backward
    return { ...pass, layer: backwardForTrainingOnly(pass.layer), backward }
  },
})

export const batchNorm1d: Kata['batchNorm1d'] = (dim, options) =>
  backwardForTrainingOnly(rightBatchNorm1d(dim, options))

export const mistake: Mistake = {
  lecture:
    "BatchNorm's backward written once, for training, and used in eval mode too: at evaluation the running mean and variance are constants, so no gradient flows through them",
  message: 'constants that do not depend on x',
}

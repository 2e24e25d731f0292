/** Mutant: BatchNorm1d normalises with the batch's statistics in eval mode too. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata, Layer } from '../../../katas/05-modules/types.ts'
import { batchNorm1d as rightBatchNorm1d } from '../kata.ts'

export * from '../kata.ts'

/** Every pass runs in training mode; in eval mode the running statistics are at least left where they were. */
const alwaysTraining = (inner: Layer): Layer => ({
  ...inner,
  forward: (x, mode = 'train') => {
    const pass = inner.forward(x, 'train')
    return { ...pass, layer: alwaysTraining(mode === 'eval' ? inner : pass.layer) }
  },
})

export const batchNorm1d: Kata['batchNorm1d'] = (dim, options) => alwaysTraining(rightBatchNorm1d(dim, options))

export const mistake: Mistake = {
  lecture:
    "the batch's mean and variance used in eval mode too: at evaluation BatchNorm1d normalises with its running statistics, so that an example's output does not depend on the rest of its batch (a lone example would come out as beta)",
  message: "use runningMean and runningVar, not the batch's statistics",
}

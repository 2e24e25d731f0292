/** Mutant: the layer a training pass returns is a fresh BatchNorm1d with the new running statistics: gamma and beta reset. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/05-modules/types.ts'
import { batchNorm1d as rightBatchNorm1d } from '../kata.ts'

export * from '../kata.ts'

export const batchNorm1d: Kata['batchNorm1d'] = (dim, options = {}) => {
  const layer = rightBatchNorm1d(dim, options)
  return {
    ...layer,
    forward: (x, mode = 'train') => {
      const pass = layer.forward(x, mode)
      if (mode === 'eval') return pass
      const [runningMean, runningVar] = pass.layer.buffers
      // the mistake: only the running statistics are carried over
      return {
        ...pass,
        layer: batchNorm1d(dim, { runningMean, runningVar, eps: options.eps, momentum: options.momentum }),
      }
    },
  }
}

export const mistake: Mistake = {
  lecture:
    'the layer after a training pass rebuilt from its running statistics alone: gamma and beta go back to ones and zeros, so everything the network learnt in them is lost at the next step',
  message: 'the layer a training pass returns has lost its gamma and beta',
}

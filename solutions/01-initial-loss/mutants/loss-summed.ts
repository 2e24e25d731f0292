/** Mutant: the negative log-likelihood summed over the batch instead of averaged. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/01-initial-loss/types.ts'
import { crossEntropy as meanCrossEntropy } from '../kata.ts'

export * from '../kata.ts'

export const crossEntropy: Kata['crossEntropy'] = (logits, targets) =>
  meanCrossEntropy(logits, targets) * logits.shape[0]

export const mistake: Mistake = {
  lecture:
    'cross-entropy summed over the batch instead of averaged: the loss grows with the batch size and a uniform guess no longer costs ln 27',
  message: 'the mean over the batch, not the sum',
}

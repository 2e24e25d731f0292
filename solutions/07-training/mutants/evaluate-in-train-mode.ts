/** Mutant: evaluation runs the model in training mode, on the whole split as one batch. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/07-training/types.ts'
import { forward } from '../../../lib/model/nn.ts'
import { crossEntropy } from '../../../lib/model/loss.ts'

export * from '../kata.ts'

export const evaluate: Kata['evaluate'] = (model, examples) =>
  crossEntropy(forward(model, examples.X, 'train').logits, examples.Y)

export const mistake: Mistake = {
  lecture:
    "evaluation in training mode: BatchNorm normalises with the split's own statistics instead of the running ones, so an example's loss depends on which examples share its batch",
  message: 'run the model in eval mode',
}

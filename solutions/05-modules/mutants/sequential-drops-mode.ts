/** Mutant: Sequential runs its layers without passing the mode on, so they stay in training mode. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata, Layer } from '../../../katas/05-modules/types.ts'
import { sequential as rightSequential } from '../kata.ts'

export * from '../kata.ts'

/** Each layer's forward called without the mode: a fresh layer's default, 'train'. */
const trainingOnly = (l: Layer): Layer => ({ ...l, forward: (x) => l.forward(x) })

export const sequential: Kata['sequential'] = (layers) => rightSequential(layers.map(trainingOnly))

export const mistake: Mistake = {
  lecture:
    "eval mode not passed on to the layers (the lecture's loop setting layer.training = False forgotten): BatchNorm keeps normalising with the batch's statistics at evaluation",
  message: 'eval mode should pass the mode on to every layer',
}

/** Mutant: the BatchNorm MLP keeps the hidden layer's bias b1. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/05-modules/types.ts'
import { zeros } from '../../../lib/engine/tensor.ts'
import { lectureMlp as rightLectureMlp, linear, sequential } from '../kata.ts'

export * from '../kata.ts'

export const lectureMlp: Kata['lectureMlp'] = (vocabSize, seed) => {
  const net = rightLectureMlp(vocabSize, seed)
  const [first, ...rest] = net.body.layers
  return { ...net, body: sequential([linear(first.parameters[0], zeros([first.parameters[0].shape[1]])), ...rest]) }
}

export const mistake: Mistake = {
  lecture:
    'a bias b1 kept in the Linear before BatchNorm: BatchNorm subtracts the batch mean, so b1 cancels out and only adds 200 parameters that never learn (12,297 instead of 12,097)',
  message: 'b1 would do nothing',
}

/** Mutant: lectureMlp draws W1 from an unseeded generator. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/05-modules/types.ts'
import { initTensor, kaiming } from '../../../lib/model/init.ts'
import { seedRng } from '../../../lib/engine/random.ts'
import { lectureMlp as rightLectureMlp, linear, sequential } from '../kata.ts'

export * from '../kata.ts'

export const lectureMlp: Kata['lectureMlp'] = (vocabSize, seed) => {
  const net = rightLectureMlp(vocabSize, seed)
  const [, ...rest] = net.body.layers
  // torch.randn((30, 200)) without generator=g: a different W1 on every call
  const [w1] = initTensor(kaiming('tanh'), [30, 200], 30)(seedRng(Math.floor(Math.random() * 2 ** 31)))
  return { ...net, body: sequential([linear(w1), ...rest]) }
}

export const mistake: Mistake = {
  lecture:
    'a weight drawn without the seeded generator (torch.randn without generator=g): the same seed no longer gives the same network, though C still does',
  message: 'the same seed should give the same network, but W1 differs',
}

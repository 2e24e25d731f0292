/** Mutant: deepMlp draws every tensor from the seed's first state instead of threading the generator. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/05-modules/types.ts'
import { constant, initTensor, kaiming, standardNormal, type InitScheme } from '../../../lib/model/init.ts'
import { seedRng } from '../../../lib/engine/random.ts'
import type { Tensor } from '../../../lib/engine/tensor.ts'
import { batchNorm1d, linear, sequential, tanhLayer } from '../kata.ts'

export * from '../kata.ts'

export const deepMlp: Kata['deepMlp'] = (vocabSize, seed) => {
  const s = seedRng(seed)
  // the next state each draw returns is dropped: every draw starts from the same state
  const draw = (scheme: InitScheme, shape: number[], fanIn: number): Tensor => initTensor(scheme, shape, fanIn)(s)[0]
  const widths = [30, 100, 100, 100, 100, 100]
  const embedding = draw(standardNormal, [vocabSize, 10], vocabSize)
  const hidden = widths
    .slice(0, -1)
    .flatMap((fanIn, i) => [
      linear(draw(kaiming('tanh'), [fanIn, widths[i + 1]], fanIn)),
      batchNorm1d(widths[i + 1]),
      tanhLayer(),
    ])
  const last = linear(draw(kaiming(1), [100, vocabSize], 100))
  const lastNorm = batchNorm1d(vocabSize, { gamma: draw(constant(0.1), [vocabSize], vocabSize) })
  return { embedding, blockSize: 3, body: sequential([...hidden, last, lastNorm]) }
}

export const mistake: Mistake = {
  lecture:
    "the generator's state not threaded through the draws (as if every torch.randn got a fresh torch.Generator().manual_seed(seed)): the four 100 × 100 weights come out identical, and every weight starts with C's numbers",
  message: 'every tensor was drawn from the same generator state',
}

/** Mutant: the sampling context always 3 characters long, whatever the model's block size. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/07-training/types.ts'
import { predictProbs } from '../../../lib/model/nn.ts'
import { decode } from '../../../lib/model/data.ts'
import { categorical, seedRng } from '../../../lib/engine/random.ts'

export * from '../kata.ts'

export const sampleNames: Kata['sampleNames'] = (model, vocab, count, seed) => {
  const blockSize = 3
  let s = seedRng(seed)
  const names: string[] = []
  for (let n = 0; n < count; n++) {
    const context = new Int32Array(blockSize)
    const out: number[] = []
    while (out.length < 30) {
      const [ix, next] = categorical(predictProbs(model, context).data)(s)
      s = next
      if (ix === 0) break
      out.push(ix)
      context.copyWithin(0, 1)
      context[blockSize - 1] = ix
    }
    names.push(decode(out, vocab))
  }
  return names
}

export const mistake: Mistake = {
  lecture:
    "the lecture's block_size = 3 written into the sampler: a model trained on another context length reads the wrong number of characters",
  message: "the context has the embedding layer's blockSize",
}

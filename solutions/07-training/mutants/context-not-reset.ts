/** Mutant: the sampling context is made once, before the loop over names, and never reset to '...'. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/07-training/types.ts'
import { predictProbs } from '../../../lib/model/nn.ts'
import { decode } from '../../../lib/model/data.ts'
import { categorical, seedRng } from '../../../lib/engine/random.ts'

export * from '../kata.ts'

export const sampleNames: Kata['sampleNames'] = (model, vocab, count, seed) => {
  let s = seedRng(seed)
  const names: string[] = []
  const context = new Int32Array(3)
  for (let n = 0; n < count; n++) {
    const out: number[] = []
    while (out.length < 30) {
      const [ix, next] = categorical(predictProbs(model, context).data)(s)
      s = next
      if (ix === 0) break
      out.push(ix)
      context.copyWithin(0, 1)
      context[2] = ix
    }
    names.push(decode(out, vocab))
  }
  return names
}

export const mistake: Mistake = {
  lecture:
    "the context made once for all the names: every name after the first starts from the end of the one before instead of from '...' (the lecture's context = [0] * block_size goes inside the loop over names)",
  message: "the context must start as '...' for every name",
}

/** Mutant: sampling skips '.' and goes on drawing, so a name only ends after 30 characters. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/07-training/types.ts'
import { predictProbs } from '../../../lib/model/nn.ts'
import { decode } from '../../../lib/model/data.ts'
import { categorical, seedRng } from '../../../lib/engine/random.ts'

export * from '../kata.ts'

export const sampleNames: Kata['sampleNames'] = (model, vocab, count, seed) => {
  let s = seedRng(seed)
  const names: string[] = []
  for (let n = 0; n < count; n++) {
    const context = new Int32Array(3)
    const out: number[] = []
    while (out.length < 30) {
      const [ix, next] = categorical(predictProbs(model, context).data)(s)
      s = next
      if (ix === 0) continue
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
    "no stop at '.': the end token skipped and the drawing goes on, so every name runs to the length limit (the lecture: if ix == 0: break)",
  message: "a name ends at the first '.' drawn",
}

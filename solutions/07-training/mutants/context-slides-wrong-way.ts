/** Mutant: the drawn character goes in at the front of the context (unshift) and the newest one falls off. */
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
      if (ix === 0) break
      out.push(ix)
      context.copyWithin(1, 0, 2)
      context[0] = ix
    }
    names.push(decode(out, vocab))
  }
  return names
}

export const mistake: Mistake = {
  lecture:
    'the context slid the wrong way: the new character pushed in at the front, so the model reads the context backwards (the lecture: context = context[1:] + [ix])',
  message: 'the new character goes in at the end and the oldest one leaves from the front',
}

/** Mutant: sampling takes the most likely character instead of drawing one. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/07-training/types.ts'
import { predictProbs } from '../../../lib/model/nn.ts'
import { decode } from '../../../lib/model/data.ts'

export * from '../kata.ts'

export const sampleNames: Kata['sampleNames'] = (model, vocab, count) => {
  const names: string[] = []
  for (let n = 0; n < count; n++) {
    const context = new Int32Array(3)
    const out: number[] = []
    while (out.length < 30) {
      const p = predictProbs(model, context).data
      let ix = 0
      for (let j = 1; j < p.length; j++) if (p[j] > p[ix]) ix = j
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
    'sampling by argmax: the most likely next character every time, so every name comes out the same and the seed does nothing',
  message: "draw each character from the model's probabilities",
}

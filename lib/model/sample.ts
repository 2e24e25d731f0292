/**
 * Sampling names from a trained model: start from a context of '.', draw the next character from
 * the model's probabilities, slide it into the context, stop at '.'.
 */
import { predictProbs, type Model } from './nn.ts'
import { categorical, type Rng } from '../engine/random.ts'
import { decode, type Vocabulary } from './data.ts'

/** One name (at most `maxLength` characters, so an untrained model cannot loop forever). */
export const sampleName =
  (model: Model, vocab: Vocabulary, blockSize: number, maxLength = 30): Rng<string> =>
  (s0) => {
    let s = s0
    const context = new Int32Array(blockSize)
    const out: number[] = []
    while (out.length < maxLength) {
      const probs = predictProbs(model, context)
      const [ix, next] = categorical(probs.data)(s)
      s = next
      if (ix === 0) break
      out.push(ix)
      context.copyWithin(0, 1)
      context[blockSize - 1] = ix
    }
    return [decode(out, vocab), s]
  }

/** `count` names, one after the other from the same generator. */
export const sampleNames =
  (model: Model, vocab: Vocabulary, blockSize: number, count: number): Rng<string[]> =>
  (s0) => {
    let s = s0
    const names: string[] = []
    for (let i = 0; i < count; i++) {
      const [name, next] = sampleName(model, vocab, blockSize)(s)
      names.push(name)
      s = next
    }
    return [names, s]
  }

/**
 * Sampling names from a trained model: start from a context of '.', draw the next character from
 * the model's probabilities, slide it into the context, stop at '.'.
 */
import * as S from 'fp-ts/State'
import { predictProbs, type Model } from './nn.ts'
import { categorical, type Rng } from '../engine/random.ts'
import { decode, type Vocabulary } from './data.ts'

/**
 * One name (at most `maxLength` characters, so an untrained model cannot loop forever). How many
 * draws it makes depends on what it draws, so the loop passes the generator on by hand.
 */
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
export const sampleNames = (
  model: Model,
  vocab: Vocabulary,
  blockSize: number,
  count: number,
): Rng<readonly string[]> => S.sequenceArray(Array.from({ length: count }, () => sampleName(model, vocab, blockSize)))

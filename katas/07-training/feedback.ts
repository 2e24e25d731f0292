/**
 * What the checks of this kata build on: fixtures, reference computations and the feedback that
 * names the slip a failing check sees.
 */
import type { Examples } from '../../lib/model/data.ts'
import { BLOCK_SIZE, batchOf as fixtureBatch, smallCorpus, vocabulary } from '../../lib/course/fixtures.ts'
import { batchNorm1d, embedding, initModel, linear, tanhLayer, type LayerSpec, type Model } from '../../lib/model/nn.ts'
import { kaiming, scaledNormal } from '../../lib/model/init.ts'
import { evalRng } from '../../lib/engine/random.ts'

export { BLOCK_SIZE } from '../../lib/course/fixtures.ts'
export { embedding, initModel, linear, predict, tanhLayer, trainingPass, type Model } from '../../lib/model/nn.ts'
export { constant, kaiming, scaledNormal } from '../../lib/model/init.ts'
export { crossEntropy } from '../../lib/model/loss.ts'
export { sgdStep as engineStep } from '../../lib/model/train.ts'
export { evalRng } from '../../lib/engine/random.ts'

// ---------------------------------------------------------------------------------------------
// Data: a few hundred names, so that every run here takes a fraction of a second

export const vocab = vocabulary()
export const corpus = smallCorpus(600, 7)
export const LN27 = Math.log(27)

/** A small BatchNorm MLP (hidden 32), so steps are cheap and running statistics are involved. */
const small: LayerSpec[] = [
  embedding(vocab.size, 10, BLOCK_SIZE),
  linear(30, 32, { bias: false, weightInit: kaiming('tanh') }),
  batchNorm1d(32, { momentum: 0.1 }),
  tanhLayer(),
  linear(32, vocab.size, { weightInit: scaledNormal(0.01) }),
]
export const smallModel = (seed: number): Model => evalRng(initModel(small), seed)
export const batchOf = (size: number, seed: number) => fixtureBatch(size, seed, corpus.train)

/** The first `count` examples of a split, and the rest. */
export const cut = (ex: Examples, count: number): [Examples, Examples] => {
  const b = ex.blockSize
  return [
    { X: ex.X.subarray(0, count * b), Y: ex.Y.subarray(0, count), count, blockSize: b },
    { X: ex.X.subarray(count * b), Y: ex.Y.subarray(count), count: ex.count - count, blockSize: b },
  ]
}
/**
 * A model built by hand whose next character is a function of the whole context: 'a' after '...',
 * 'b' after '..a', '.' after '.ab' (but for a chance of 1e-4 of 'z', so that a sampler that skips
 * '.' without stopping cannot loop forever), and 'z' after any other context. So from '...' it
 * spells "ab", if the context slides as the lecture's does; one name in 10,000 comes out "abzz…"
 * (30 long), and the check allows one such name. One-hot embeddings; one tanh unit per known
 * context, at +1 when all three characters match and -1 otherwise; each unit votes for the
 * character that follows its context.
 */
export const spellsAb = (): Model => {
  const V = vocab.size,
    B = BLOCK_SIZE,
    ix = (ch: string) => (ch === '.' ? 0 : vocab.stoi.get(ch)!)
  const rules: [string, string][] = [
    ['...', 'a'],
    ['..a', 'b'],
    ['.ab', '.'],
  ]
  const H = rules.length,
    S = 40,
    A = 100,
    z = ix('z')
  const base = evalRng(initModel([embedding(V, V, B), linear(B * V, H), tanhLayer(), linear(H, V)]), 0)
  const emb = new Float64Array(V * V),
    w1 = new Float64Array(B * V * H),
    b1 = new Float64Array(H).fill(-(B - 0.5) * S)
  const w2 = new Float64Array(H * V),
    b2 = new Float64Array(V)
  for (let c = 0; c < V; c++) emb[c * V + c] = 1
  rules.forEach(([context, next], j) => {
    for (let p = 0; p < B; p++) w1[(p * V + ix(context[p])) * H + j] = S
    w2[j * V + ix(next)] = A / 2
    b2[ix(next)] += A / 2
  })
  b2[z] = A / 2 // 'z' after a context no unit knows
  w2[(H - 1) * V + z] = (A / 2 + Math.log(1e-4)) / 2 // after '.ab': 'z' at 1e-4 the chance of '.'
  b2[z] += (A / 2 + Math.log(1e-4)) / 2
  return {
    ...base,
    params: {
      'embedding.weight': { shape: [V, V], data: emb },
      'linear1.weight': { shape: [B * V, H], data: w1 },
      'linear1.bias': { shape: [H], data: b1 },
      'linear2.weight': { shape: [H, V], data: w2 },
      'linear2.bias': { shape: [V], data: b2 },
    },
  }
}
export const snapshot = (m: Model) =>
  JSON.stringify([m.params, m.buffers], (_, v) => (v instanceof Float64Array ? Array.from(v) : v))

// ---------------------------------------------------------------------------------------------

/**
 * What the checks of this kata build on: fixtures, reference computations and the feedback that
 * names the slip a failing check sees.
 */
import { type Batch, type Examples, sampleBatch } from '../../lib/model/data.ts'
import { BLOCK_SIZE, batchOf as fixtureBatch, smallCorpus, vocabulary } from '../../lib/course/fixtures.ts'
import { batchNorm1d, embedding, initModel, linear, tanhLayer, type LayerSpec, type Model } from '../../lib/model/nn.ts'
import { kaiming, scaledNormal } from '../../lib/model/init.ts'
import { evalRng, type RngState, seedRng } from '../../lib/engine/random.ts'

export { BLOCK_SIZE } from '../../lib/course/fixtures.ts'
export { embedding, initModel, linear, predict, tanhLayer, trainingPass, type Model } from '../../lib/model/nn.ts'
export { constant, kaiming, scaledNormal } from '../../lib/model/init.ts'
export { findExperiment } from '../../lib/course/fixtures.ts'
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
export const spellsAb = (B: number = BLOCK_SIZE): Model => {
  const V = vocab.size,
    ix = (ch: string) => (ch === '.' ? 0 : vocab.stoi.get(ch)!)
  const dots = (k: number) => '.'.repeat(k)
  const rules: [string, string][] = [
    [dots(B), 'a'],
    [`${dots(B - 1)}a`, 'b'],
    [`${dots(B - 2)}ab`, '.'],
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

// ---------------------------------------------------------------------------------------------
// The training loop replayed: what `steps` steps from one generator give, and what the slips give

type Step = (model: Model, batch: Batch, lr: number) => { readonly model: Model; readonly loss: number }

/**
 * `steps` steps of `step` (the learner's own sgdStep) on batches of `batchSize` from `examples`: drawn from
 * one generator seeded once ('threaded', the lecture's), from a generator seeded again with seed + step
 * ('reseeded'); each step at learningRate(step) or at `fixedLr`.
 */
export const replay = (
  step: Step,
  lrOf: (i: number) => number,
  model: Model,
  examples: Examples,
  o: { steps: number; seed: number; batchSize: number; draws: 'threaded' | 'reseeded' },
): { losses: number[]; model: Model } => {
  const draw = sampleBatch(examples, o.batchSize)
  let s: RngState = seedRng(o.seed),
    m = model
  const losses: number[] = []
  for (let i = 0; i < o.steps; i++) {
    const [batch, next] = draw(o.draws === 'threaded' ? s : seedRng(o.seed + i))
    s = next
    const r = step(m, batch, lrOf(i))
    losses.push(r.loss)
    m = r.model
  }
  return { losses, model: m }
}

/** Why a run of trainModel is not the replay of one generator's batches at each step's learning rate. */
export const runVerdict = (
  got: { losses: readonly number[]; model: Model },
  step: Step,
  lrOf: (i: number) => number,
  model: Model,
  examples: Examples,
  o: { steps: number; seed: number; batchSize: number },
): string => {
  const same = (a: { losses: readonly number[]; model: Model }) =>
    a.losses.every((l, i) => l === got.losses[i]) && snapshot(a.model) === snapshot(got.model)
  if (same(replay(step, lrOf, model, examples, { ...o, draws: 'reseeded' })))
    return "yours seeds a generator again at every step (seedRng(seed + step)): seed one generator once and carry its state from step to step (const [batch, next] = draw(s); s = next), as the lecture's g is passed to every torch.randint"
  for (const lr of [0.1, 0.01])
    if (same(replay(step, () => lr, model, examples, { ...o, draws: 'threaded' })))
      return `yours applies ${lr} at every step: each step must apply the learning rate it records, learningRate(step, steps) (0.1, then 0.01 after half the steps), not only list it`
  if (same(replay(step, (i) => lrOf(i + 1), model, examples, { ...o, draws: 'threaded' })))
    return "yours applies the next step's learning rate: step i applies learningRate(i, steps)"
  return `the run should be ${o.steps} steps of your sgdStep on the batches of one generator seeded once with ${o.seed} (batches of ${o.batchSize}), step i at learningRate(i, ${o.steps}); losses [${got.losses.map((l) => l.toFixed(4)).join(', ')}]`
}

/** Which split a loss table's val column was computed on. */
export const splitVerdict = (val: number, on: { train: number; val: number; test: number }): string =>
  val === on.test
    ? `the val column is the loss on the test split (${on.test.toFixed(4)}); it is the loss on corpus.val (${on.val.toFixed(4)}): the test split stays untouched until the very end`
    : val === on.train
      ? `the val column is the loss on the train split (${on.train.toFixed(4)}); it is the loss on corpus.val (${on.val.toFixed(4)})`
      : `the val column should be evaluate(model, corpus.val) = ${on.val.toFixed(4)}, got ${val.toFixed(4)}`

/**
 * What the checks of this kata build on: fixtures, reference computations and the feedback that
 * names the slip a failing check sees.
 */
import { BLOCK_SIZE, batchOf, EMBEDDING_DIM, HIDDEN, vocabulary } from '../../lib/course/fixtures.ts'
import { crossEntropy as engineCrossEntropy } from '../../lib/model/loss.ts'
import { embedding, linear, predict, sequential, tanhLayer, trainingPass, type Model } from '../../lib/model/nn.ts'
import { sgdStep } from '../../lib/model/train.ts'
import { randn, seedRng } from '../../lib/engine/random.ts'
import type { Indices } from '../../lib/engine/ops.ts'
import { matrix, type Tensor } from '../../lib/engine/tensor.ts'
import { crossEntropy } from './kata.ts'
import type { MlpParams, MlpScales, MlpSizes } from './types.ts'

export { crossEntropy as engineCrossEntropy } from '../../lib/model/loss.ts'
export { predict } from '../../lib/model/nn.ts'
export { evalRng, randint, randn, randnTensor, seedRng, type RngState } from '../../lib/engine/random.ts'
export { stdAll } from '../../lib/engine/ops.ts'
export { full, matrix, vector, zeros, type Tensor } from '../../lib/engine/tensor.ts'
export { tensorOf, uniformValue } from '../../lib/engine/arbitraries.ts'
export { relativeError } from '../../lib/engine/gradcheck.ts'

/** fast-check settings: stop at the first failing example rather than shrink it, so a wrong answer fails fast in watch mode. */
export const runs = (numRuns: number) => ({ numRuns, endOnFailure: true })

export { batchOf } from '../../lib/course/fixtures.ts'

export const LN27 = Math.log(27)
/** The lecture's sizes: 27 tokens, 3 characters of context, 10-dim embeddings, 200 hidden units. */
export const lecture: MlpSizes = {
  vocabSize: vocabulary().size,
  blockSize: BLOCK_SIZE,
  embeddingDim: EMBEDDING_DIM,
  hidden: HIDDEN,
}
export const naive: MlpScales = { w1: 1, b1: 1, w2: 1, b2: 1 }

/** The same parameters as a model of the engine (lib/nn), whose forward and backward are tested there. */
export const asModel = (p: MlpParams): Model => {
  const [V, d] = p.C.shape
  const [fanIn, H] = p.W1.shape
  return {
    layers: sequential([embedding(V, d, fanIn / d), linear(fanIn, H), tanhLayer(), linear(H, V)]),
    params: {
      'embedding.weight': p.C,
      'linear1.weight': p.W1,
      'linear1.bias': p.b1,
      'linear2.weight': p.W2,
      'linear2.bias': p.b2,
    },
    buffers: {},
  }
}
const asParams = (m: Model): MlpParams => ({
  C: m.params['embedding.weight'],
  W1: m.params['linear1.weight'],
  b1: m.params['linear1.bias'],
  W2: m.params['linear2.weight'],
  b2: m.params['linear2.bias'],
})

/** `steps` steps of SGD (the engine's) on batches of 32; returns the parameters and the last gradients. */
export const trainFor = (p: MlpParams, steps: number, seed: number) => {
  let state = { model: asModel(p), step: 0 }
  for (let i = 0; i < steps; i++) state = sgdStep(state, batchOf(32, seed + i), 0.1).state
  const batch = batchOf(32, seed + steps)
  const last = trainingPass(state.model, batch.X, batch.Y)
  return {
    params: asParams(state.model),
    dW1: last.trace.paramGrads['linear1.weight'],
    db1: last.trace.paramGrads['linear1.bias'],
  }
}

export const rowsOf = (t: Tensor): number[][] =>
  Array.from({ length: t.shape[0] }, (_, i) => Array.from(t.data.subarray(i * t.shape[1], (i + 1) * t.shape[1])))
export const isFiniteTensor = (t: Tensor): boolean => t.data.every(Number.isFinite)
export const num = (x: number): string => String(Number(x.toPrecision(4)))
/** Equal to about 10 significant digits (or both the same non-finite number). */
const agrees = (a: number, b: number): boolean => a === b || Math.abs(a - b) <= 1e-10 * Math.max(1, Math.abs(b))

/**
 * Before a later section blames the init for a wrong first loss: does your crossEntropy agree with the
 * engine's (lib/model/loss.ts) on the same logits (the engine's forward pass of p)? If not, it says so.
 */
export const crossEntropyVerdict = (
  p: MlpParams,
  batch: { readonly X: Indices; readonly Y: Indices },
): string | undefined => {
  const logits = predict(asModel(p), batch.X)
  const right = engineCrossEntropy(logits, batch.Y)
  let yours: number
  try {
    yours = crossEntropy(logits, batch.Y)
  } catch {
    return undefined
  }
  return agrees(yours, right)
    ? undefined
    : `your crossEntropy is off, not the init: on this net's logits it gives ${num(yours)} where the mean of -ln p[target] is ${num(right)} (its own checks in section 3 say how)`
}

/** The five tensors of initMlp in the order the lecture draws them, with the scale each is drawn with. */
export const drawOrder = (p: MlpParams, s: MlpScales): Array<{ name: string; t: Tensor; scale: number }> => [
  { name: 'C', t: p.C, scale: 1 },
  { name: 'W1', t: p.W1, scale: s.w1 },
  { name: 'b1', t: p.b1, scale: s.b1 },
  { name: 'W2', t: p.W2, scale: s.w2 },
  { name: 'b2', t: p.b2, scale: s.b2 },
]
/** Whether a's first k numbers are a multiple of b's first k (the same draws, scaled). */
export const sameDraws = (a: Float64Array, b: Float64Array, k: number): boolean => {
  const r = a[0] / b[0]
  return (
    Number.isFinite(r) &&
    r !== 0 &&
    Array.from({ length: k }, (_, i) => i).every((i) => Math.abs(a[i] - r * b[i]) <= 1e-12 * Math.abs(a[i]))
  )
}
/** Where a crossEntropy that disagrees with the engine's goes wrong: the first row that is wrong alone, else the fewest rows that are wrong together. */
export const crossEntropyLawVerdict = (logits: Tensor, targets: Indices): string => {
  const [n, v] = logits.shape
  const row = (i: number) => Array.from(logits.data.subarray(i * v, (i + 1) * v))
  for (let i = 0; i < n; i++) {
    const one = matrix([row(i)]),
      t = [targets[i]]
    const yours = crossEntropy(one, t),
      want = engineCrossEntropy(one, t)
    if (!agrees(yours, want)) {
      return `row ${i} alone is wrong: logits [${row(i).join(', ')}] with target ${t[0]} cost -ln softmax(row)[${t[0]}] = ln(sum_k exp(x_k - m)) + m - x_${t[0]} = ${num(want)} (m the row's max), yours gives ${num(yours)}`
    }
  }
  for (let k = 2; k <= n; k++) {
    const first = matrix(Array.from({ length: k }, (_, i) => row(i))),
      t = Array.from({ length: k }, (_, i) => targets[i])
    const yours = crossEntropy(first, t),
      want = engineCrossEntropy(first, t)
    if (!agrees(yours, want)) {
      const each = t.map((ti, i) => num(engineCrossEntropy(matrix([row(i)]), [ti])))
      return (
        `each row alone is right, but these ${k} rows together are not: logits [${Array.from({ length: k }, (_, i) => `[${row(i).join(', ')}]`).join(', ')}] with targets [${t.join(', ')}] ` +
        `cost the mean of the rows' losses, (${each.join(' + ')}) / ${k} = ${num(want)}, yours gives ${num(yours)}: row i costs -ln p of its own target, logits.data[i * V + targets[i]], and the loss is the mean over the batch, not the sum`
      )
    }
  }
  return 'the loss must be the mean of -ln p over the batch, p = softmax(logits)[target]'
}
/** Why tensor `name` of initMlp is not `scale` × the draws `want` that the one generator gives it next. */
export const streamVerdict = (
  name: string,
  prev: string | undefined,
  yours: Float64Array,
  want: Float64Array,
  s: number,
  scale: number,
): string => {
  const what =
    prev === undefined
      ? `${name} should be ${scale} × the first ${want.length} draws of randn from seedRng(seed) = seedRng(${s})`
      : `${name} should be ${scale} × the next ${want.length} draws of the same generator, continuing where ${prev} stopped`
  if (prev !== undefined && sameDraws(yours, randn(want.length)(seedRng(s))[0], want.length)) {
    return `${what}; yours are the first draws of seedRng(${s}) again, the stream started over: ${THREAD}`
  }
  if (sameDraws(yours, want, want.length))
    return `${what}; yours are the right draws times ${num((scale * yours[0]) / want[0])}, not times ${scale}: scale randn by the scale given for ${name}`
  return `${what}: draw C, W1, b1, W2, b2 in that order and ${THREAD}`
}
export const THREAD =
  "thread one generator's state through the draws: seed it once with `seed`, and start each draw from the state the last one returned (the lecture's torch.Generator g, passed to every torch.randn)"

/** What the common slips of crossEntropy give on a batch, and which of them `got` matches. */
export const crossEntropySlip = (logits: Tensor, targets: Indices, got: number): string => {
  const [n, v] = logits.shape
  const x = logits.data
  const batchMax = Math.max(...x)
  const rowMax = (i: number) => Math.max(...x.subarray(i * v, (i + 1) * v))
  const nll = (max: (i: number) => number) => {
    let s = 0
    for (let i = 0; i < n; i++) {
      let total = 0
      for (let j = 0; j < v; j++) total += Math.exp(x[i * v + j] - max(i))
      s += Math.log(total) + max(i) - x[i * v + targets[i]]
    }
    return s
  }
  const want = nll(rowMax) / n
  const slips: [string, number][] = [
    [
      `subtracting the largest logit of the whole batch (${batchMax}) from every row: exp underflows to 0 in the rows whose own max is far below it; each row needs its own max`,
      nll(() => batchMax) / n,
    ],
    ['the sum over the batch, not the mean', nll(rowMax)],
  ]
  const same = (a: number, b: number) => a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b))
  // the first slip that matches: a non-finite loss may match several
  const match = slips
    .filter(([, s]) => !same(s, want) && same(s, got))
    .map(([s]) => s)
    .slice(0, 1)
  const rows = Array.from({ length: n }, (_, i) => `[${Array.from(x.subarray(i * v, (i + 1) * v)).join(', ')}]`)
  return `logits ${rows.join(', ')} with targets [${Array.from(targets).join(', ')}] cost ${num(want)}, yours gives ${num(got)}${match.length > 0 ? `: that is what ${match.join(', or ')} gives` : ''}`
}

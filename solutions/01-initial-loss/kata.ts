/**
 * Reference answers for kata 01 (the initial loss). Each export has the type katas/01-initial-
 * loss/types.ts gives it, as the learner's must: the answer can be copied into katas/01-initial-
 * loss/kata.ts as it is.
 */
import type { Kata } from '../../katas/01-initial-loss/types.ts'
import { reshape } from '../../lib/engine/tensor.ts'
import { add, gather, matmul, scale, tanh } from '../../lib/engine/ops.ts'
import { randnTensor, seedRng } from '../../lib/engine/random.ts'

export const expectedInitialLoss: Kata['expectedInitialLoss'] = (vocabSize) => -Math.log(1 / vocabSize)

/** The largest entry of row i of an [N, V] matrix. */
const rowMax = (x: Float64Array, start: number, n: number): number => {
  let max = -Infinity
  for (let j = 0; j < n; j++) if (x[start + j] > max) max = x[start + j]
  return max
}

export const softmax: Kata['softmax'] = (logits) => {
  const [m, n] = logits.shape
  const out = new Float64Array(m * n)
  for (let i = 0; i < m; i++) {
    const s = i * n
    const max = rowMax(logits.data, s, n)
    let total = 0
    for (let j = 0; j < n; j++) {
      out[s + j] = Math.exp(logits.data[s + j] - max)
      total += out[s + j]
    }
    for (let j = 0; j < n; j++) out[s + j] /= total
  }
  return { shape: [m, n], data: out }
}

export const crossEntropy: Kata['crossEntropy'] = (logits, targets) => {
  const [m, n] = logits.shape
  const x = logits.data
  let nll = 0
  for (let i = 0; i < m; i++) {
    const s = i * n
    const max = rowMax(x, s, n)
    let total = 0
    for (let j = 0; j < n; j++) total += Math.exp(x[s + j] - max)
    // -ln p_t = ln(sum exp(x - max)) + max - x_t: never -ln(0), however small p_t is
    nll += Math.log(total) + max - x[s + targets[i]]
  }
  return nll / m
}

export const initMlp: Kata['initMlp'] = (sizes, scales, seed) => {
  const { vocabSize: V, blockSize, embeddingDim: d, hidden: H } = sizes
  // the generator's state is a value: each draw returns the state the next draw starts from
  const [C, s1] = randnTensor([V, d])(seedRng(seed))
  const [W1, s2] = randnTensor([blockSize * d, H])(s1)
  const [b1, s3] = randnTensor([H])(s2)
  const [W2, s4] = randnTensor([H, V])(s3)
  const [b2] = randnTensor([V])(s4)
  return { C, W1: scale(W1, scales.w1), b1: scale(b1, scales.b1), W2: scale(W2, scales.w2), b2: scale(b2, scales.b2) }
}

export const mlpLogits: Kata['mlpLogits'] = ({ C, W1, b1, W2, b2 }, X) => {
  const blockSize = W1.shape[0] / C.shape[1]
  const emb = reshape(gather(C, X), [X.length / blockSize, W1.shape[0]])
  const h = tanh(add(matmul(emb, W1), b1))
  return add(matmul(h, W2), b2)
}

export const initialLoss: Kata['initialLoss'] = (params, { X, Y }) => crossEntropy(mlpLogits(params, X), Y)

export const fixOutputLayer: Kata['fixOutputLayer'] = (scales) => ({ ...scales, w2: 0.01, b2: 0 })

export const distinctHiddenUnits: Kata['distinctHiddenUnits'] = (W1, b1, tolerance = 1e-9) => {
  const [fanIn, hidden] = W1.shape
  /** unit j as the numbers that define it: its column of W1, then its bias */
  const unit = (j: number): number[] => [
    ...Array.from({ length: fanIn }, (_, i) => W1.data[i * hidden + j]),
    b1.data[j],
  ]
  const same = (a: number[], b: number[]): boolean => a.every((v, i) => Math.abs(v - b[i]) <= tolerance)
  const representatives: number[][] = []
  for (let j = 0; j < hidden; j++) {
    const u = unit(j)
    if (!representatives.some((r) => same(r, u))) representatives.push(u)
  }
  return representatives.length
}

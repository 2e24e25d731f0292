/**
 * Softmax, log-softmax and cross-entropy over rows of logits.
 *
 * Each row's maximum is subtracted before exponentiating: softmax does not change (it is
 * invariant to adding a constant to a row) and exp never overflows, so logits of ±1e4 stay finite.
 */
import { ShapeError, expectMatrix, expectSameShape, showShape, type Tensor } from '../engine/tensor.ts'
import type { Indices } from '../engine/ops.ts'

/** The loss of a uniform guess over `vocabSize` classes: -ln(1/V) = ln V (3.2958 for V = 27). */
export const expectedInitialLoss = (vocabSize: number): number => Math.log(vocabSize)

const rowwise = (
  op: string,
  logits: Tensor,
  f: (x: Float64Array, o: Float64Array, start: number, n: number) => void,
): Tensor => {
  const [m, n] = expectMatrix(op, logits, 'logits')
  const out = new Float64Array(m * n)
  for (let i = 0; i < m; i++) f(logits.data, out, i * n, n)
  return { shape: logits.shape, data: out }
}

/** Probabilities per row: exp(x - max) / sum(exp(x - max)). */
export const softmax = (logits: Tensor): Tensor =>
  rowwise('softmax', logits, (x, o, s, n) => {
    let max = -Infinity
    for (let j = 0; j < n; j++) if (x[s + j] > max) max = x[s + j]
    let total = 0
    for (let j = 0; j < n; j++) {
      const e = Math.exp(x[s + j] - max)
      o[s + j] = e
      total += e
    }
    for (let j = 0; j < n; j++) o[s + j] /= total
  })

/** Log-probabilities per row: x - max - ln(sum(exp(x - max))). */
export const logSoftmax = (logits: Tensor): Tensor =>
  rowwise('logSoftmax', logits, (x, o, s, n) => {
    let max = -Infinity
    for (let j = 0; j < n; j++) if (x[s + j] > max) max = x[s + j]
    let total = 0
    for (let j = 0; j < n; j++) total += Math.exp(x[s + j] - max)
    const lse = max + Math.log(total)
    for (let j = 0; j < n; j++) o[s + j] = x[s + j] - lse
  })

/** For p = softmax(x): dx = p * (g - sum(g * p)) per row. */
export const softmaxBackward = (probs: Tensor, g: Tensor): Tensor => {
  expectSameShape('softmaxBackward', probs, g)
  return rowwise('softmaxBackward', probs, (p, o, s, n) => {
    let dot = 0
    for (let j = 0; j < n; j++) dot += g.data[s + j] * p[s + j]
    for (let j = 0; j < n; j++) o[s + j] = p[s + j] * (g.data[s + j] - dot)
  })
}

/** For l = logSoftmax(x): dx = g - exp(l) * sum(g) per row. */
export const logSoftmaxBackward = (logProbs: Tensor, g: Tensor): Tensor => {
  expectSameShape('logSoftmaxBackward', logProbs, g)
  return rowwise('logSoftmaxBackward', logProbs, (l, o, s, n) => {
    let total = 0
    for (let j = 0; j < n; j++) total += g.data[s + j]
    for (let j = 0; j < n; j++) o[s + j] = g.data[s + j] - Math.exp(l[s + j]) * total
  })
}

const checkTargets = (op: string, logits: Tensor, targets: Indices): readonly [number, number] => {
  const [m, n] = expectMatrix(op, logits, 'logits')
  if (targets.length !== m)
    throw new ShapeError(op, `${targets.length} targets for logits of shape ${showShape(logits.shape)}`)
  for (let i = 0; i < m; i++) {
    const t = targets[i]
    if (!(Number.isInteger(t) && t >= 0 && t < n))
      throw new ShapeError(op, `target ${t} at row ${i} is not a class index in 0..${n - 1}`)
  }
  return [m, n]
}

export interface CrossEntropy {
  /** Mean negative log-likelihood of the targets. */
  readonly loss: number
  /** softmax of the logits (what the network believes). */
  readonly probs: Tensor
  /** d loss / d logits = (softmax - onehot(target)) / N. */
  readonly dlogits: Tensor
}

/** Cross-entropy with its gradient in one pass: the training step needs both. */
export const crossEntropyWithGrad = (logits: Tensor, targets: Indices): CrossEntropy => {
  const p = new Float64Array(logits.data.length),
    d = new Float64Array(logits.data.length)
  const loss = crossEntropyInto(logits, targets, p, d)
  return { loss, probs: { shape: logits.shape, data: p }, dlogits: { shape: logits.shape, data: d } }
}

/**
 * crossEntropyWithGrad's loop into arrays the caller owns (a step plan's, reused every step):
 * softmax into `probs`, d loss / d logits into `dlogits`; returns the loss.
 */
export const crossEntropyInto = (
  logits: Tensor,
  targets: Indices,
  probs: Float64Array,
  dlogits: Float64Array,
): number => {
  const [m, n] = checkTargets('crossEntropy', logits, targets)
  const x = logits.data,
    p = probs,
    d = dlogits
  let nll = 0
  for (let i = 0; i < m; i++) {
    const s = i * n,
      t = targets[i]
    let max = -Infinity
    for (let j = 0; j < n; j++) if (x[s + j] > max) max = x[s + j]
    let total = 0
    for (let j = 0; j < n; j++) {
      const e = Math.exp(x[s + j] - max)
      p[s + j] = e
      total += e
    }
    // -log p_t from the logits (log-sum-exp), not from p_t, so it stays finite when p_t underflows
    nll += max + Math.log(total) - x[s + t]
    for (let j = 0; j < n; j++) {
      p[s + j] /= total
      d[s + j] = p[s + j] / m
    }
    d[s + t] -= 1 / m
  }
  return nll / m
}

/** Mean negative log-likelihood of integer targets under softmax(logits). */
export const crossEntropy = (logits: Tensor, targets: Indices): number => {
  const [m, n] = checkTargets('crossEntropy', logits, targets)
  const lp = logSoftmax(logits)
  let nll = 0
  for (let i = 0; i < m; i++) nll -= lp.data[i * n + targets[i]]
  return nll / m
}

/** d crossEntropy / d logits = (softmax(logits) - onehot(targets)) / N. */
export const crossEntropyBackward = (logits: Tensor, targets: Indices): Tensor =>
  crossEntropyWithGrad(logits, targets).dlogits

/**
 * What the checks of this kata build on: fixtures, reference computations and the feedback that
 * names the slip a failing check sees.
 */
import { embedding, linear, tanhLayer, trainingPass, type LayerSpec, type Model } from '../../lib/model/nn.ts'
import { scaledNormal, standardNormal } from '../../lib/model/init.ts'
import type { Tensor } from '../../lib/engine/tensor.ts'
import type { MlpScales } from './types.ts'

export {
  embedding,
  initModel,
  linear,
  reluLayer,
  tanhLayer,
  trainingPass,
  type LayerSpec,
  type Model,
} from '../../lib/model/nn.ts'
export { kaiming, scaledNormal } from '../../lib/model/init.ts'
export { sgdStep } from '../../lib/model/train.ts'
export { evalRng } from '../../lib/engine/random.ts'
export { mul, relu, stdAll, tanh } from '../../lib/engine/ops.ts'
export { matrix } from '../../lib/engine/tensor.ts'
export { tensorOf, uniformValue } from '../../lib/engine/arbitraries.ts'
export { maxVjpError } from '../../lib/engine/gradcheck.ts'

/** fast-check settings: stop at the first failing example rather than shrink it, so a wrong answer fails fast in watch mode. */
export const runs = (numRuns: number) => ({ numRuns, endOnFailure: true })

export { batchOf } from '../../lib/course/fixtures.ts'

/** The lecture's MLP (27 tokens, 3 × 10 embeddings, 200 tanh units) with the given scales, as the engine's layers. */
export const lectureMlp = (s: MlpScales): LayerSpec[] => [
  embedding(27, 10, 3, standardNormal),
  linear(30, 200, { weightInit: scaledNormal(s.w1), biasInit: scaledNormal(s.b1) }),
  tanhLayer(),
  linear(200, 27, { weightInit: scaledNormal(s.w2), biasInit: scaledNormal(s.b2) }),
]
export const naive: MlpScales = { w1: 1, b1: 1, w2: 1, b2: 1 }
export const outputFixed: MlpScales = { w1: 1, b1: 1, w2: 0.01, b2: 0 }

/** The hidden layer's activations h (the tanh layer's output) for a batch. */
export const hiddenOf = (model: Model, batch: { X: Int32Array; Y: Int32Array }): Tensor =>
  trainingPass(model, batch.X, batch.Y).trace.layers[2].out

/** A copy of a model with one entry of one parameter changed. */
export const withEntry = (model: Model, name: string, index: number, value: number): Model => {
  const data = Float64Array.from(model.params[name].data)
  data[index] = value
  return { ...model, params: { ...model.params, [name]: { shape: model.params[name].shape, data } } }
}
export const column = (t: Tensor, j: number): number[] =>
  Array.from({ length: t.shape[0] }, (_, i) => t.data[i * t.shape[1] + j])

/**
 * What to change when too many |h| exceed 0.99 after the fix, from the scales themselves: the
 * pre-activations emb @ W1 + b1 have std about √((w1 × √30)² + b1²), emb being randn over 30 inputs.
 * A b1 still near randn × 1 is named first (the lecture scales it by 0.01), then a W1 still too large.
 */
export const hiddenLayerAdvice = (s: MlpScales): string => {
  const fromW1 = Math.abs(s.w1) * Math.sqrt(30),
    pre = Math.hypot(fromW1, s.b1)
  const advice: string[] = []
  if (Math.abs(s.b1) > 0.1) {
    advice.push(
      `b1 is still randn × ${s.b1}: each unit's bias adds a variance of ${(s.b1 * s.b1).toFixed(2)} to its pre-activations, so emb @ W1 + b1 ` +
        `spreads to std √(${fromW1.toFixed(2)}² + ${s.b1}²) = ${pre.toFixed(2)} instead of the ${fromW1.toFixed(2)} of emb @ W1 alone, and more of them land past ±2.65, ` +
        `where tanh reaches 0.99; scale b1 down too, as the lecture does with b1 × 0.01`,
    )
  }
  if (fromW1 > 1.2)
    advice.push(
      `scale W1 down further: emb @ W1 has std ${s.w1} × √30 = ${fromW1.toFixed(2)}; aim for about 1 (the lecture's W1 × 0.2 gives 1.10)`,
    )
  if (advice.length === 0)
    advice.push(
      `the pre-activations emb @ W1 + b1 have std about √((${s.w1} × √30)² + ${s.b1}²) = ${pre.toFixed(2)}; bring it down towards 1`,
    )
  return advice.join('; then ')
}

/** What the common slips of saturationFraction give on h, and which of them `got` matches. */
export const saturationSlip = (h: Tensor, threshold: number, got: number): string => {
  const [rows, cols] = h.shape
  const count = (pred: (v: number) => boolean) => h.data.filter(pred).length
  const beyond = count((v) => Math.abs(v) > threshold)
  const slips: [string, number][] = [
    [
      `counting one end only (t > ${threshold}, not |t| > ${threshold}): saturation happens at -1 as at +1`,
      count((v) => v > threshold) / h.data.length,
    ],
    [
      `dividing by the number of units (${cols} columns) instead of by every activation (${h.data.length})`,
      beyond / cols,
    ],
    [
      `dividing by the number of examples (${rows} rows) instead of by every activation (${h.data.length})`,
      beyond / rows,
    ],
    [
      `counting |t| >= ${threshold}: a value exactly at the threshold is not beyond it`,
      count((v) => Math.abs(v) >= threshold) / h.data.length,
    ],
    ['a count, not a share: divide by every activation', beyond],
  ]
  const want = beyond / h.data.length
  const match = slips.filter(([, v]) => v !== want && Math.abs(v - got) < 1e-12).map(([s]) => s)
  return match.length > 0
    ? `expected ${want}, got ${got}: that is what ${match.join(', or ')} gives`
    : `expected ${want} (${beyond} of ${h.data.length} activations have |t| > ${threshold}), got ${got}`
}

/** What the common slips of deadUnits give on h, and which of them `got` matches. */
export const deadUnitsSlip = (h: Tensor, threshold: number, got: readonly number[]): string => {
  const [rows, cols] = h.shape
  const col = (j: number) => Array.from({ length: rows }, (_, i) => Math.abs(h.data[i * cols + j]))
  const units = (pred: (c: number[]) => boolean) =>
    Array.from({ length: cols }, (_, j) => j).filter((j) => pred(col(j)))
  const want = units((c) => c.every((v) => v > threshold))
  const slips: [string, number[]][] = [
    [
      `averaging |t| over the batch (the mean of a column beyond ${threshold}): one example below ${threshold} lets a gradient through, so the unit still learns`,
      units((c) => c.reduce((s, v) => s + v, 0) / rows > threshold),
    ],
    ['a unit saturated for one example (some, not every)', units((c) => c.some((v) => v > threshold))],
    [
      'a unit saturated for most examples (a majority, not every)',
      units((c) => c.filter((v) => v > threshold).length > rows / 2),
    ],
  ]
  const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i])
  const match = slips.filter(([, v]) => !same(v, want) && same(v, got)).map(([s]) => s)
  return match.length > 0
    ? `expected units [${want.join(', ')}], got [${got.join(', ')}]: that is what ${match.join(', or ')} gives; a unit is dead only if it is saturated for every example in the batch`
    : `expected units [${want.join(', ')}], got [${got.join(', ')}]: a unit is dead only if it is saturated for every example in the batch`
}

/**
 * What kata 10's tests share: the lecture's BatchNorm networks with trained-looking BatchNorm
 * statistics, BatchNorm's eval-mode formula to compare against, and the verdicts' words.
 */
import fc from 'fast-check'
import { randn, seedRng, uniform } from '../../lib/engine/random.ts'
import { matmul } from '../../lib/engine/ops.ts'
import type { Tensor } from '../../lib/engine/tensor.ts'
import { BLOCK_SIZE, EMBEDDING_DIM, findExperiment, type ExperimentName } from '../../lib/model/experiments.ts'
import { scaledNormal } from '../../lib/model/init.ts'
import {
  batchNorm1d,
  embedding,
  forward,
  initModel,
  linear,
  parameterCount,
  predict,
  tanhLayer,
  type LayerSpec,
  type Model,
} from '../../lib/model/nn.ts'

export const V = 27

/**
 * A model of the given layers whose BatchNorms look trained: gamma, beta and the running mean
 * and variance drawn at random (variances from 0.01 to 3), and every Linear bias random too, so
 * that a fold that drops or misplaces any of them shows.
 */
export const trainedLooking = (layers: readonly LayerSpec[], seed: number): Model => {
  let [model, s] = initModel(layers)(seedRng(seed))
  const draw = (n: number, f: (u: number, z: number) => number): Float64Array => {
    const [z, s1] = randn(n)(s)
    const [u, s2] = uniform(n)(s1)
    s = s2
    return Float64Array.from(z, (zi, i) => f(u[i], zi))
  }
  const params = { ...model.params },
    buffers = { ...model.buffers }
  for (const l of model.layers) {
    if (l.kind === 'batchnorm') {
      params[`${l.name}.gamma`] = { shape: [l.dim], data: draw(l.dim, (u) => 0.3 + 1.7 * u) }
      params[`${l.name}.beta`] = { shape: [l.dim], data: draw(l.dim, (_, z) => 0.5 * z) }
      buffers[`${l.name}.runningMean`] = { shape: [1, l.dim], data: draw(l.dim, (_, z) => z) }
      buffers[`${l.name}.runningVar`] = { shape: [1, l.dim], data: draw(l.dim, (u) => 0.01 + 3 * u) }
    }
    if (l.kind === 'linear' && l.bias)
      params[`${l.name}.bias`] = { shape: [l.fanOut], data: draw(l.fanOut, (_, z) => z) }
  }
  model = { ...model, params, buffers }
  return model
}

/** The lecture's two BatchNorm networks (lib/model/experiments.ts), and a Linear with a bias before its BatchNorm. */
export const networks: Record<string, readonly LayerSpec[]> = {
  "the lecture's BatchNorm MLP": lectureLayers('batchnorm'),
  'the deep net with BatchNorm': lectureLayers('deep-batchnorm'),
  'a Linear with a bias before its BatchNorm': [
    embedding(V, EMBEDDING_DIM, BLOCK_SIZE),
    linear(BLOCK_SIZE * EMBEDDING_DIM, 40, { bias: true, biasInit: scaledNormal(1) }),
    batchNorm1d(40),
    tanhLayer(),
    linear(40, V),
  ],
}

function lectureLayers(name: ExperimentName): LayerSpec[] {
  const e = findExperiment(name)
  if (e === undefined) throw new Error(`lib/model/experiments.ts has no ${name} experiment`)
  return e.layers(V)
}

/** N contexts of BLOCK_SIZE token indices, 1 to `max` of them. */
export const contexts = (max: number): fc.Arbitrary<number[]> =>
  fc
    .integer({ min: 1, max })
    .chain((n) =>
      fc.array(fc.integer({ min: 0, max: V - 1 }), { minLength: n * BLOCK_SIZE, maxLength: n * BLOCK_SIZE }),
    )

/** The largest difference between two tensors' entries, relative to 1 or the entry's size. */
export const maxRelDiff = (a: Tensor, b: Tensor): number => {
  if (a.data.length !== b.data.length) return Infinity
  let worst = 0
  for (let i = 0; i < a.data.length; i++)
    worst = Math.max(worst, Math.abs(a.data[i] - b.data[i]) / Math.max(1, Math.abs(b.data[i])))
  return Number.isNaN(worst) ? Infinity : worst
}

/** What BatchNorm in eval mode gives for x W + b: gamma (y - mean) / sqrt(var + eps) + beta. */
export const linearThenBatchNorm = (
  x: Tensor,
  w: Tensor,
  b: Tensor | undefined,
  bn: { gamma: Tensor; beta: Tensor; runningMean: Tensor; runningVar: Tensor; eps: number },
): Tensor => {
  const y = matmul(x, w)
  const [n, d] = y.shape
  const out = new Float64Array(n * d)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) {
      const v = y.data[i * d + j] + (b?.data[j] ?? 0)
      out[i * d + j] =
        (bn.gamma.data[j] * (v - bn.runningMean.data[j])) / Math.sqrt(bn.runningVar.data[j] + bn.eps) + bn.beta.data[j]
    }
  return { shape: [n, d], data: out }
}

/** The parameter count after folding: each BatchNorm's gamma and beta go, and a bias comes where its Linear had none. */
export const foldedCount = (model: Model): { count: number; why: string } => {
  let count = parameterCount(model)
  const parts: string[] = []
  model.layers.forEach((l, i) => {
    if (l.kind !== 'batchnorm') return
    const before = model.layers[i - 1]
    const gained = before?.kind === 'linear' && !before.bias ? l.dim : 0
    count += gained - 2 * l.dim
    parts.push(`${l.name}: -${2 * l.dim}${gained > 0 ? ` +${gained}` : ''}`)
  })
  return { count, why: parts.join(', ') }
}

export { parameterCount }
export const evalLogits = predict
export const trainLogits = (model: Model, X: readonly number[]): Tensor => forward(model, X, 'train').logits

/** x W + b (b left out when there is none). */
export const affine = (x: Tensor, w: Tensor, b: Tensor | undefined): Tensor => {
  const y = matmul(x, w)
  const d = y.shape[1]
  if (b !== undefined) for (let k = 0; k < y.data.length; k++) y.data[k] += b.data[k % d]
  return y
}

/** Linear 1 and BatchNorm 1 of a model, as foldBatchNorm takes them. */
export const firstPair = (model: Model, withBias: boolean) => ({
  linear: { weight: model.params['linear1.weight'], bias: withBias ? model.params['linear1.bias'] : undefined },
  bn: {
    gamma: model.params['batchnorm1.gamma'],
    beta: model.params['batchnorm1.beta'],
    runningMean: model.buffers['batchnorm1.runningMean'],
    runningVar: model.buffers['batchnorm1.runningVar'],
    eps: 1e-5,
  },
})

type Fold = { readonly weight: Tensor; readonly bias: Tensor | undefined }
type BatchNormOf = Parameters<typeof linearThenBatchNorm>[3]

/**
 * A fold of x W + b and a BatchNorm with a slip in it: W′_ij = W_ij · s_j and b′_j = (b_j − mean_j) · s_j + beta_j,
 * s_j = gamma_j / √(var_j + eps), with one piece changed.
 */
const foldWith = (
  w: Tensor,
  b: Tensor | undefined,
  bn: BatchNormOf,
  slip: {
    own?: boolean
    root?: boolean
    epsInside?: boolean
    beta?: boolean
    mean?: boolean
    scaleBias?: boolean
  } = {},
): { weight: Tensor; bias: Tensor } => {
  const { own = true, root = true, epsInside = true, beta = true, mean = true, scaleBias = true } = slip
  const [fanIn, fanOut] = w.shape
  const s = Float64Array.from({ length: fanOut }, (_, j) => {
    const v = bn.runningVar.data[j]
    const spread = epsInside ? (root ? Math.sqrt(v + bn.eps) : v + bn.eps) : (root ? Math.sqrt(v) : v) + bn.eps
    return bn.gamma.data[j] / spread
  })
  const weight = Float64Array.from({ length: fanIn * fanOut }, (_, k) => w.data[k] * s[k % fanOut])
  const bias = Float64Array.from({ length: fanOut }, (_, j) => {
    const bj = own ? (b?.data[j] ?? 0) : 0
    const m = mean ? bn.runningMean.data[j] : 0
    return (scaleBias ? (bj - m) * s[j] : bj - m * s[j]) + (beta ? bn.beta.data[j] : 0)
  })
  return { weight: { shape: [fanIn, fanOut], data: weight }, bias: { shape: [fanOut], data: bias } }
}

const close = (a: Tensor | undefined, b: Tensor): boolean =>
  a !== undefined &&
  a.data.length === b.data.length &&
  a.data.every((v, k) => Math.abs(v - b.data[k]) <= 1e-9 * Math.max(1, Math.abs(b.data[k])))

/**
 * Which slip a fold of x W + b (a Linear's weight and its own bias, if any) and a BatchNorm matches, named, or
 * undefined when it matches none of them (or is right): the Linear's own bias left out of b′, the variance for
 * the std, eps outside the root, beta or the mean forgotten, b not scaled.
 */
export const foldSlip = (w: Tensor, b: Tensor | undefined, bn: BatchNormOf, got: Fold): string | undefined => {
  const same = (a: Fold, f: ReturnType<typeof foldWith>) => close(a.weight, f.weight) && close(a.bias, f.bias)
  const right = foldWith(w, b, bn)
  if (same(got, right)) return undefined
  const slips: [string, Parameters<typeof foldWith>[3]][] = [
    [
      "b′ leaves out the Linear's own bias b: b′ = (b − mean) · s + beta, so b enters scaled by s (only a Linear without bias takes b = 0)",
      { own: false },
    ],
    ['the variance used where the std belongs: s = gamma / √(var + eps), the square root forgotten', { root: false }],
    [
      'the variance used where the std belongs, eps outside too: s = gamma / √(var + eps)',
      { root: false, epsInside: false },
    ],
    ['eps added outside the root: s = gamma / √(var + eps), eps inside', { epsInside: false }],
    ['beta forgotten: b′ = (b − mean) · s + beta', { beta: false }],
    ['the running mean not subtracted: b′ = (b − mean) · s + beta', { mean: false }],
    ['b not scaled: b′ = (b − mean) · s + beta scales the bias and the mean alike', { scaleBias: false }],
  ]
  // the first slip that changes the fold (leaving out a bias the Linear lacks changes nothing) and gives yours
  return slips.find(([, slip]) => {
    const f = foldWith(w, b, bn, slip)
    return !same(f, right) && same(got, f)
  })?.[0]
}

/** Every slip foldSlip names in the folded model's Linears that had a BatchNorm after them, by layer. */
export const foldModelSlips = (model: Model, folded: Model): string[] => {
  const slips: string[] = []
  let k = -1
  model.layers.forEach((l, i) => {
    if (l.kind === 'batchnorm') return
    k += 1
    const next = model.layers[i + 1]
    const into = folded.layers[k]
    if (l.kind !== 'linear' || next?.kind !== 'batchnorm' || into === undefined) return
    const bn = {
      gamma: model.params[`${next.name}.gamma`],
      beta: model.params[`${next.name}.beta`],
      runningMean: model.buffers[`${next.name}.runningMean`],
      runningVar: model.buffers[`${next.name}.runningVar`],
      eps: next.eps,
    }
    const slip = foldSlip(model.params[`${l.name}.weight`], l.bias ? model.params[`${l.name}.bias`] : undefined, bn, {
      weight: folded.params[`${into.name}.weight`],
      bias: folded.params[`${into.name}.bias`],
    })
    if (slip !== undefined) slips.push(`${l.name} with ${next.name} folded into ${into.name}: ${slip}`)
  })
  return slips
}

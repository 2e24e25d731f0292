/**
 * What the checks of this kata build on: fixtures, reference computations and the feedback that
 * names the slip a failing check sees.
 */
import fc from 'fast-check'
import { sequential } from './kata.ts'
import type { Layer, Mode, Network, Sequential } from './types.ts'
import { gather } from '../../lib/engine/ops.ts'
import { vjpErrors } from '../../lib/engine/gradcheck.ts'
import { tensorOf } from '../../lib/engine/arbitraries.ts'
import { NotImplementedYet } from '../../lib/course/kata.ts'
import { map, reshape, showShape, type Tensor } from '../../lib/engine/tensor.ts'

export { add, matmul, tanh } from '../../lib/engine/ops.ts'
export { crossEntropy } from '../../lib/model/loss.ts'
export { vjpErrors } from '../../lib/engine/gradcheck.ts'
export { tensorOf } from '../../lib/engine/arbitraries.ts'
export { evalRng, randint } from '../../lib/engine/random.ts'
export { map, matrix, ones, showShape, vector, zeros, type Tensor } from '../../lib/engine/tensor.ts'

// ---------------------------------------------------------------------------------------------
// Helpers

/**
 * fast-check settings: stop at the first failing example rather than shrink it. Shrinking drives
 * the inputs towards zeros, where a wrong answer can look right, or fail a check about something else.
 */
export const runs = (numRuns: number) => ({ numRuns, endOnFailure: true })

export const size = fc.integer({ min: 1, max: 5 })
export const batch = fc.integer({ min: 3, max: 6 })

/** A tensor with values in ±[0.5, 2.5]: weights and gammas away from 0, so nothing they multiply vanishes. */
export const awayFromZero = (shape: readonly number[]) =>
  tensorOf(shape).map((t) => map(t, (v) => (v >= 0 ? v + 0.5 : v - 0.5)))

/** Columns of a [m, n] matrix as arrays. */
export const columns = (t: Tensor): number[][] => {
  const [m, n] = t.shape
  return Array.from({ length: n }, (_, j) => Array.from({ length: m }, (_, i) => t.data[i * n + j]))
}
export const meanOf = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
export const varOf = (xs: readonly number[], correction = 0) => {
  const mu = meanOf(xs)
  return xs.reduce((a, b) => a + (b - mu) ** 2, 0) / (xs.length - correction)
}
export const maxAbsDiff = (a: Tensor, b: Tensor) => a.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i])), 0)
export const row1 = (values: readonly number[]): Tensor => ({
  shape: [1, values.length],
  data: Float64Array.from(values),
})
/** An eps as a message shows it: 0 when it is 0 up to rounding. */
export const showEps = (eps: number) => (Math.abs(eps) < 1e-10 ? '0' : eps.toPrecision(3))
/**
 * What an eval-mode output `out` of one example says, when (x - runningMean) = `centred`, runningVar = `v`,
 * gamma 1 and beta 0 were given: the eps it implies, or that it is beta, as a lone example normalised with its own statistics gives.
 */
export const evalEpsVerdict = (out: number, centred: number, v: number) =>
  Math.abs(out) < 1e-12
    ? 'your output is beta, which a lone example normalised with its own batch statistics gives: in eval mode use runningMean and runningVar'
    : `your output fits eps = ${showEps((centred / out) ** 2 - v)}`

/** BatchNorm's gradient is ill-conditioned when a feature barely varies in the batch; keep batches that vary. */
export const everyColumnVaries = (x: Tensor) => columns(x).every((c) => varOf(c) > 0.1)

/**
 * Checks a layer's backward against central differences of L = sum(out * g): the input's gradient
 * and every parameter's (the layer is rebuilt from perturbed parameters by `make`).
 * Returns a message naming what is wrong, or undefined when all is well.
 */
export const backwardProblems = (
  what: string,
  make: (params: Tensor[]) => Layer,
  params: Tensor[],
  x: Tensor,
  g: Tensor,
  names: string[],
  mode: Mode = 'train',
  tolerance = 1e-5,
): string | undefined => {
  const pass = make(params).forward(x, mode)
  const grads = pass.backward(g)
  if (grads.paramGrads.length !== params.length) {
    return `${what}: backward returned ${grads.paramGrads.length} parameter gradients for ${params.length} parameters (${names.slice(1).join(', ')})`
  }
  const claimed = [grads.inputGrad, ...grads.paramGrads]
  const inputs = [x, ...params]
  for (let k = 0; k < inputs.length; k++) {
    if (claimed[k].data.length !== inputs[k].data.length) {
      return `${what}: the gradient of ${names[k]} has shape ${showShape(claimed[k].shape)} but ${names[k]} has shape ${showShape(inputs[k].shape)}`
    }
  }
  const errors = vjpErrors(
    ([xx, ...ps]) => make(ps).forward(xx, mode).out,
    () => claimed,
    inputs,
    g,
  )
  const bad = errors.findIndex((e) => !(e < tolerance))
  return bad === -1
    ? undefined
    : `${what}: the gradient of ${names[bad]} differs from central differences (relative error ${errors[bad].toExponential(2)})`
}

/** How Sequential's backward must go, in the lecture's terms. */
export const REVERSE =
  "walk the layers in reverse: the last layer's backward first, given out.grad; each layer's inputGrad then becomes the out.grad of the layer before it"

/**
 * The learner's Sequential, whose backward, if it throws (a shape error, typically, when it walks the
 * layers forwards), says how backward must go, with the original error appended.
 */
export const checkedSequential = (layers: readonly Layer[]): Sequential => {
  const seq = sequential(layers)
  return {
    ...seq,
    forward: (x, mode) => {
      const pass = seq.forward(x, mode)
      return {
        ...pass,
        backward: (g) => {
          try {
            return pass.backward(g)
          } catch (e) {
            if (e instanceof NotImplementedYet) throw e
            throw new Error(
              `Sequential's backward threw: it should ${REVERSE}. The error: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`,
              { cause: e },
            )
          }
        },
      }
    },
  }
}

/** Logits of a network for contexts of character indices, in the given mode. */
export const logitsOf = (net: Network, contexts: Int32Array, mode: Mode) => {
  const dim = net.embedding.shape[1]
  const emb = reshape(gather(net.embedding, contexts), [-1, net.blockSize * dim])
  return net.body.forward(emb, mode).out
}

/**
 * Every tensor of a network with a name: C, then each layer's parameters ("layer 3 (linear) weight", ...);
 * the lecture's MLP by its own names (W1, gamma, beta, W2, b2).
 */
export const namedTensors = (net: Network): [string, Tensor][] => {
  const lecture = net.body.layers.map((l) => l.kind).join() === 'linear,batchnorm,tanh,linear'
  return [
    ['C', net.embedding],
    ...net.body.layers.flatMap((l, i) => {
      const names = lecture
        ? [['W1'], ['gamma', 'beta'], [], ['W2', 'b2']][i]
        : l.kind === 'batchnorm'
          ? ['gamma', 'beta']
          : ['weight', 'bias']
      return l.parameters.map((p, k): [string, Tensor] => [
        lecture
          ? (names[k] ?? `layer ${i}'s parameter ${k}`)
          : `layer ${i} (${l.kind}) ${names[k] ?? `parameter ${k}`}`,
        p,
      ])
    }),
  ]
}
/** Tensors holding more than one distinct number: the drawn ones (C and the weights), not zeros, ones or 0.1s. */
export const isDrawn = (t: Tensor) => t.data.some((v) => v !== t.data[0])
/** Whether a's numbers are b's first numbers times one factor (the factor may be 1): what drawing both from one generator state gives. */
export const startsWithScaledCopy = (a: Tensor, b: Tensor): number | undefined => {
  const n = Math.min(a.data.length, b.data.length)
  if (n < 2 || b.data[0] === 0) return undefined
  const r = a.data[0] / b.data[0]
  for (let k = 0; k < n; k++)
    if (Math.abs(a.data[k] - r * b.data[k]) > 1e-12 * (Math.abs(a.data[k]) + Math.abs(r * b.data[k]))) return undefined
  return r
}

// ---------------------------------------------------------------------------------------------

/** Which momentum moved a running mean from 0 to `got` given the batch mean `mu` (PyTorch's is 0.1), in the lecture's words. */
export const momentumSlip = (mu: number, got: number): string => {
  const slips: [number, string][] = [
    [
      0.001,
      "the lecture's hand-written 0.001 (bnmean_running = 0.999 * bnmean_running + 0.001 * bnmeani); BatchNorm1d's default is PyTorch's 0.1",
    ],
    [0.9, 'momentum taken as the weight of the old value: 0.1 is the weight of the NEW batch'],
    [0.999, "momentum taken as the weight of the old value, at the lecture's 0.999"],
    [1, 'the batch mean itself, as if momentum were 1; the default is 0.1'],
    [0.01, 'momentum 0.01; the default is 0.1'],
  ]
  const m = slips.find(([k]) => Math.abs(got - k * mu) < 1e-9)
  return `a fresh BatchNorm1d (running mean 0) should move its running mean to 0.1 × the batch mean ${mu} = ${0.1 * mu}, got ${got}${m === undefined ? '' : `: that is ${m[1]}`}`
}

/** What a training pass lost of the layer it was called on: its parameters, or its eps. */
export const keptVerdict = (before: readonly Tensor[], after: readonly Tensor[]): string => {
  const names = ['gamma', 'beta']
  const lost = names.filter((_, i) => after[i] === undefined || !after[i].data.every((v, k) => v === before[i].data[k]))
  return lost.length === 0
    ? 'the layer a training pass returns must keep its gamma, beta, eps and momentum: only the running statistics move'
    : `the layer a training pass returns has lost its ${lost.join(' and ')} (back to ${lost.map((n) => (n === 'gamma' ? 'ones' : 'zeros')).join(' and ')}?): build it with the same gamma, beta, eps and momentum; only the running statistics move`
}

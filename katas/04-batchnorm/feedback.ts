/**
 * What the checks of this kata build on: fixtures, reference computations and the feedback that
 * names the slip a failing check sees.
 */
import { expect } from 'vitest'
import fc from 'fast-check'
import { full, type Tensor } from '../../lib/engine/tensor.ts'
import { tensorOf } from '../../lib/engine/arbitraries.ts'
import { relativeError } from '../../lib/engine/gradcheck.ts'
import type { Statistics } from './types.ts'

export { mean as meanAlong, variance as varianceAlong } from '../../lib/engine/ops.ts'
export {
  batchNorm1d,
  embedding,
  forward,
  initModel,
  linear,
  parameterCount,
  tanhLayer,
  type LayerSpec,
  type Model,
} from '../../lib/model/nn.ts'
export { scaledNormal } from '../../lib/model/init.ts'
export { evalRng, randint } from '../../lib/engine/random.ts'
export { matrix, row, vector, type Tensor } from '../../lib/engine/tensor.ts'
export { tensorOf } from '../../lib/engine/arbitraries.ts'
export { numericGradient, relativeError } from '../../lib/engine/gradcheck.ts'

/** fast-check settings: stop at the first failing example rather than shrink it, so a wrong answer fails fast in watch mode. */
export const runs = (numRuns: number) => ({ numRuns, endOnFailure: true })

export const EPS = 1e-5
export const fresh = (f: number): Statistics => ({ mean: full([f], 0), variance: full([f], 1) })
export const column = (t: Tensor, j: number): number[] =>
  Array.from({ length: t.shape[0] }, (_, i) => t.data[i * t.shape[1] + j])
export const meanOf = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length
export const varianceOf = (xs: number[]) => meanOf(xs.map((v) => (v - meanOf(xs)) ** 2))

/**
 * Checks that relativeError(yours, expected) = ||yours - expected|| / (||yours|| + ||expected||) is under
 * `tolerance` (0 when they agree, 1 when they point apart), and says in the message what that error is between.
 */
export const expectRelativeError = (
  yours: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
  what: string,
  between = 'yours and the expected numbers',
): void => {
  expect(yours.length, `${what}: ${yours.length} numbers where ${expected.length} are expected`).toBe(expected.length)
  const error = relativeError(yours, expected)
  expect(
    error,
    `${what} (relative error ${error.toExponential(2)} between ${between}; at most ${tolerance})`,
  ).toBeLessThan(tolerance)
}

/** A batch [N, F] (N from 2 to 8, F from 1 to 4) whose features all vary (variance > 0.01), with gamma and beta. */
export const batchArb = fc.tuple(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 1, max: 4 })).chain(([n, f]) =>
  fc.record({
    x: tensorOf([n, f], 2).filter((x) =>
      Array.from({ length: f }, (_, j) => varianceOf(column(x, j))).every((v) => v > 0.01),
    ),
    gamma: tensorOf([f], 2),
    beta: tensorOf([f], 2),
  }),
)

/**
 * BatchNorm's backward in closed form, or with one of its terms left out: dx_ij = gamma_j / √(var_j + eps) / N ·
 * (N · dout_ij - dbeta_j - xhat_ij · dgamma_j), dbeta_j = sum_i dout_ij, dgamma_j = sum_i dout_ij · xhat_ij.
 */
export const closedFormBackward = (
  x: Tensor,
  gamma: Tensor,
  dout: Tensor,
  eps: number,
  terms: { readonly mean: boolean; readonly variance: boolean } = { mean: true, variance: true },
): { dx: Float64Array; dgamma: Float64Array; dbeta: Float64Array } => {
  const [n, f] = x.shape
  const mean = new Float64Array(f),
    variance = new Float64Array(f),
    dbeta = new Float64Array(f),
    dgamma = new Float64Array(f)
  for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) mean[j] += x.data[i * f + j] / n
  for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) variance[j] += (x.data[i * f + j] - mean[j]) ** 2 / n
  const xhat = x.data.map((v, k) => (v - mean[k % f]) / Math.sqrt(variance[k % f] + eps))
  dout.data.forEach((d, k) => {
    dbeta[k % f] += d
    dgamma[k % f] += d * xhat[k]
  })
  const dx = dout.data.map((d, k) => {
    const j = k % f
    const through = n * d - (terms.mean ? dbeta[j] : 0) - (terms.variance ? xhat[k] * dgamma[j] : 0)
    return ((gamma.data[j] / Math.sqrt(variance[j] + eps)) * through) / n
  })
  return { dx, dgamma, dbeta }
}

/** Which slip of batchNormBackward's dx `got` matches, at the given eps. */
export const backwardSlip = (x: Tensor, gamma: Tensor, dout: Tensor, eps: number, got: ArrayLike<number>): string => {
  const want = closedFormBackward(x, gamma, dout, eps).dx
  const slips: [string, Float64Array][] = [
    [
      `eps 1e-5 where ${eps} was given: use the eps argument, not the lecture's default`,
      closedFormBackward(x, gamma, dout, 1e-5).dx,
    ],
    [
      'eps left out (gamma_j / √var_j): it is gamma_j / √(var_j + eps), with the eps given',
      closedFormBackward(x, gamma, dout, 0).dx,
    ],
    [
      'the batch mean and variance taken as constants (no - dbeta_j, no - xhat_ij · dgamma_j term): dx must flow through the batch mean and variance too',
      closedFormBackward(x, gamma, dout, eps, { mean: false, variance: false }).dx,
    ],
    [
      'no - dbeta_j term: dx flows through the batch mean too (every example moved mean_j)',
      closedFormBackward(x, gamma, dout, eps, { mean: false, variance: true }).dx,
    ],
    [
      'no - xhat_ij · dgamma_j term: dx flows through the batch variance too',
      closedFormBackward(x, gamma, dout, eps, { mean: true, variance: false }).dx,
    ],
  ]
  const match = slips.find(([, s]) => relativeError(s, want) > 1e-6 && relativeError(got, s) < 1e-9)
  return match === undefined
    ? `dx with eps = ${eps}: expected [${Array.from(want, (v) => v.toPrecision(6)).join(', ')}], got [${Array.from(got, (v) => v.toPrecision(6)).join(', ')}]`
    : `dx with eps = ${eps} is off: yours matches ${match[0]}`
}

/**
 * Numeric gradient checking: compare an analytic gradient with central differences.
 *
 * To check a vector-Jacobian product `vjp(inputs, g)` of `f`, take the scalar L = sum(f(x) * g)
 * for a random g: its gradient with respect to each input is exactly what the vjp must return.
 */
import type { Tensor } from './tensor.ts'

/** Central differences (f(x + h) - f(x - h)) / 2h for every coordinate; x is left unchanged. */
export const numericGradient = (f: (x: Float64Array) => number, x: Float64Array, h = 1e-5): Float64Array => {
  const probe = Float64Array.from(x)
  const grad = new Float64Array(x.length)
  for (let i = 0; i < x.length; i++) {
    const xi = probe[i]
    probe[i] = xi + h
    const up = f(probe)
    probe[i] = xi - h
    const down = f(probe)
    probe[i] = xi
    grad[i] = (up - down) / (2 * h)
  }
  return grad
}

/** ||a - b|| / (||a|| + ||b||): 0 when they agree, 1 when they point apart; 0 for two zero vectors. */
export const relativeError = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  if (a.length !== b.length) throw new Error(`relativeError: lengths differ (${a.length} and ${b.length})`)
  let diff = 0,
    na = 0,
    nb = 0
  for (let i = 0; i < a.length; i++) {
    diff += (a[i] - b[i]) ** 2
    na += a[i] ** 2
    nb += b[i] ** 2
  }
  const scale = Math.sqrt(na) + Math.sqrt(nb)
  return scale === 0 ? 0 : Math.sqrt(diff) / scale
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i] * b[i]
  return s
}

const withInput = (inputs: readonly Tensor[], k: number, data: Float64Array): Tensor[] =>
  inputs.map((t, i) => (i === k ? { shape: t.shape, data } : t))

/**
 * The relative error of each analytic gradient against central differences of a scalar loss.
 * `grads[k]` is the claimed d loss / d inputs[k].
 */
export const gradientErrors = (
  loss: (inputs: Tensor[]) => number,
  inputs: readonly Tensor[],
  grads: readonly Tensor[],
  h?: number,
): number[] =>
  inputs.map((t, k) =>
    relativeError(
      grads[k].data,
      numericGradient((x) => loss(withInput(inputs, k, x)), t.data, h),
    ),
  )

/** The relative error of each gradient a vjp returns, for a forward f and a cotangent g. */
export const vjpErrors = (
  f: (inputs: Tensor[]) => Tensor,
  vjp: (inputs: Tensor[], g: Tensor) => readonly Tensor[],
  inputs: readonly Tensor[],
  g: Tensor,
  h?: number,
): number[] => gradientErrors((xs) => dot(f(xs).data, g.data), inputs, vjp([...inputs], g), h)

/** The largest of vjpErrors: the one number a property test bounds. */
export const maxVjpError = (...args: Parameters<typeof vjpErrors>): number => Math.max(0, ...vjpErrors(...args))

/**
 * Initialisation: how large the random numbers a network starts from should be.
 *
 * Kaiming (He) initialisation keeps the variance of a layer's output equal to that of its input:
 * std = gain / sqrt(fan_in), where the gain makes up for what the non-linearity squashes.
 */
import { ShapeError, showShape, type Shape, type Tensor } from '../engine/tensor.ts'
import { randnTensor, type Rng } from '../engine/random.ts'

/** Gains for the non-linearity that follows a layer (torch.nn.init.calculate_gain). */
export const gains = {
  linear: 1,
  tanh: 5 / 3,
  relu: Math.SQRT2,
} as const

export type Nonlinearity = keyof typeof gains

/** The standard deviation that preserves variance through a layer with `fanIn` inputs. */
export const kaimingStd = (fanIn: number, gain: number = gains.linear): number => {
  if (!(fanIn > 0) || !Number.isFinite(gain))
    throw new ShapeError('kaimingStd', `needs fanIn > 0 and a finite gain, got fanIn ${fanIn}, gain ${gain}`)
  return gain / Math.sqrt(fanIn)
}

/** How a parameter is initialised, as a value an experiment can name and a report can print. */
export type InitScheme =
  /** standard normal numbers times `scale` (the lecture's `torch.randn(...) * 0.01`) */
  | { readonly kind: 'normal'; readonly scale: number }
  /** standard normal numbers times gain / sqrt(fan_in) */
  | { readonly kind: 'kaiming'; readonly gain: number }
  /** every element equal to `value` (zeros for a bias, ones for BatchNorm's gamma) */
  | { readonly kind: 'constant'; readonly value: number }

export const standardNormal: InitScheme = { kind: 'normal', scale: 1 }
export const scaledNormal = (scale: number): InitScheme => ({ kind: 'normal', scale })
export const kaiming = (gain: number | Nonlinearity): InitScheme => ({
  kind: 'kaiming',
  gain: typeof gain === 'number' ? gain : gains[gain],
})
export const constant = (value: number): InitScheme => ({ kind: 'constant', value })
export const zerosInit: InitScheme = constant(0)

/** The standard deviation a scheme gives a parameter whose layer has `fanIn` inputs. */
export const initStd = (scheme: InitScheme, fanIn: number): number =>
  scheme.kind === 'normal' ? Math.abs(scheme.scale) : scheme.kind === 'kaiming' ? kaimingStd(fanIn, scheme.gain) : 0

/** A one-line description for tables and reports, e.g. "randn × 0.01" or "kaiming (gain 1.667)". */
export const describeInit = (scheme: InitScheme): string =>
  scheme.kind === 'normal'
    ? scheme.scale === 1
      ? 'randn'
      : `randn × ${scheme.scale}`
    : scheme.kind === 'kaiming'
      ? `kaiming (gain ${Number(scheme.gain.toFixed(3))})`
      : `constant ${scheme.value}`

/** Draws a parameter of the given shape; `fanIn` is the number of inputs of its layer. */
export const initTensor =
  (scheme: InitScheme, shape: Shape, fanIn: number): Rng<Tensor> =>
  (s) => {
    if (shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d <= 0)) {
      throw new ShapeError('initTensor', `invalid parameter shape ${showShape(shape)}`)
    }
    if (scheme.kind === 'constant')
      return [{ shape: [...shape], data: new Float64Array(shape.reduce((a, b) => a * b, 1)).fill(scheme.value) }, s]
    const [t, next] = randnTensor(shape)(s)
    const k = scheme.kind === 'normal' ? scheme.scale : kaimingStd(fanIn, scheme.gain)
    for (let i = 0; i < t.data.length; i++) t.data[i] *= k
    return [t, next]
  }

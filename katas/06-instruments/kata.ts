/**
 * Kata 06: the instrument panel.
 *
 * "Training a neural network without diagnostics is like flying a plane without an instrument
 * panel." You write the gauges: histograms, the statistics of each tanh layer's output and of its
 * gradient, the grad:data ratio and the update:data ratio, and a verdict on the learning rate.
 *
 * Read README.md first. Run `npm run watch` and make the tests in kata.test.ts pass.
 * A Trace (lib/model/nn.ts) is what one training pass saw: `trace.layers[i]` has the layer's `name`,
 * `kind` ('embedding' | 'linear' | 'batchnorm' | 'tanh' | 'relu'), `out` (layer.out) and `grad`
 * (layer.out.grad); `trace.paramGrads` has every parameter's gradient by name.
 */
import { notImplemented } from '../../lib/course/kata.ts'
import type { Tensor } from '../../lib/engine/tensor.ts'
import type { Trace } from '../../lib/model/nn.ts'
import type { Histogram, ActivationStats, GradientStats, LearningRateVerdict } from './types.ts'

const KATA = '06-instruments'

// ---------------------------------------------------------------------------------------------
// Types (given): in types.ts beside this file, which the tests and the reference answers share

// ---------------------------------------------------------------------------------------------
// Your work

/**
 * A histogram of `values` with `bins` equal-width bins from their smallest to their largest value
 * (the lecture's torch.histogram). When every value is the same v, use the range [v - 1, v + 1].
 */
export const histogram = (values: ArrayLike<number>, bins: number): Histogram => notImplemented(KATA, 'histogram')

/** The share of values with |x| > threshold: `(t.abs() > 0.97).float().mean()`. */
export const saturationFraction = (values: ArrayLike<number>, threshold = 0.97): number =>
  notImplemented(KATA, 'saturationFraction')

/** Mean, std and saturated share of the output of every tanh layer of a trace, in layer order. */
export const activationStats = (trace: Trace, threshold = 0.97): ActivationStats[] =>
  notImplemented(KATA, 'activationStats')

/** Mean and std of the output gradient (layer.out.grad) of every tanh layer of a trace, in layer order. */
export const gradientStats = (trace: Trace): GradientStats[] => notImplemented(KATA, 'gradientStats')

/** std(grad) / std(param): how large a parameter's gradient is next to the parameter itself. */
export const gradToDataRatio = (grad: Tensor, param: Tensor): number => notImplemented(KATA, 'gradToDataRatio')

/**
 * log10(std(lr * grad) / std(param)): how much one SGD step (the update, lr * grad) changes a
 * parameter, next to the parameter's own size. About -3 is healthy.
 */
export const updateToDataRatio = (lr: number, grad: Tensor, param: Tensor): number =>
  notImplemented(KATA, 'updateToDataRatio')

/**
 * The verdict on a learning rate, from the log10 update:data ratios of the hidden weights
 * (one number per weight): 'about right' near -3, 'too high' well above, 'too low' well below.
 */
export const judgeLearningRate = (log10Ratios: readonly number[]): LearningRateVerdict =>
  notImplemented(KATA, 'judgeLearningRate')

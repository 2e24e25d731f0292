/**
 * Kata 06: the types. What the kata's functions take and give, and the type each function of kata.ts
 * must have: the tests, the reference answers and the kata's page are written against this file, not
 * against your kata.ts, so you do not edit it. A function of yours whose signature differs from
 * `Kata` below is a type error that `npm run check` and `npm run grade` report.
 */
import type { Tensor } from '../../lib/engine/tensor.ts'
import type { Trace } from '../../lib/model/nn.ts'

/** Counts of values in equal-width bins. */
export interface Histogram {
  /** bins + 1 edges, from the smallest value to the largest: bin i is [edges[i], edges[i + 1]). */
  readonly edges: readonly number[]
  /** How many values fall in each bin (the largest value counts in the last bin). */
  readonly counts: readonly number[]
  /** counts / (number of values * bin width): the histogram as a density, whose area is 1. */
  readonly density: readonly number[]
}

/** One tanh layer's output, as the lecture prints it: "layer 3 (Tanh): mean -0.00, std 0.69, saturated: 8.38%". */
export interface ActivationStats {
  readonly name: string
  readonly mean: number
  readonly std: number
  /** The share (0 to 1) of outputs with |t| > threshold. */
  readonly saturated: number
}

/** One tanh layer's output gradient (layer.out.grad). */
export interface GradientStats {
  readonly name: string
  readonly mean: number
  readonly std: number
}

export type LearningRateVerdict = 'too high' | 'about right' | 'too low'

/** Every function of the kata, with the type kata.ts must give it (kata.ts documents each one). */
export interface Kata {
  readonly histogram: (values: ArrayLike<number>, bins: number) => Histogram
  readonly saturationFraction: (values: ArrayLike<number>, threshold?: number) => number
  readonly activationStats: (trace: Trace, threshold?: number) => ActivationStats[]
  readonly gradientStats: (trace: Trace) => GradientStats[]
  readonly gradToDataRatio: (grad: Tensor, param: Tensor) => number
  readonly updateToDataRatio: (lr: number, grad: Tensor, param: Tensor) => number
  readonly judgeLearningRate: (log10Ratios: readonly number[]) => LearningRateVerdict
}

/**
 * Kata 03: the types. What the kata's functions take and give, and the type each function of kata.ts
 * must have: the tests, the reference answers and the kata's page are written against this file, not
 * against your kata.ts, so you do not edit it. A function of yours whose signature differs from
 * `Kata` below is a type error that `npm run check` and `npm run grade` report.
 */
import type { Tensor } from '../../lib/engine/tensor.ts'

/** The non-linearity that follows a layer ('linear': none). */
export type Nonlinearity = 'linear' | 'tanh' | 'relu'

/** Every function of the kata, with the type kata.ts must give it (kata.ts documents each one). */
export interface Kata {
  readonly linearVarianceGain: (fanIn: number, weightStd: number) => number
  readonly gain: (nonlinearity: Nonlinearity) => number
  readonly kaimingStd: (fanIn: number, nonlinearity: Nonlinearity) => number
  readonly initStack: (widths: readonly number[], weightStd: (fanIn: number) => number, seed: number) => Tensor[]
  readonly forwardStack: (x: Tensor, weights: readonly Tensor[], nonlinearity: Nonlinearity) => Tensor[]
}

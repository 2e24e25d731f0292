/**
 * Kata 02: the types. What the kata's functions take and give, and the type each function of kata.ts
 * must have: the tests, the reference answers and the kata's page are written against this file, not
 * against your kata.ts, so you do not edit it. A function of yours whose signature differs from
 * `Kata` below is a type error that `npm run check` and `npm run grade` report.
 */
import type { Tensor } from '../../lib/engine/tensor.ts'

/** How large each parameter of the lecture's MLP starts: randn × scale (the embedding C is randn × 1). */
export interface MlpScales {
  readonly w1: number
  readonly b1: number
  readonly w2: number
  readonly b2: number
}

/** Every function of the kata, with the type kata.ts must give it (kata.ts documents each one). */
export interface Kata {
  readonly tanhLocalGradient: (t: Tensor) => Tensor
  readonly saturationFraction: (h: Tensor, threshold?: number) => number
  readonly deadUnits: (h: Tensor, threshold?: number) => number[]
  readonly reluLocalGradient: (preact: Tensor) => Tensor
  readonly deadReluUnits: (preact: Tensor) => number[]
  readonly fixHiddenLayer: (scales: MlpScales) => MlpScales
}

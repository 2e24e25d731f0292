/**
 * Kata 11: the types. What the kata's functions take and give, and the type each function of kata.ts
 * must have: the tests, the reference answers and the kata's page are written against this file, not
 * against your kata.ts, so you do not edit it. A function of yours whose signature differs from
 * `Kata` below is a type error that `npm run check` and `npm run grade` report.
 */
import type fc from 'fast-check'
import type { Tensor } from '../../lib/engine/tensor.ts'

/**
 * A law about a function `F`: a name that says what must hold, and a property built from the
 * implementation under test `f`, e.g.
 *   { name: 'every row sums to 1', property: (f) => fc.property(tensorOf([3, 5], 4), (x) => ...f(x)...) }
 * The property's predicate returns true when the law holds for the generated input (or returns
 * nothing), and returns false or throws when it does not. Use `fc.property` (not asyncProperty).
 */
export interface Law<F> {
  readonly name: string
  // biome-ignore lint/suspicious/noExplicitAny: a law's property takes whatever inputs its generators give
  readonly property: (f: F) => fc.IProperty<any>
}

/** Kata 01's softmax: each row of [N, V] logits to probabilities. */
export type Softmax = (logits: Tensor) => Tensor

/** Kata 02's tanh local gradient, read off tanh's output t: d tanh(x) / dx = 1 − t². Same shape as t. */
export type TanhLocalGradient = (t: Tensor) => Tensor

/**
 * Kata 04's BatchNorm in training mode: for x [N, D], normalise each column with that column's
 * mean and biased variance (dividing by N), then scale and shift:
 *   out_ij = gamma_j (x_ij − mean_j) / √(var_j + eps) + beta_j,   gamma and beta of shape [D]
 */
export type BatchNormTrain = (x: Tensor, gamma: Tensor, beta: Tensor, eps: number) => Tensor

/** Kata 03's Kaiming std: gain / √fanIn. */
export type KaimingStd = (fanIn: number, gain: number) => number

/** Every function of the kata, with the type kata.ts must give it (kata.ts documents each one). */
export interface Kata {
  readonly softmaxLaws: () => ReadonlyArray<Law<Softmax>>
  readonly tanhLocalGradientLaws: () => ReadonlyArray<Law<TanhLocalGradient>>
  readonly batchNormTrainLaws: () => ReadonlyArray<Law<BatchNormTrain>>
  readonly kaimingStdLaws: () => ReadonlyArray<Law<KaimingStd>>
}

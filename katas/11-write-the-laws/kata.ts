/**
 * Kata 11: write the laws.
 *
 * This time you write the checks. Each function below returns a list of laws (fast-check
 * properties) about a function you built in an earlier kata. Replace each `notImplemented(...)`
 * with your laws, then run `npm run watch`: the tests run your laws against the reference
 * implementation (they must hold) and against a bank of broken ones (each must be caught by at
 * least one of your laws). katas/11-write-the-laws/README.md has a worked example;
 * `npm run hint -- 11` helps.
 */
import type fc from 'fast-check'
import { notImplemented } from '../../lib/course/kata.ts'
import type { Tensor } from '../../lib/engine/tensor.ts'
// What you will want (see the README):
// import fc from 'fast-check'
// import { tensorOf } from '../../lib/engine/arbitraries.ts'
// import { matrix, map } from '../../lib/engine/tensor.ts'

const KATA = '11-write-the-laws'

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

// ---------------------------------------------------------------------------------------------
// 1. Softmax

/** Laws every softmax must obey (at least one; the README's worked example is a start). */
export const softmaxLaws = (): ReadonlyArray<Law<Softmax>> => notImplemented(KATA, 'softmaxLaws')

// ---------------------------------------------------------------------------------------------
// 2. tanh's local gradient

/** Laws of 1 − t², given t = tanh(x). */
export const tanhLocalGradientLaws = (): ReadonlyArray<Law<TanhLocalGradient>> =>
  notImplemented(KATA, 'tanhLocalGradientLaws')

// ---------------------------------------------------------------------------------------------
// 3. BatchNorm's training forward

/** Laws of BatchNorm in training mode. */
export const batchNormTrainLaws = (): ReadonlyArray<Law<BatchNormTrain>> => notImplemented(KATA, 'batchNormTrainLaws')

// ---------------------------------------------------------------------------------------------
// 4. Kaiming's std

/** Laws of gain / √fanIn. */
export const kaimingStdLaws = (): ReadonlyArray<Law<KaimingStd>> => notImplemented(KATA, 'kaimingStdLaws')

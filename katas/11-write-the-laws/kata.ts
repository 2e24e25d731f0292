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
import { notImplemented } from '../../lib/course/kata.ts'
import type { Law, Softmax, TanhLocalGradient, BatchNormTrain, KaimingStd } from './types.ts'
// What you will want (see the README):
// import fc from 'fast-check'
// import { tensorOf } from '../../lib/engine/arbitraries.ts'
// import { matrix, map } from '../../lib/engine/tensor.ts'

const KATA = '11-write-the-laws'

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

/**
 * Kata 09: the types. What the kata's functions take and give, and the type each function of kata.ts
 * must have: the tests, the reference answers and the kata's page are written against this file, not
 * against your kata.ts, so you do not edit it. A function of yours whose signature differs from
 * `Kata` below is a type error that `npm run check` and `npm run grade` report.
 */
import type { Indices } from '../../lib/engine/ops.ts'
import type { Examples } from '../../lib/model/data.ts'
import type { LayerSpec, Model, Params } from '../../lib/model/nn.ts'

export interface RecordOptions {
  readonly steps: number
  readonly lr: number
  readonly batchSize: number
  readonly seed: number
}

export interface RecordedRun {
  /** The trained model. */
  readonly model: Model
  /** The loss of each step's batch, before that step's update. */
  readonly losses: number[]
  /** For each parameter name, the norm of its gradient at each step. */
  readonly gradNorms: Record<string, number[]>
}

/** Every function of the kata, with the type kata.ts must give it (kata.ts documents each one). */
export interface Kata {
  readonly zeroInitLayers: (vocabSize: number) => LayerSpec[]
  readonly nonZeroGradients: (model: Model, batch: { readonly X: Indices; readonly Y: Indices }) => string[]
  readonly hiddenActivationStd: (model: Model, batch: { readonly X: Indices; readonly Y: Indices }) => number
  readonly distinctHiddenUnits: (model: Model, tolerance?: number) => number
  readonly gradientNorms: (grads: Params) => Record<string, number>
  readonly trainRecorded: (model: Model, examples: Examples, options: RecordOptions) => RecordedRun
  readonly unigramLoss: (targets: Indices, vocabSize: number) => number
  readonly smallestFix: (layers: readonly LayerSpec[]) => LayerSpec[]
}

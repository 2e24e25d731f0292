/**
 * The messages between the lab page and its Web Worker. The page asks; the worker trains and
 * answers with frames (the instruments after its latest step) at least five times a second.
 */
import type { LabSettings } from '../../model/configure.ts'
import type { LabFrame } from './session.ts'

export type ToWorker =
  /** The corpus (one name a line) and the first network. */
  | { readonly type: 'start'; readonly names: string; readonly settings: LabSettings }
  /** A new network from the first step (also the reset button). */
  | { readonly type: 'reset'; readonly settings: LabSettings }
  /** The learning rate and batch size for the steps to come; the run goes on. */
  | { readonly type: 'retune'; readonly learningRate: number; readonly batchSize: number }
  | { readonly type: 'train'; readonly steps: number }
  | { readonly type: 'stop' }

export interface Speed {
  /** Steps per second of the training loop alone (batch sampling included, instruments not). */
  readonly trainingStepsPerSecond: number
  /** Steps per second of wall time while training, instruments and messages included. */
  readonly wallStepsPerSecond: number
}

export type FromWorker =
  /** Which matmul kernel the engine loaded in the worker: 'simd' (WebAssembly) or 'plain'. */
  | { readonly type: 'ready'; readonly kernel: 'simd' | 'plain' }
  | {
      readonly type: 'frame'
      readonly run: number
      readonly frame: LabFrame
      /** Steps still to take in the current request (0 when idle). */
      readonly pending: number
      readonly speed?: Speed
      /** The losses of the run's first steps (up to 20), at full precision, for checking against Node. */
      readonly firstLosses: readonly number[]
    }
  | { readonly type: 'error'; readonly message: string }

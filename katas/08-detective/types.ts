/**
 * Kata 08: the types. What the kata's functions take and give, and the type each function of kata.ts
 * must have: the tests, the reference answers and the kata's page are written against this file, not
 * against your kata.ts, so you do not edit it. A function of yours whose signature differs from
 * `Kata` below is a type error that `npm run check` and `npm run grade` report.
 */
import type { Params, Trace } from '../../lib/model/nn.ts'

/** What a detective gets to see of one network (mysteries.ts builds eight of them). */
export interface Case {
  /** "case A", "case B", ...: says nothing about what is wrong. */
  readonly name: string
  /** Characters in the vocabulary (27): ln(vocabSize) is the loss of a uniform guess. */
  readonly vocabSize: number
  /** One training pass at initialisation: trace.loss is the first loss, trace.layers every layer's out and out.grad. */
  readonly trace: Trace
  /** The parameters the trace was taken with, by name ("linear1.weight", ...). */
  readonly params: Params
  /** The learning rate the network is about to be trained with. */
  readonly lr: number
}

/** What can be wrong (lib/instruments/diagnostics.ts FindingKind): the lecture's problems, in its words. */
export type Problem =
  | 'nan'
  | 'confidently-wrong'
  | 'saturated'
  | 'dead-units'
  | 'vanishing'
  | 'exploding'
  | 'lr-too-high'
  | 'lr-too-low'

/** The fixes the lecture gives. */
export type Remedy =
  /** b2 = 0 and W2 × 0.01: logits near 0 at the start, first loss ln V */
  | 'shrink-output-layer'
  /** scale down the weights (and bias) feeding the layer: the lecture's W1 × 0.2 */
  | 'shrink-hidden-weights'
  /** std = gain / √fan_in for every hidden Linear (gain 5/3 for tanh, √2 for ReLU, 1 for none), biases not negative */
  | 'kaiming-init'
  /** BatchNorm after each Linear: active control of every layer's statistics */
  | 'add-batchnorm'
  | 'lower-learning-rate'
  | 'raise-learning-rate'

/** One problem found in a case. */
export interface Suspect {
  readonly problem: Problem
  /**
   * Where: the layer's name for 'saturated' and 'dead-units' ("tanh1", "relu1"), 'output' for
   * 'confidently-wrong', 'activations' or 'gradients' for 'vanishing' and 'exploding', and
   * 'hidden weights' for the learning rate.
   */
  readonly where: string
  readonly remedy: Remedy
}

/** How the scale of the signal changes from the first hidden layer to the last. */
export type Trend = 'vanishing' | 'exploding' | 'steady' | 'too shallow'

export type LearningRateVerdict = 'too high' | 'about right' | 'too low'

/** Every function of the kata, with the type kata.ts must give it (kata.ts documents each one). */
export interface Kata {
  readonly confidentlyWrong: (c: Case) => boolean
  readonly saturatedLayers: (c: Case) => string[]
  readonly deadUnitLayers: (c: Case) => string[]
  readonly depthTrend: (c: Case) => { readonly activations: Trend; readonly gradients: Trend }
  readonly learningRateVerdict: (c: Case) => LearningRateVerdict
  readonly prescribe: (problem: Problem) => Remedy
  readonly investigate: (c: Case) => Suspect[]
}

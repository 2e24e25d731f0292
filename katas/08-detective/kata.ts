/**
 * Kata 08: the detective (beyond the lecture).
 *
 * Twenty-six networks, drawn fresh each run, were built with a problem planted in each (or none):
 * an output layer that is confidently wrong, saturated tanh units, dead ReLU units, a signal that vanishes or explodes
 * across depth, a learning rate far too high or too low. You get what a detective gets: one
 * training pass of each (mysteries.ts builds them). Read the instruments, name what is wrong,
 * where, and the fix. Your verdicts are compared with the project's own diagnose()
 * (lib/instruments/diagnostics.ts), so your rulebook is its rulebook: README.md lists it.
 *
 * Read README.md first. Run `npm run watch` and make the tests in kata.test.ts pass.
 */
import { notImplemented } from '../../lib/course/kata.ts'
import type { Params, Trace } from '../../lib/model/nn.ts'

const KATA = '08-detective'

// ---------------------------------------------------------------------------------------------
// Types (given)

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

// ---------------------------------------------------------------------------------------------
// Your work: one instrument per problem, then the whole investigation

/** Is the first loss (case.trace.loss) far above ln(vocabSize), the loss of a uniform guess? */
export const confidentlyWrong = (c: Case): boolean => notImplemented(KATA, 'confidentlyWrong')

/** The names of the tanh layers with more than a third of their outputs beyond ±0.97, in layer order. */
export const saturatedLayers = (c: Case): string[] => notImplemented(KATA, 'saturatedLayers')

/**
 * The names of the activation layers (tanh or relu) more than a quarter of whose units are dead
 * for the whole batch: a tanh unit with |t| > 0.99 for every example, a ReLU unit that is 0 for
 * every example. Layer order.
 */
export const deadUnitLayers = (c: Case): string[] => notImplemented(KATA, 'deadUnitLayers')

/**
 * Across depth: the std of the last hidden layer's output over the first's (activations), and
 * the std of the first one's out.grad over the last one's (gradients, which flow backward).
 * Beyond 3× either way is 'exploding' or 'vanishing'. The hidden layers are the activation layers
 * (tanh, relu); in a network without any, the Linear layers but the last. With fewer than three
 * of them there is no depth to speak of: 'too shallow'.
 */
export const depthTrend = (c: Case): { readonly activations: Trend; readonly gradients: Trend } =>
  notImplemented(KATA, 'depthTrend')

/**
 * The learning rate judged by log10 update:data of one step at case.lr: the median over the hidden
 * weights (every Linear weight but the output layer's, which starts small on purpose; the output
 * layer's when it is the only Linear). Above -2 is too high, below -4 too low.
 */
export const learningRateVerdict = (c: Case): LearningRateVerdict => notImplemented(KATA, 'learningRateVerdict')

/** The lecture's fix for a problem. */
export const prescribe = (problem: Problem): Remedy => notImplemented(KATA, 'prescribe')

/** Every problem of a case, where it is and its fix; an empty list for a healthy network. */
export const investigate = (c: Case): Suspect[] => notImplemented(KATA, 'investigate')

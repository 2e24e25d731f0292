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
import type { Case, Problem, Remedy, Suspect, Trend, LearningRateVerdict } from './types.ts'

const KATA = '08-detective'

// ---------------------------------------------------------------------------------------------
// Types (given): in types.ts beside this file, which the tests and the reference answers share

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

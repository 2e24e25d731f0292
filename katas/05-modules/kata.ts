/**
 * Kata 05: modules. The lecture's "PyTorch-ified" layers, as values.
 *
 * A layer is a value: its parameters, and a `forward` that returns the output together with a
 * `backward` (what the output's gradient means for the input and for each parameter). Nothing is
 * mutated: a BatchNorm pass in training hands back the layer with its running statistics moved.
 * `sequential` stacks layers and keeps every layer's `out` and, after backward, every `out.grad`:
 * the raw material of the instrument panel in kata 06.
 *
 * Read README.md first. Run `npm run watch` and make the tests in kata.test.ts pass.
 * Useful: lib/engine/ops.ts (matmul, matmulNT, matmulTN, sum, mean, variance, tanh, tanhBackward, ...),
 * lib/engine/tensor.ts (zeros, ones, reshape), lib/model/init.ts (initTensor, kaiming, scaledNormal, standardNormal,
 * constant), lib/engine/random.ts (seedRng: the generator's first state; each draw returns the next one, thread it).
 */
import { notImplemented } from '../../lib/course/kata.ts'
import type { Tensor } from '../../lib/engine/tensor.ts'
import type { Layer, Sequential, Network, BatchNormOptions } from './types.ts'

const KATA = '05-modules'

// ---------------------------------------------------------------------------------------------
// Types (given): in types.ts beside this file, which the tests and the reference answers share

// ---------------------------------------------------------------------------------------------
// Your work

/**
 * Linear: out = x @ weight (+ bias). weight is [fanIn, fanOut], bias [fanOut] (optional).
 * parameters: [weight, bias] or [weight].
 */
export const linear = (weight: Tensor, bias?: Tensor): Layer => notImplemented(KATA, 'linear')

/** Tanh: out = tanh(x), no parameters. */
export const tanhLayer = (): Layer => notImplemented(KATA, 'tanhLayer')

/**
 * BatchNorm1d over `dim` features: normalise each feature to mean 0 and std 1 (the batch's
 * statistics in 'train', the running ones in 'eval'), then scale by gamma and shift by beta.
 * parameters: [gamma, beta]; buffers: [runningMean, runningVar].
 */
export const batchNorm1d = (dim: number, options?: BatchNormOptions): Layer => notImplemented(KATA, 'batchNorm1d')

/** Sequential: each layer's out is the next layer's input. parameters: every layer's, in order. */
export const sequential = (layers: readonly Layer[]): Sequential => notImplemented(KATA, 'sequential')

/** Every trainable number of a network: the embedding table's and every layer's parameters. */
export const parameterCount = (network: Network): number => notImplemented(KATA, 'parameterCount')

/**
 * The lecture's network with BatchNorm: C [vocabSize, 10], blockSize 3, then
 * Linear(30, 200, no bias) -> BatchNorm1d(200) -> Tanh -> Linear(200, vocabSize).
 * Initialise it so that it starts humble: its first loss should be close to ln(vocabSize).
 */
export const lectureMlp = (vocabSize: number, seed: number): Network => notImplemented(KATA, 'lectureMlp')

/**
 * The lecture's deep network: C [vocabSize, 10], blockSize 3, then five hidden layers of 100,
 * each Linear (no bias) -> BatchNorm1d -> Tanh, then Linear(100, vocabSize, no bias) -> BatchNorm1d(vocabSize).
 * It too should start humble.
 */
export const deepMlp = (vocabSize: number, seed: number): Network => notImplemented(KATA, 'deepMlp')

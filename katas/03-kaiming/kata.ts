/**
 * Kata 03: Kaiming initialisation, from the variance of one layer to a deep stack.
 *
 * Replace each `notImplemented(...)` with your code, then run `npm run watch` and read what the
 * tests say. katas/03-kaiming/README.md explains the idea; `npm run hint -- 03` helps.
 */
import { notImplemented } from '../../lib/course/kata.ts'
import type { Tensor } from '../../lib/engine/tensor.ts'
import type { Nonlinearity } from './types.ts'
// What you will want from the engine (see lib/engine/ops.ts and lib/engine/random.ts):
// import { matmul, relu, scale, tanh } from '../../lib/engine/ops.ts'
// import { randnTensor, seedRng } from '../../lib/engine/random.ts'

const KATA = '03-kaiming'

// ---------------------------------------------------------------------------------------------
// 1. Whispering in a crowd: the variance of one linear layer

/**
 * By how much a linear layer y = x @ W multiplies the variance of its input, when x and W are
 * independent with mean 0, x has `fanIn` features and W's entries have standard deviation
 * `weightStd`: each output sums fanIn products x_i w_i, each of variance Var(x) · weightStd², so
 *   Var(y) = fanIn · weightStd² · Var(x).
 * 100 inputs through weights of std 1 roar at 100 times the variance.
 */
export const linearVarianceGain = (fanIn: number, weightStd: number): number =>
  notImplemented(KATA, 'linearVarianceGain')

// ---------------------------------------------------------------------------------------------
// 2. Kaiming: std = gain / √fan_in

/**
 * The gain that makes up for what a non-linearity squashes (torch.nn.init.calculate_gain):
 * linear 1, tanh 5/3, relu √2 (ReLU zeroes half of its inputs and so halves the variance; a
 * variance gain of 2 is a standard-deviation gain of √2).
 */
export const gain = (nonlinearity: Nonlinearity): number => notImplemented(KATA, 'gain')

/**
 * Kaiming (He) initialisation: the standard deviation of a layer's weights that conserves the
 * variance of the signal, std = gain / √fan_in. The lecture's hidden layer (30 inputs, tanh)
 * gets (5/3) / √30 ≈ 0.3043 instead of the magic 0.2.
 */
export const kaimingStd = (fanIn: number, nonlinearity: Nonlinearity): number => notImplemented(KATA, 'kaimingStd')

// ---------------------------------------------------------------------------------------------
// 3. Deep stacks

/**
 * The weights of a stack of linear layers of the given widths: layer l maps widths[l] features to
 * widths[l + 1], so its weight is [widths[l], widths[l + 1]] and its fan-in is widths[l]. Each
 * weight is randn × weightStd(fanIn), drawn from ONE generator seeded once with `seed`, in layer
 * order: layer 1 takes the first numbers of its stream, and each next layer draws from the state
 * the last draw returned, as the lecture draws every parameter from its one generator g. The same
 * seed gives the same weights. (widths [30, 100, 100] gives two weights.)
 */
export const initStack = (widths: readonly number[], weightStd: (fanIn: number) => number, seed: number): Tensor[] =>
  notImplemented(KATA, 'initStack')

/**
 * Runs `x` ([N, widths[0]]) through the stack: for each weight W, x = f(x @ W), where f is the
 * non-linearity (none for 'linear'). Returns every layer's output, in order: what the lecture
 * plots as one histogram per layer.
 */
export const forwardStack = (x: Tensor, weights: readonly Tensor[], nonlinearity: Nonlinearity): Tensor[] =>
  notImplemented(KATA, 'forwardStack')

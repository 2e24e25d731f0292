/**
 * Kata 02: saturation, dead units and the hidden layer's scale.
 *
 * Replace each `notImplemented(...)` with your code, then run `npm run watch` and read what the
 * tests say. katas/02-saturation/README.md explains the idea; `npm run hint -- 02` helps.
 *
 * Activations and pre-activations are [N, units] matrices: row i is example i of the batch,
 * column j is hidden unit j. Element (i, j) is `t.data[i * units + j]`.
 */
import { notImplemented } from '../../lib/course/kata.ts'
import type { Tensor } from '../../lib/engine/tensor.ts'
import type { MlpScales } from './types.ts'
// What you may want from the engine: map(t, f) applies f to every entry of t and returns a new tensor.
// import { map } from '../../lib/engine/tensor.ts'

const KATA = '02-saturation'

// ---------------------------------------------------------------------------------------------
// 1. The valve: tanh's local gradient

/**
 * The local gradient of tanh, read off its output: for t = tanh(x), d tanh(x) / dx = 1 - t².
 * Backpropagation multiplies the gradient arriving at tanh's output by this number, so where a
 * unit is saturated (t ≈ ±1) almost nothing gets through:
 *   t = 0 → 1,  t = ±0.9 → 0.19,  t = ±0.99 → 0.0199,  t = ±1 → 0.
 * Returns a new tensor of t's shape.
 */
export const tanhLocalGradient = (t: Tensor): Tensor => notImplemented(KATA, 'tanhLocalGradient')

// ---------------------------------------------------------------------------------------------
// 2. How many units are saturated?

/**
 * The share (0 to 1) of the activations in `h` that are saturated: |t| > threshold, at either
 * end of tanh's range. The lecture's histogram of h piles up at -1 and +1 for the naive net.
 */
export const saturationFraction = (h: Tensor, threshold = 0.99): number => notImplemented(KATA, 'saturationFraction')

/**
 * The dead units of a batch: the columns j of `h` ([N, units]) whose activation is saturated
 * (|t| > threshold) for EVERY example of the batch, in increasing order. In the lecture's
 * picture of `h.abs() > 0.99` they are the columns that are white from top to bottom: no example
 * ever lets a gradient through them, so their weights never learn.
 */
export const deadUnits = (h: Tensor, threshold = 0.99): number[] => notImplemented(KATA, 'deadUnits')

// ---------------------------------------------------------------------------------------------
// 3. ReLU's version: a unit that is off for every example

/**
 * The local gradient of ReLU, read off its input (the pre-activation x): 1 where x > 0, and 0
 * where x <= 0 (ReLU is flat there). Returns a new tensor of x's shape.
 */
export const reluLocalGradient = (preact: Tensor): Tensor => notImplemented(KATA, 'reluLocalGradient')

/**
 * The dead ReLU units of a batch: the columns j of `preact` ([N, units]) whose pre-activation is
 * <= 0 for every example, in increasing order. Such a unit outputs 0 and passes back a gradient of
 * 0 for every input: its weights never move again, "permanent brain damage".
 */
export const deadReluUnits = (preact: Tensor): number[] => notImplemented(KATA, 'deadReluUnits')

// ---------------------------------------------------------------------------------------------
// 4. The fix: a smaller hidden layer

/**
 * The scales to draw the hidden layer with (W1 = randn × w1, b1 = randn × b1), whatever came in,
 * chosen to keep the pre-activations emb @ W1 + b1 inside the range where tanh still responds:
 * fewer than 5 % of the activations saturated (|t| > 0.99) while the units still vary (the std of
 * h stays at least 0.2). The output layer's scales (w2, b2, fixed in kata 01) stay as they are.
 *
 * Both scales matter: the pre-activations have a std of about √((w1 × √30)² + b1²), so a b1 left
 * at randn × 1 adds a variance of 1 next to the 1.2 that W1 × 0.2 leaves. Start from the
 * lecture's W1 × 0.2 and b1 × 0.01, and measure.
 *
 * The checks (and the report) pass in the naive hidden layer, w1 = b1 = 1, so returning
 * `w1: 0.2, b1: 0.01` or `w1: scales.w1 * 0.2, b1: scales.b1 * 0.01` gives the same numbers:
 * either is accepted.
 */
export const fixHiddenLayer = (scales: MlpScales): MlpScales => notImplemented(KATA, 'fixHiddenLayer')

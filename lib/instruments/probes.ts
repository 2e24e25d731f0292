/**
 * Probes: deep stacks built on the spot for the figures that vary the initialisation itself: the variance
 * across depth (Kaiming page) and the gain explorer. Seeded, so the same seed draws the same
 * numbers; every gain scales the same standard normal draws, so only the gain differs.
 */
import { matmul, tanh } from '../engine/ops.ts'
import { initTensor, kaiming, standardNormal } from '../model/init.ts'
import { randint, randnTensor, seedRng, type RngState } from '../engine/random.ts'
import { initModel, trainingPass, type Trace } from '../model/nn.ts'
import { deepNet } from '../model/experiments.ts'
import { moments, saturationFraction, SATURATION } from './diagnostics.ts'
import type { Tensor } from '../engine/tensor.ts'

/** std and saturation after each layer of a stack (layer 0 is the input). */
export interface DepthProfile {
  readonly gain: number
  readonly std: readonly number[]
  readonly saturated: readonly number[]
}

/**
 * Pushes `examples` standard normal inputs of width `width` through `depth` layers x @ W, with W
 * Kaiming-initialised with `gain` (std gain/√width), each followed by tanh when `nonlinear`.
 */
export const depthProfile = (
  gain: number,
  o: {
    readonly seed: number
    readonly depth: number
    readonly width: number
    readonly examples: number
    readonly nonlinear: boolean
  },
): DepthProfile => {
  let [h, s]: [Tensor, RngState] = randnTensor([o.examples, o.width])(seedRng(o.seed))
  const std = [moments(h.data).std],
    saturated = [saturationFraction(h.data, SATURATION.panel)]
  for (let l = 0; l < o.depth; l++) {
    const [w, next] = initTensor(kaiming(gain), [o.width, o.width], o.width)(s)
    s = next
    const pre = matmul(h, w)
    h = o.nonlinear ? tanh(pre) : pre
    std.push(moments(h.data).std)
    saturated.push(saturationFraction(h.data, SATURATION.panel))
  }
  return { gain, std, saturated }
}

/** The lecture's demo: x (1000 × 10) standard normal times w (10 × 200), raw and scaled by 1/√10. */
export const fanInDemo = (seed: number): { readonly x: Tensor; readonly y: Tensor; readonly yScaled: Tensor } => {
  const [x, s1] = randnTensor([1000, 10])(seedRng(seed))
  const [w] = initTensor(standardNormal, [10, 200], 10)(s1)
  const [wk] = initTensor(kaiming(1), [10, 200], 10)(s1) // the same draws, times 1/√10
  return { x, y: matmul(x, w), yScaled: matmul(x, wk) }
}

/**
 * One training pass of the deep tanh net at initialisation with the given gain, on a batch of
 * random contexts and targets (what matters here is the init, not the data).
 */
export const deepTanhTrace = (
  vocabSize: number,
  gain: number,
  o: { readonly seed: number; readonly batch: number },
): Trace => {
  const [model] = initModel(deepNet(vocabSize, { gain }))(seedRng(o.seed))
  const [x, s1] = randint(0, vocabSize, o.batch * 3)(seedRng(o.seed + 1))
  const [y] = randint(0, vocabSize, o.batch)(s1)
  return trainingPass(model, x, y).trace
}

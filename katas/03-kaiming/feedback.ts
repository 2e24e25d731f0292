/**
 * What the checks of this kata build on: fixtures, reference computations and the feedback that
 * names the slip a failing check sees.
 */
import fc from 'fast-check'
import { evalRng, randnTensor } from '../../lib/engine/random.ts'
import { stdAll } from '../../lib/engine/ops.ts'
import type { Tensor } from '../../lib/engine/tensor.ts'
import type { Nonlinearity } from './types.ts'

export { evalRng, randn, randnTensor, seedRng, type RngState } from '../../lib/engine/random.ts'
export { matmul, relu, scale, stdAll, tanh } from '../../lib/engine/ops.ts'
export type { Tensor } from '../../lib/engine/tensor.ts'
export { relativeError } from '../../lib/engine/gradcheck.ts'

/** fast-check settings: stop at the first failing example rather than shrink it, so a wrong answer fails fast in watch mode. */
export const runs = (numRuns: number) => ({ numRuns, endOnFailure: true })
export const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 })
export const nonlinearity = fc.constantFrom<Nonlinearity>('linear', 'tanh', 'relu')

export const variance = (t: Tensor): number => stdAll(t) ** 2
export const rms = (t: Tensor): number => Math.sqrt(t.data.reduce((s, v) => s + v * v, 0) / t.data.length)
/** A batch of `n` inputs of `width` standard normal features: variance 1, as the embeddings are. */
export const inputs = (n: number, width: number, s: number): Tensor => evalRng(randnTensor([n, width]), s)
export const fmt = (xs: readonly number[]) => xs.map((x) => x.toPrecision(3)).join(', ')
/** A number for a message: four significant digits, no trailing zeros. */
export const num = (x: number): string => String(Number(x.toPrecision(4)))

/** The lecture's gains (torch.nn.init.calculate_gain), what the messages compare a learner's numbers with. */
export const GAINS: Record<Nonlinearity, number> = { linear: 1, tanh: 5 / 3, relu: Math.SQRT2 }
export const GAIN_NAMES: Record<Nonlinearity, string> = { linear: '1', tanh: '5/3', relu: '√2' }
const SQUASHES: Record<Nonlinearity, string> = {
  linear: 'nothing',
  tanh: 'tanh squashes',
  relu: 'ReLU zeroes half of its inputs',
}

/** Equal up to rounding (relative 1e-9). */
export const same = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b))
/** The verdict of the first slip whose value `yours` equals (a slip that gives the right value is no slip), or undefined. */
const slipOf = (yours: number, right: number, slips: readonly (readonly [number, string])[]): string | undefined =>
  slips.find(([value]) => !same(value, right) && same(yours, value))?.[1]

/** What a variance gain of `yours` for linearVarianceGain(fanIn, std) says: the classic slips each give their own number. */
export const varianceGainVerdict = (fanIn: number, std: number, yours: number): string =>
  slipOf(yours, fanIn * std ** 2, [
    [
      fanIn * std,
      `yours is fan_in · std = ${num(fanIn * std)}: square the std, Var(y) = fan_in · std² · Var(x) (variances add, and each product x_i · w_i has variance Var(x) · std²)`,
    ],
    [
      Math.sqrt(fanIn) * std,
      `yours is √fan_in · std = ${num(Math.sqrt(fanIn) * std)}, the factor on the std of y: the variance's factor is its square, fan_in · std²`,
    ],
    [std ** 2, `yours is std² = ${num(std ** 2)}: each output adds up fan_in products, so multiply by fan_in`],
  ]) ?? `yours is ${num(yours)}`

/** What a Kaiming std of `yours` for kaimingStd(fanIn, nl) says: the classic slips each give their own number. */
export const kaimingVerdict = (fanIn: number, nl: Nonlinearity, yours: number): string => {
  const g = GAINS[nl],
    G = GAIN_NAMES[nl],
    root = Math.sqrt(fanIn)
  return (
    slipOf(yours, g / root, [
      [
        1 / root,
        `yours is 1/√fan_in = ${num(1 / root)}: include the gain, ${G} for ${nl} (${SQUASHES[nl]}, and the gain makes up for it)`,
      ],
      [
        g / fanIn,
        `yours is gain / fan_in = ${num(g / fanIn)}: divide by √fan_in, not fan_in (the weights' variance is gain² / fan_in, and their std its square root)`,
      ],
      [
        Math.sqrt(g / fanIn),
        `yours is √(gain / fan_in) = ${num(Math.sqrt(g / fanIn))}: the gain goes outside the square root, gain / √fan_in`,
      ],
      [
        (g * g) / fanIn,
        `yours is gain² / fan_in = ${num((g * g) / fanIn)}, the weights' variance: their std is its square root, gain / √fan_in`,
      ],
      [1 / fanIn, `yours is 1/fan_in = ${num(1 / fanIn)}: include the gain, and divide by √fan_in, not fan_in`],
      [(g * g) / root, `yours is gain² / √fan_in = ${num((g * g) / root)}: the gain multiplies the std once`],
      [g * root, `yours is gain · √fan_in = ${num(g * root)}: divide by √fan_in, do not multiply`],
    ]) ?? `yours is ${num(yours)}`
  )
}

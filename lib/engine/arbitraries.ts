/**
 * fast-check arbitraries shared by the property tests of lib/ and of the katas.
 */
import fc from 'fast-check'
import type { Tensor } from './tensor.ts'

const STEPS = 2 ** 30

/**
 * A number spread uniformly over [-range, range]. fast-check's own float arbitraries favour
 * 0 and the bounds, which makes every gradient cancel to zero; numeric tests want typical values.
 */
export const uniformValue = (range = 2): fc.Arbitrary<number> =>
  fc.noBias(fc.integer({ min: -STEPS, max: STEPS })).map((i) => (i / STEPS) * range)

/** A tensor of the given shape with values uniform in [-range, range]. */
export const tensorOf = (shape: readonly number[], range = 2): fc.Arbitrary<Tensor> => {
  const n = shape.reduce((a, b) => a * b, 1)
  return fc
    .array(uniformValue(range), { minLength: n, maxLength: n })
    .map((xs) => ({ shape: [...shape], data: Float64Array.from(xs) }))
}

/** Matrix dimensions [rows, cols], each in [1, max]. */
export const dims = (max = 6): fc.Arbitrary<readonly [number, number]> =>
  fc.tuple(fc.integer({ min: 1, max }), fc.integer({ min: 1, max }))

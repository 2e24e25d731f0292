/**
 * The inputs the reference laws draw: whole valid ranges, edges included. Shapes start at 1 and are
 * not multiples of anything; values take every sign, exact ties and zeros, and magnitudes from 1e-3
 * to 1e4, so that a slip that only shows on large logits, equal entries or a single row is drawn.
 */
import fc from 'fast-check'
import type { Tensor } from '../engine/tensor.ts'

/** One number of a tensor: small, typical, large, an integer (ties), zero, of either sign. */
export const anyValue = (maxMagnitude = 1e4): fc.Arbitrary<number> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.double({ min: -3, max: 3, noNaN: true, noDefaultInfinity: true }) },
    { weight: 2, arbitrary: fc.integer({ min: -3, max: 3 }) },
    { weight: 1, arbitrary: fc.constantFrom(0, -0) },
    {
      weight: 1,
      arbitrary: fc.double({ min: -maxMagnitude, max: maxMagnitude, noNaN: true, noDefaultInfinity: true }),
    },
    { weight: 1, arbitrary: fc.double({ min: -1e-3, max: 1e-3, noNaN: true, noDefaultInfinity: true }) },
  )

/** A tensor of exactly this shape. */
export const tensorShaped = (shape: readonly number[], value = anyValue()): fc.Arbitrary<Tensor> => {
  const n = shape.reduce((a, b) => a * b, 1)
  return fc
    .array(value, { minLength: n, maxLength: n })
    .map((xs) => ({ shape: [...shape], data: Float64Array.from(xs) }))
}

/**
 * A matrix [rows, cols] with rows in [1, maxRows] and cols in [minCols, maxCols]. The numbers are
 * drawn for the largest shape and cut to the one drawn, so that a failure shrinks its shape and
 * its values independently (towards one row, the fewest columns, small numbers).
 */
export const anyMatrix = (
  { maxRows = 6, minCols = 1, maxCols = 7 }: { maxRows?: number; minCols?: number; maxCols?: number } = {},
  value = anyValue(),
): fc.Arbitrary<Tensor> =>
  fc
    .tuple(
      fc.integer({ min: 1, max: maxRows }),
      fc.integer({ min: minCols, max: maxCols }),
      fc.array(value, { minLength: maxRows * maxCols, maxLength: maxRows * maxCols }),
    )
    .map(([r, c, xs]) => ({ shape: [r, c], data: Float64Array.from(xs.slice(0, r * c)) }))

/** A vector [n], n in [1, maxLength]. */
export const anyVector = (maxLength = 7, value = anyValue()): fc.Arbitrary<Tensor> =>
  fc.integer({ min: 1, max: maxLength }).chain((n) => tensorShaped([n], value))

/** `n` indices into a table of `size` rows, as the engine's Indices (a plain array). */
export const indicesInto = (size: number, n: number): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: 0, max: size - 1 }), { minLength: n, maxLength: n })

/** A seed as a learner's caller passes one: any safe integer of either sign, the edges included. */
export const anySeed: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  fc.constantFrom(0, 1, 42, 2147483647, 2 ** 32 - 1),
  fc.integer({ min: -(2 ** 31), max: 2 ** 32 }),
)

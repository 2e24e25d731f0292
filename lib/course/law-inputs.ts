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

/** A tanh output: anywhere in [-1, 1], the saturation and dead-unit levels (±0.97, ±0.99) and ±1 exactly, and the crowd near ±1. */
export const tanhValue: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.double({ min: -1, max: 1, noNaN: true }) },
  { weight: 2, arbitrary: fc.constantFrom(1, -1, 0.97, -0.97, 0.99, -0.99, 0, 0.5, -0.5) },
  { weight: 3, arbitrary: fc.double({ min: 0.95, max: 1, noNaN: true }).chain((x) => fc.constantFrom(x, -x)) },
)

/** A ReLU output: exactly 0 (a unit off) or any positive value. */
export const reluValue: fc.Arbitrary<number> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.double({ min: 0, max: 3, noNaN: true }) },
)

type LayerKindName = 'embedding' | 'linear' | 'batchnorm' | 'tanh' | 'relu'
const layerKinds: readonly LayerKindName[] = ['embedding', 'linear', 'batchnorm', 'tanh', 'relu']

/** What a Trace holds and the parameters it was taken with (the fields of lib/model/nn.ts's Trace, written out). */
export interface TraceAndParams {
  readonly trace: {
    readonly loss: number
    readonly layers: readonly {
      readonly name: string
      readonly kind: LayerKindName
      readonly out: Tensor
      readonly grad: Tensor
    }[]
    readonly paramGrads: Readonly<Record<string, Tensor>>
  }
  readonly params: Readonly<Record<string, Tensor>>
}

/**
 * A trace of any stack of layers (none to `maxLayers`, every kind in any order, named as
 * `sequential` names them: embedding, linear1, tanh1, ...), on a batch of 1 to `maxRows` rows and
 * layers 1 to `maxCols` wide: tanh outputs in [-1, 1], ReLU outputs at or above 0 with exact zeros,
 * gradients of any sign at the scale `gradValue` draws; every Linear has its weight and bias in
 * `params` and `paramGrads`. `kinds` narrows the kinds drawn.
 */
export const anyTrace = ({
  maxLayers = 7,
  maxRows = 5,
  maxCols = 6,
  kinds = layerKinds,
  gradValue = anyValue(3),
  loss = anyValue(30),
}: {
  maxLayers?: number
  maxRows?: number
  maxCols?: number
  kinds?: readonly LayerKindName[]
  gradValue?: fc.Arbitrary<number>
  loss?: fc.Arbitrary<number>
} = {}): fc.Arbitrary<TraceAndParams> =>
  fc
    .tuple(
      fc.integer({ min: 1, max: maxRows }),
      fc.integer({ min: 1, max: maxCols }),
      fc.array(fc.tuple(fc.constantFrom(...kinds), fc.integer({ min: 1, max: maxCols })), { maxLength: maxLayers }),
    )
    .chain(([rows, inCols, specs]) => {
      const counts = new Map<string, number>()
      let width = inCols
      const layers = specs.map(([kind, cols]) => {
        const k = (counts.get(kind) ?? 0) + 1
        counts.set(kind, k)
        const name = kind === 'embedding' && k === 1 ? 'embedding' : `${kind}${k}`
        // activations and BatchNorm keep the width of what they are given; the others set their own
        const fanIn = width
        if (kind === 'linear' || kind === 'embedding') width = cols
        const value = kind === 'tanh' ? tanhValue : kind === 'relu' ? reluValue : anyValue(10)
        const param = (shape: readonly number[]) =>
          fc.tuple(tensorShaped(shape, anyValue(3)), tensorShaped(shape, gradValue))
        return fc.record({
          name: fc.constant(name),
          kind: fc.constant(kind),
          out: tensorShaped([rows, width], value),
          grad: tensorShaped([rows, width], gradValue),
          params: kind === 'linear' ? fc.tuple(param([fanIn, width]), param([width])) : fc.constant(undefined),
        })
      })
      return fc.tuple(loss, fc.tuple(...layers))
    })
    .map(([loss, ls]) => {
      const params: Record<string, Tensor> = {}
      const paramGrads: Record<string, Tensor> = {}
      for (const l of ls) {
        if (l.params === undefined) continue
        const [[w, gw], [b, gb]] = l.params
        params[`${l.name}.weight`] = w
        paramGrads[`${l.name}.weight`] = gw
        params[`${l.name}.bias`] = b
        paramGrads[`${l.name}.bias`] = gb
      }
      const layers = ls.map(({ name, kind, out, grad }) => ({ name, kind, out, grad }))
      return { trace: { loss, layers, paramGrads }, params }
    })

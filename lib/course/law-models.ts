/**
 * The networks the reference laws draw: stacks of layers the engine runs (an embedding, 0 to 3
 * hidden Linears with or without a bias, each maybe followed by a BatchNorm and a tanh or ReLU, and
 * an output Linear, maybe with a BatchNorm of its own), of sizes from 1 up, and models of them whose
 * parameters are whatever a caller may hand over: as drawn, all zero (of either sign), 1e-30 small,
 * partly zero, or any numbers; BatchNorms with any running statistics; parameters filed in any order.
 * Small enough that a training step takes well under a millisecond.
 */
import fc from 'fast-check'
import { evalRng } from '../engine/random.ts'
import type { Tensor } from '../engine/tensor.ts'
import type { Examples } from '../model/data.ts'
import { constant, type InitScheme, kaiming, scaledNormal, zerosInit } from '../model/init.ts'
import {
  batchNorm1d,
  embedding,
  initModel,
  type LayerSpec,
  linear,
  type Model,
  reluLayer,
  tanhLayer,
} from '../model/nn.ts'
import { anySeed, anyValue, indicesInto, tensorShaped } from './law-inputs.ts'

/** How a parameter may start: zeros (of either sign), a constant, randn × any scale (1e-30 and negative ones too), Kaiming. */
export const anyInit: fc.Arbitrary<InitScheme> = fc.oneof(
  fc.constant(zerosInit),
  fc.constant(constant(-0)),
  anyValue(3).map(constant),
  fc.oneof(anyValue(3), fc.constantFrom(1e-30, 0.01, 1)).map(scaledNormal),
  fc.oneof(fc.double({ min: -3, max: 3, noNaN: true }), fc.constantFrom(1, 5 / 3)).map(kaiming),
)

const hiddenBlock = (activations: readonly string[]) =>
  fc.record({
    width: fc.integer({ min: 1, max: 5 }),
    bias: fc.boolean(),
    batchNorm: fc.boolean(),
    activation: fc.constantFrom(...activations),
    weightInit: anyInit,
    biasInit: anyInit,
    gammaInit: anyInit,
    eps: fc.constantFrom(1e-5, 0.1, 1),
    momentum: fc.constantFrom(0, 0.001, 0.1, 1),
  })

export interface LayersOptions {
  /** At least one tanh layer (the first hidden block gets one when none drew it), often several. Default false. */
  readonly withTanh?: boolean
  /** The most hidden blocks. Default 3. */
  readonly maxHidden?: number
  /** One BatchNorm more, after a layer that is not a Linear (the embedding, an activation, a BatchNorm). Default false. */
  readonly strayBatchNorm?: boolean
}

/** A stack of layers the engine runs, its output as wide as its vocabulary (1 to 6 tokens). */
export const anyLayers = ({
  withTanh = false,
  maxHidden = 3,
  strayBatchNorm = false,
}: LayersOptions = {}): fc.Arbitrary<LayerSpec[]> =>
  fc
    .record({
      vocab: fc.integer({ min: 1, max: 6 }),
      dim: fc.integer({ min: 1, max: 3 }),
      block: fc.integer({ min: 1, max: 3 }),
      embeddingInit: anyInit,
      hidden: fc.array(hiddenBlock(withTanh ? ['tanh', 'tanh', 'relu', 'none'] : ['tanh', 'relu', 'none']), {
        minLength: withTanh ? 1 : 0,
        maxLength: maxHidden,
      }),
      out: hiddenBlock(['none']),
      stray: fc.nat(),
    })
    .map(({ vocab, dim, block, embeddingInit, hidden, out, stray }) => {
      const blocks =
        withTanh && !hidden.some((h) => h.activation === 'tanh')
          ? [{ ...hidden[0], activation: 'tanh' }, ...hidden.slice(1)]
          : hidden
      const layers: LayerSpec[] = [embedding(vocab, dim, block, embeddingInit)]
      // the width each layer puts out, for a stray BatchNorm after it
      const widths: number[] = [dim * block]
      let width = dim * block
      for (const b of [...blocks, { ...out, width: vocab, activation: 'none' }]) {
        layers.push(linear(width, b.width, { bias: b.bias, weightInit: b.weightInit, biasInit: b.biasInit }))
        widths.push(b.width)
        if (b.batchNorm) layers.push(batchNorm1d(b.width, { eps: b.eps, momentum: b.momentum, gammaInit: b.gammaInit }))
        if (b.batchNorm) widths.push(b.width)
        if (b.activation === 'tanh') layers.push(tanhLayer())
        if (b.activation === 'relu') layers.push(reluLayer())
        if (b.activation !== 'none') widths.push(b.width)
        width = b.width
      }
      if (!strayBatchNorm) return layers
      const after = layers.flatMap((l, i) => (l.kind === 'linear' ? [] : [i]))
      const at = after[stray % after.length]
      return [...layers.slice(0, at + 1), batchNorm1d(widths[at]), ...layers.slice(at + 1)]
    })

/** A parameter as a caller may hand it over: as drawn, all zero (either sign), 1e-30 small, partly zero, or any numbers. */
const retouched = (t: Tensor): fc.Arbitrary<Tensor> => {
  const n = t.data.length
  return fc.oneof(
    fc.constant(null).map(() => ({ shape: [...t.shape], data: t.data.slice() })),
    fc
      .array(fc.constantFrom(0, -0), { minLength: n, maxLength: n })
      .map((xs) => ({ shape: [...t.shape], data: Float64Array.from(xs) })),
    fc.constant(null).map(() => ({ shape: [...t.shape], data: t.data.map((x) => x * 1e-30) })),
    fc
      .array(fc.boolean(), { minLength: n, maxLength: n })
      .map((keep) => ({ shape: [...t.shape], data: t.data.map((x, i) => (keep[i] ? x : 0)) })),
    tensorShaped(t.shape),
  )
}

/** A model of these layers (any by default), its parameters retouched, its running statistics any (variances ≥ 0). */
export const anyModel = (layers: fc.Arbitrary<LayerSpec[]> = anyLayers()): fc.Arbitrary<Model> =>
  fc.tuple(layers, anySeed).chain(([specs, seed]) => {
    const model = evalRng(initModel(specs), seed)
    const names = Object.keys(model.params)
    const buffers = Object.entries(model.buffers)
    return fc
      .tuple(
        fc.tuple(...names.map((k) => retouched(model.params[k]))),
        fc.tuple(
          ...buffers.map(([k, t]) =>
            tensorShaped(t.shape, k.endsWith('runningVar') ? anyValue().map(Math.abs) : anyValue()),
          ),
        ),
        fc.oneof(fc.constant(names), fc.shuffledSubarray(names, { minLength: names.length, maxLength: names.length })),
      )
      .map(([params, stats, order]) => {
        const byName = Object.fromEntries(names.map((k, i) => [k, params[i]]))
        return {
          layers: model.layers,
          params: Object.fromEntries(order.map((k) => [k, byName[k]])),
          buffers: Object.fromEntries(buffers.map(([k], i) => [k, stats[i]])),
        }
      })
  })

/** The model's vocabulary and context length, read off its embedding. */
export const sizesOf = (model: Pick<Model, 'layers'>): { vocab: number; block: number } => {
  const e = model.layers[0]
  if (e?.kind !== 'embedding') throw new Error('the model does not start with an embedding')
  return { vocab: e.vocabSize, block: e.blockSize }
}

/** A batch of 1 to `max` contexts for this model: X (n × blockSize indices) and Y (n targets). */
export const batchFor = (model: Pick<Model, 'layers'>, max = 5): fc.Arbitrary<{ X: Int32Array; Y: Int32Array }> => {
  const { vocab, block } = sizesOf(model)
  return fc
    .integer({ min: 1, max })
    .chain((n) => fc.tuple(indicesInto(vocab, n * block), indicesInto(vocab, n)))
    .map(([X, Y]) => ({ X: Int32Array.from(X), Y: Int32Array.from(Y) }))
}

/** Examples (1 to `max` of them) for this model's vocabulary and context length. */
export const examplesFor = (model: Pick<Model, 'layers'>, max = 8): fc.Arbitrary<Examples> => {
  const { vocab, block } = sizesOf(model)
  return fc
    .integer({ min: 1, max })
    .chain((n) => fc.tuple(indicesInto(vocab, n * block), indicesInto(vocab, n)))
    .map(([X, Y]) => ({ X: Int32Array.from(X), Y: Int32Array.from(Y), count: Y.length, blockSize: block }))
}

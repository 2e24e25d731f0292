/**
 * The mystery networks of kata 08 (given: you do not change this file).
 *
 * Each case is one of the lecture's character-level networks at initialisation, with one problem
 * planted in how it was built (or none at all), and the evidence a detective gets: the Trace of one
 * training pass on a batch of 32 contexts from data/names.txt (every layer's out and out.grad, every
 * parameter's gradient), the parameters it was taken with, and the learning rate it is about to
 * train with. The cases are seeded: every run builds the same ones.
 *
 * The names say nothing about the problem: reading the instruments is your job.
 */
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/Either'
import { buildExamples, buildVocabulary, formatNamesError, readNamesFile, sampleBatch } from '../../lib/model/data.ts'
import {
  batchNorm1d,
  embedding,
  initModel,
  linear,
  reluLayer,
  tanhLayer,
  trainingPass,
  type LayerSpec,
} from '../../lib/model/nn.ts'
import { constant, kaiming, scaledNormal, standardNormal } from '../../lib/model/init.ts'
import { evalRng, seedRng } from '../../lib/engine/random.ts'
import type { Case } from './kata.ts'

export type { Case } from './kata.ts'

const V = 27
const inputs = 30

/** Five hidden layers of 100 of an activation, then the output layer, with the given inits. */
const deep = (o: { act: 'tanh' | 'relu' | 'none'; gain: number; hiddenBias?: number; out?: number }): LayerSpec[] => [
  embedding(V, 10, 3, standardNormal),
  ...Array.from({ length: 5 }, (_, i): LayerSpec[] => [
    linear(i === 0 ? inputs : 100, 100, { weightInit: kaiming(o.gain), biasInit: constant(o.hiddenBias ?? 0) }),
    ...(o.act === 'tanh' ? [tanhLayer()] : o.act === 'relu' ? [reluLayer()] : []),
  ]).flat(),
  linear(100, V, { weightInit: kaiming(o.out ?? 0.1) }),
]

/** The one-hidden-layer MLP of the lecture with W1 × w1, W2 × w2, b2 × b2 (b1 × 0.01). */
const mlp = (o: { w1: number | 'kaiming'; w2: number; b2: number }): LayerSpec[] => [
  embedding(V, 10, 3, standardNormal),
  linear(inputs, 200, {
    weightInit: o.w1 === 'kaiming' ? kaiming('tanh') : scaledNormal(o.w1),
    biasInit: scaledNormal(0.01),
  }),
  tanhLayer(),
  linear(200, V, { weightInit: scaledNormal(o.w2), biasInit: o.b2 === 0 ? constant(0) : scaledNormal(o.b2) }),
]

/** How each case is built: the layers and the learning rate. */
const recipes: readonly { readonly layers: LayerSpec[]; readonly lr: number }[] = [
  { layers: mlp({ w1: 'kaiming', w2: 1, b2: 1 }), lr: 0.003 },
  { layers: deep({ act: 'tanh', gain: 5 / 3 }), lr: 1e-5 },
  {
    layers: [
      embedding(V, 10, 3),
      linear(inputs, 200, { weightInit: kaiming('relu'), biasInit: constant(-3) }),
      reluLayer(),
      linear(200, V, { weightInit: scaledNormal(0.01) }),
    ],
    lr: 1,
  },
  { layers: deep({ act: 'tanh', gain: 0.5 }), lr: 0.5 },
  {
    layers: [
      embedding(V, 10, 3),
      linear(inputs, 200, { bias: false }),
      batchNorm1d(200),
      tanhLayer(),
      linear(200, V, { weightInit: scaledNormal(0.01) }),
    ],
    lr: 0.1,
  },
  { layers: mlp({ w1: 1, w2: 0.01, b2: 0 }), lr: 1 },
  { layers: deep({ act: 'none', gain: 2, out: 0.01 }), lr: 0.05 },
  { layers: deep({ act: 'tanh', gain: 5 / 3 }), lr: 50 },
]

let built: Case[] | undefined

/** The cases, built on first use (a second or so). */
export const mysteries = (): readonly Case[] => {
  if (built !== undefined) return built
  const read = readNamesFile(fileURLToPath(new URL('../../data/names.txt', import.meta.url)))
  if (E.isLeft(read)) throw new Error(formatNamesError(read.left))
  const examples = buildExamples(read.right, buildVocabulary(read.right), 3)
  const batch = evalRng(sampleBatch(examples, 32), 8)
  built = recipes.map((r, i) => {
    const [model] = initModel(r.layers)(seedRng(100 + i))
    const pass = trainingPass(model, batch.X, batch.Y)
    return {
      name: `case ${String.fromCharCode(65 + i)}`,
      vocabSize: V,
      trace: pass.trace,
      params: model.params,
      lr: r.lr,
    }
  })
  return built
}

/**
 * The step plan against the model's own step (sgdStep): the lecture's networks, and random
 * architectures, trained both ways from the same seed on the same batches give the same bits:
 * losses, traces, gradients, parameters and running statistics.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readNamesOrThrow, sampleBatch } from './data.ts'
import { experiments, prepareCorpus } from './experiments.ts'
import { batchNorm1d, embedding, initModel, linear, reluLayer, tanhLayer, type LayerSpec, type Params } from './nn.ts'
import { stepPlan } from './plan.ts'
import { moments } from '../engine/ops.ts'
import { seedRng } from '../engine/random.ts'
import { sgdStep, type TrainState } from './train.ts'

const words = readNamesOrThrow('data/names.txt')
const corpus = prepareCorpus(words, 42)

const sameBits = (a: ArrayLike<number>, b: ArrayLike<number>, what: string) => {
  expect(a.length, what).toBe(b.length)
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) expect.fail(`${what}[${i}]: ${a[i]} != ${b[i]}`)
}
const sameParams = (a: Params, b: Params, what: string) => {
  expect(Object.keys(a), what).toEqual(Object.keys(b))
  for (const k of Object.keys(a)) {
    expect(a[k].shape, `${what} ${k}`).toEqual(b[k].shape)
    sameBits(a[k].data, b[k].data, `${what} ${k}`)
  }
}

/** Trains `steps` steps both ways and compares everything at every step. */
const compare = (specs: readonly LayerSpec[], steps: number, batch: number, seed: number) => {
  const [model, s0] = initModel(specs)(seedRng(seed))
  const measured = Object.keys(model.params).filter((k) => model.params[k].shape.length === 2)
  const plan = stepPlan(model, batch, measured)
  expect(plan, 'WebAssembly SIMD is available here').toBeDefined()
  if (plan === undefined) return
  const draw = sampleBatch(corpus.train, batch)
  let state: TrainState = { model, step: 0 }
  let s = s0
  for (let step = 0; step < steps; step++) {
    const [b, next] = draw(s)
    s = next
    const lr = step < steps / 2 ? 0.1 : 0.01
    const r = sgdStep(state, b, lr)
    const loss = plan.pass(b.X, b.Y)
    expect(Object.is(loss, r.trace.loss), `step ${step}: loss ${loss} != ${r.trace.loss}`).toBe(true)
    const t = plan.trace(loss)
    t.layers.forEach((l, i) => {
      const ref = r.trace.layers[i]
      expect([l.name, l.kind, l.out.shape, l.grad.shape]).toEqual([ref.name, ref.kind, ref.out.shape, ref.grad.shape])
      sameBits(l.out.data, ref.out.data, `step ${step} ${l.name} out`)
      sameBits(l.grad.data, ref.grad.data, `step ${step} ${l.name} grad`)
    })
    sameParams(t.paramGrads, r.trace.paramGrads, `step ${step} gradient`)
    for (const name of Object.keys(model.params))
      sameBits(plan.live(name).grad.data, r.trace.paramGrads[name].data, name)
    plan.update(lr)
    measured.forEach((name, w) => {
      expect(Object.is(plan.stds[2 * w], moments(r.trace.paramGrads[name].data).std), `${name} std(grad)`).toBe(true)
      expect(Object.is(plan.stds[2 * w + 1], moments(state.model.params[name].data).std), `${name} std(param)`).toBe(
        true,
      )
    })
    state = r.state
    sameParams(plan.params(), state.model.params, `step ${step} parameter`)
    sameParams(plan.buffers(), state.model.buffers, `step ${step} running statistic`)
  }
}

describe('the step plan gives the bits of sgdStep', () => {
  it.each(experiments.map((e) => [e.name, e] as const))('%s, 12 steps', (_, e) => {
    compare(e.layers(corpus.vocab.size), 12, 32, 3)
  })

  it('any stack of Linear (with or without bias), BatchNorm, tanh and ReLU, any batch size', () => {
    const v = corpus.vocab.size
    const layer = fc.oneof(fc.constant('tanh'), fc.constant('relu'), fc.constant('bn'), fc.constant('nobias'))
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 9 }),
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 13 }), layer), { maxLength: 3 }),
        fc.integer({ min: 0, max: 1000 }),
        (batch, dim, hidden, seed) => {
          // the corpus's contexts are 3 characters
          const specs: LayerSpec[] = [embedding(v, dim, 3)]
          let width = dim * 3
          for (const [w, kind] of hidden) {
            specs.push(linear(width, w, { bias: kind !== 'nobias' }))
            if (kind === 'bn') specs.push(batchNorm1d(w))
            specs.push(kind === 'relu' ? reluLayer() : tanhLayer())
            width = w
          }
          specs.push(linear(width, v), batchNorm1d(v))
          compare(specs, 3, batch, seed)
        },
      ),
      { numRuns: 40 },
    )
  })
})

import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { foldBatchNorm, foldModel } from './kata.ts'
import * as check from './checks.ts'
import * as reference from '../../solutions/10-batchnorm-folding/kata.ts'
import * as R from '../../lib/course/reference.ts'
import * as L from '../../lib/course/law-inputs.ts'
import * as M from '../../lib/course/law-models.ts'
import { matrix, toArray, vector } from '../../lib/engine/tensor.ts'
import { tensorOf } from '../../lib/engine/arbitraries.ts'

const runs = { numRuns: 20, endOnFailure: true }
const round = (xs: number[] | number[][]) =>
  JSON.parse(JSON.stringify(xs, (_, v) => (typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v)))

describe('1. one BatchNorm into the Linear before it', () => {
  it('foldBatchNorm: W′ = W · s and b′ = (b − mean) · s + beta, with s = gamma / √(var + eps) per output feature', () => {
    const linear = {
      weight: matrix([
        [1, 2],
        [3, -1],
      ]),
      bias: vector([0.5, -1]),
    }
    // feature 0: s = 4 / √(3 + 1) = 2; feature 1: s = 1 / √(0 + 1) = 1
    const bn = {
      gamma: vector([4, 1]),
      beta: vector([0, 3]),
      runningMean: matrix([[1, 1]]),
      runningVar: matrix([[3, 0]]),
      eps: 1,
    }
    const folded = foldBatchNorm(linear, bn)
    const slip = check.foldSlip(linear.weight, linear.bias, bn, folded)
    expect(slip, `foldBatchNorm: ${slip}`).toBeUndefined()
    expect(
      round(toArray(folded.weight) as number[][]),
      'each column j of W times s_j = gamma_j / √(var_j + eps): eps goes inside the root, and the scale belongs to the output feature (the column), not the input (the row)',
    ).toEqual([
      [2, 2],
      [6, -1],
    ])
    expect(
      round(toArray(folded.bias) as number[]),
      'b′_j = (b_j − mean_j) · s_j + beta_j: (0.5 − 1) · 2 + 0 = −1 and (−1 − 1) · 1 + 3 = 1 (subtract the running mean, scale, then add beta)',
    ).toEqual([-1, 1])
  })
  it('a Linear without bias folds too: its b is 0, and the folded Linear gets a bias −mean · s + beta', () => {
    const bn = {
      gamma: vector([4, 1]),
      beta: vector([0, 3]),
      runningMean: matrix([[1, 1]]),
      runningVar: matrix([[3, 0]]),
      eps: 1,
    }
    const folded = foldBatchNorm({ weight: matrix([[1, 2]]) }, bn)
    expect(round(toArray(folded.weight) as number[][]), 'W′ = W · s, as with a bias').toEqual([[2, 2]])
    expect(
      round(toArray(folded.bias) as number[]),
      'a Linear without bias: take b = 0, so b′ = −mean · s + beta = [−2, 2]: the folded layer needs a bias even though the original had none',
    ).toEqual([-2, 2])
  })
  it('law: x W′ + b′ equals BatchNorm in eval mode of x W + b within 1e-9, with or without a bias, for any x', () => {
    const model = check.trainedLooking(check.networks['a Linear with a bias before its BatchNorm'], 1)
    fc.assert(
      fc.property(tensorOf([4, 30], 3), fc.boolean(), (x, withBias) => {
        const { linear, bn } = check.firstPair(model, withBias)
        const folded = foldBatchNorm(linear, bn)
        const slip = check.foldSlip(linear.weight, linear.bias, bn, folded)
        expect(slip, `${withBias ? 'with' : 'without'} a bias: ${slip}`).toBeUndefined()
        const diff = check.maxRelDiff(
          check.affine(x, folded.weight, folded.bias),
          check.linearThenBatchNorm(x, linear.weight, linear.bias, bn),
        )
        expect(
          diff,
          `${withBias ? 'with' : 'without'} a bias: x W′ + b′ must equal gamma (x W + b − mean) / √(var + eps) + beta on every row (eps inside the root)`,
        ).toBeLessThan(1e-9)
      }),
      runs,
    )
  })
  it('foldBatchNorm leaves its inputs alone', () => {
    const model = check.trainedLooking(check.networks['a Linear with a bias before its BatchNorm'], 2)
    const { linear, bn } = check.firstPair(model, true)
    const before = [linear.weight, linear.bias!, bn.gamma, bn.beta, bn.runningMean, bn.runningVar].map((t) =>
      Array.from(t.data),
    )
    foldBatchNorm(linear, bn)
    const after = [linear.weight, linear.bias!, bn.gamma, bn.beta, bn.runningMean, bn.runningVar].map((t) =>
      Array.from(t.data),
    )
    expect(after, 'foldBatchNorm must return new tensors, not scale W or b in place').toEqual(before)
  })
})

describe('2. folding a whole model', () => {
  for (const [name, layers] of Object.entries(check.networks)) {
    it(`${name}: the folded model has no BatchNorm layer, no buffers, and a bias on every Linear that had a BatchNorm after it`, () => {
      const model = check.trainedLooking(layers, 3)
      const folded = foldModel(model)
      const kinds = folded.layers.map((l) => l.kind)
      expect(kinds, 'every BatchNorm folded into the Linear before it: none is left').toEqual(
        model.layers.filter((l) => l.kind !== 'batchnorm').map((l) => l.kind),
      )
      expect(Object.keys(folded.buffers), 'no running statistics left to keep: they are inside W′ and b′').toEqual([])
      model.layers.forEach((l, i) => {
        if (l.kind === 'linear' && model.layers[i + 1]?.kind === 'batchnorm') {
          const k = model.layers.slice(0, i).filter((m) => m.kind !== 'batchnorm').length
          const folded_ = folded.layers[k]
          expect(
            folded_.kind === 'linear' && folded_.bias,
            `${l.name} now has a bias (b′), whether or not it had one: a Linear without bias folds too`,
          ).toBe(true)
        }
      })
    })
    it(`${name}: law: the folded model's eval logits equal the model's eval logits within 1e-9 on any batch`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 1e6 }), check.contexts(12), (seed, X) => {
          const model = check.trainedLooking(layers, seed)
          const folded = foldModel(model)
          const slips = check.foldModelSlips(model, folded)
          expect(slips, slips.join('; ')).toEqual([])
          const diff = check.maxRelDiff(check.evalLogits(folded, X), check.evalLogits(model, X))
          expect(
            diff,
            'the folded model must give the eval-mode logits: each BatchNorm in eval mode is the fixed affine map gamma (y − running mean) / √(running var + eps) + beta, folded into the Linear before it',
          ).toBeLessThan(1e-9)
        }),
        { numRuns: 10, endOnFailure: true },
      )
    })
    it(`${name}: in training mode the logits differ: BatchNorm then normalises with the batch's own statistics`, () => {
      const model = check.trainedLooking(layers, 4)
      const X = Array.from({ length: 16 * 3 }, (_, i) => (i * 7) % check.V)
      const diff = check.maxRelDiff(check.evalLogits(foldModel(model), X), check.trainLogits(model, X))
      expect(
        diff,
        "in training mode BatchNorm normalises with this batch's own mean and variance, which no fixed W′ and b′ can know in advance: a fold bakes in the running statistics, so it matches eval mode only",
      ).toBeGreaterThan(1e-3)
    })
    it(`${name}: the folded model has fewer parameters: each BatchNorm's gamma and beta are gone`, () => {
      const model = check.trainedLooking(layers, 5)
      const want = check.foldedCount(model)
      expect(
        check.parameterCount(foldModel(model)),
        `${check.parameterCount(model)} parameters before (${want.why}): gamma and beta of every BatchNorm go, and a Linear without bias gains one`,
      ).toBe(want.count)
    })
  }
  it('foldModel refuses a BatchNorm that follows no Linear, and its error names that layer', () => {
    for (const model of fc.sample(M.anyModel(M.anyLayers({ strayBatchNorm: true })), { numRuns: 8, seed: 10 })) {
      const stray = model.layers.find((l, i) => l.kind === 'batchnorm' && model.layers[i - 1]?.kind !== 'linear')
      if (stray === undefined) continue
      const layers = model.layers.map((l) => l.name).join(', ')
      expect(
        () => foldModel(model),
        `layers ${layers}: ${stray.name} follows no Linear, so there is nothing to fold it into; throw an Error that names it`,
      ).toThrow(stray.name)
    }
  })
  it('foldModel leaves the model it is given alone', () => {
    const model = check.trainedLooking(check.networks["the lecture's BatchNorm MLP"], 6)
    const snapshot = JSON.stringify(
      Object.entries(model.params).map(([k, t]) => [k, Array.from(t.data.subarray(0, 20))]),
    )
    const layers = model.layers.length
    foldModel(model)
    expect(model.layers, 'foldModel returns a new model; the layers of the one it is given stay').toHaveLength(layers)
    expect(
      JSON.stringify(Object.entries(model.params).map(([k, t]) => [k, Array.from(t.data.subarray(0, 20))])),
      'the parameters of the model it is given do not change',
    ).toBe(snapshot)
  })
})

describe('3. the reference laws: every function agrees with the reference answer on inputs of every shape, sign and size', () => {
  const eps = fc.oneof(fc.constantFrom(1e-5, 1e-3, 0.1, 1), fc.double({ min: 1e-6, max: 10, noNaN: true }))
  const pairs = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 7 })).chain(([fanIn, fanOut]) =>
    fc.tuple(
      fc.record(
        { weight: L.tensorShaped([fanIn, fanOut]), bias: L.tensorShaped([fanOut]) },
        { requiredKeys: ['weight'] },
      ),
      fc.record({
        gamma: L.tensorShaped([fanOut]),
        beta: L.tensorShaped([fanOut]),
        runningMean: L.tensorShaped([1, fanOut]),
        runningVar: L.tensorShaped([1, fanOut], L.anyValue().map(Math.abs)),
        eps,
      }),
    ),
  )
  // (b − mean) · s adds numbers up to 1e4 · 1e4 / √1e-5: an answer that rounds in another order may differ by 1e-5 there
  const tolerance = { relative: 1e-9, absolute: 1e-5 }
  const laws = [
    R.law('foldBatchNorm', foldBatchNorm, reference.foldBatchNorm, pairs, ['linear', 'bn'], { tolerance }),
    // a BatchNorm after no Linear (the embedding, an activation, another BatchNorm) has nothing to fold into: refused
    R.law(
      'foldModel',
      foldModel,
      reference.foldModel,
      fc.tuple(fc.oneof({ weight: 3, arbitrary: M.anyModel() }, M.anyModel(M.anyLayers({ strayBatchNorm: true })))),
      ['model'],
      { tolerance },
    ),
  ]
  R.describeLaws(laws, it)
})

import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  distinctHiddenUnits,
  gradientNorms,
  hiddenActivationStd,
  nonZeroGradients,
  smallestFix,
  trainRecorded,
  unigramLoss,
  zeroInitLayers,
} from './kata.ts'
import * as check from './checks.ts'
import * as reference from '../../solutions/09-zero-init/kata.ts'
import * as R from '../../lib/course/reference.ts'
import * as L from '../../lib/course/law-inputs.ts'
import * as M from '../../lib/course/law-models.ts'
import type { Indices } from '../../lib/engine/ops.ts'
import { matrix, type Tensor, vector } from '../../lib/engine/tensor.ts'
import { zerosInit } from '../../lib/model/init.ts'
import { embedding, linear, sequential, tanhLayer, type LayerSpec, type Model } from '../../lib/model/nn.ts'

const { vocabSize: V, examples, batchOf, mlpWith, num } = check
const zeroMlp = () => mlpWith({ w1: 0, b1: 0, w2: 0, b2: 0 }, 1).model

describe('1. the all-zero MLP', () => {
  it("zeroInitLayers: the lecture's MLP with both Linear layers at exactly zero, the embedding C still random", () => {
    const layers = zeroInitLayers(V)
    expect(Object.keys(check.initsOf(layers)), "the lecture's MLP: embedding, linear1 (with bias), linear2").toEqual(
      check.PARAMS,
    )
    const model = check.mlpWith({ w1: 0, b1: 0, w2: 0, b2: 0 }, 1).layers
    for (const name of check.PARAMS.slice(1)) {
      expect(check.initsOf(layers)[name], `${name} starts at exactly zero (every weight and bias of the MLP)`).toBe(
        check.initsOf(model)[name],
      )
    }
    expect(
      check.initsOf(layers)['embedding.weight'],
      "the embedding table C stays randn: it is the input's lookup table, not a layer's weight (and a zero C would make every context the same)",
    ).toBe(check.initsOf(check.mlpWith({ w1: 1, b1: 1, w2: 1, b2: 1 }, 1).layers)['embedding.weight'])
  })
})

describe('2. where the gradient stops, and why', () => {
  it('at step 0 exactly one parameter of the all-zero MLP receives a gradient: the output bias b2', () => {
    expect(nonZeroGradients(zeroMlp(), batchOf(32, 1)), check.WHY_ONLY_B2).toEqual(['linear2.bias'])
  })
  it('exactly zero, not small: with W2 at 1e-30 (W1 and b1 still zero) a gradient reaches W1 and b1, but not W2 or C', () => {
    const { model } = mlpWith({ w1: 0, b1: 0, w2: 1e-30, b2: 0 }, 2)
    expect(
      nonZeroGradients(model, batchOf(32, 2)),
      'a W2 of 1e-30 is not exactly zero: dh = dlogits · W2ᵀ is tiny but not 0, so dW1 and db1 are not 0 either (count a gradient that is not exactly 0, with no tolerance); dW2 = hᵀ · dlogits is still 0 because h = tanh(0) = 0, and dC = d(pre-activation) · W1ᵀ is 0 because W1 = 0',
    ).toEqual(['linear1.weight', 'linear1.bias', 'linear2.bias'])
  })
  it('W1 random and W2 zero: h is no longer 0, so W2 learns, but nothing flows back through W2 = 0', () => {
    const { model } = mlpWith({ w1: 0.2, b1: 0, w2: 0, b2: 0 }, 3)
    expect(
      nonZeroGradients(model, batchOf(32, 3)),
      'with h = tanh(x W1) not 0, dW2 = hᵀ · dlogits is not 0; with W2 = 0, dh = dlogits · W2ᵀ = 0, so W1, b1 and C still get exactly nothing',
    ).toEqual(['linear2.weight', 'linear2.bias'])
  })
  it("hiddenActivationStd: 0 for the all-zero MLP (every h is tanh(0) = 0); the tanh layer's output std otherwise", () => {
    expect(
      check.signless(hiddenActivationStd(zeroMlp(), batchOf(32, 4))),
      'every hidden unit outputs tanh(0) = 0: std 0',
    ).toBe(0)
    const { model } = mlpWith({ w1: 0.2, b1: 0.01, w2: 0.01, b2: 0 }, 4)
    const want = check.tanhOutputStd(model, batchOf(32, 4))
    const got = hiddenActivationStd(model, batchOf(32, 4))
    expect(
      Math.abs(got - want),
      `the std of the tanh layer's output h over every example and unit (the population std, dividing by N) is ${num(want)}, yours ${num(got)}`,
    ).toBeLessThan(1e-12)
  })
  it('hiddenActivationStd: a model with no tanh layer is an error that says so, not a crash elsewhere', () => {
    const specs: LayerSpec[] = [embedding(V, 10, 3), linear(30, V)]
    expect(
      () => hiddenActivationStd(check.initialise(specs, 5), batchOf(8, 5)),
      'a model without a tanh layer has no h: throw an Error whose message says the model has no tanh layer',
    ).toThrow(/tanh/)
  })
  it('distinctHiddenUnits: one unit for the all-zero MLP, 200 for a random one, each unit a column of W1 with its bias', () => {
    const W1 = matrix([
      [1, 1, 2, 1],
      [3, 3, 3, 3],
    ])
    const small = { layers: [], buffers: {}, params: { 'linear1.weight': W1, 'linear1.bias': vector([0, 0, 0, 5]) } }
    expect(
      distinctHiddenUnits(small),
      'columns [1,3], [1,3], [2,3], [1,3] with biases 0, 0, 0, 5 are 3 different units (a unit is a column of W1 and its bias)',
    ).toBe(3)
    expect(distinctHiddenUnits(zeroMlp()), 'all-zero weights and biases: the 200 units are one unit').toBe(1)
    expect(
      distinctHiddenUnits(mlpWith({ w1: 0.2, b1: 0.01, w2: 0.01, b2: 0 }, 5).model),
      '200 random units are 200 different units: count the columns of W1, not its rows',
    ).toBe(200)
  })
})

describe('3. training it, and each gradient over the steps', () => {
  it('gradientNorms: the square root of the sum of squares of each gradient, by name', () => {
    const norms = gradientNorms({
      a: vector([3, 4]),
      b: matrix([
        [0, 0],
        [0, 0],
      ]),
    })
    expect(
      Object.fromEntries(Object.entries(norms).map(([k, v]) => [k, check.signless(v)])),
      'the L2 norm: sqrt(3² + 4²) = 5, and a zero gradient has norm 0',
    ).toEqual({ a: 5, b: 0 })
    fc.assert(
      fc.property(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 8 }), (xs) => {
        const want = Math.sqrt(xs.reduce((s, x) => s + x * x, 0))
        expect(
          gradientNorms({ g: vector(xs) }).g,
          `the norm of [${xs.join(', ')}] is sqrt of the sum of squares`,
        ).toBeCloseTo(want, 9)
      }),
      { numRuns: 50, endOnFailure: true },
    )
  })
  it('trainRecorded: the engine SGD step on batches from one generator, each step recording its loss and every gradient norm', () => {
    const { model } = mlpWith({ w1: 0.2, b1: 0.01, w2: 0.01, b2: 0 }, 6)
    const run = trainRecorded(model, examples, { steps: 20, lr: 0.1, batchSize: 32, seed: 6 })
    expect(run.losses, 'one loss per step').toHaveLength(20)
    expect(Object.keys(run.gradNorms).sort(), 'a gradient norm series for every parameter').toEqual(
      [...check.PARAMS].sort(),
    )
    for (const name of check.PARAMS) expect(run.gradNorms[name], `${name}: one norm per step`).toHaveLength(20)
    const want = check.replayLosses(model, 20, 0.1, 32, 6)
    run.losses.forEach((l, i) =>
      expect(
        l,
        `step ${i}: the loss of sgdStep on the batch drawn from the state the previous draw returned (starting at seedRng(seed)) is ${num(want[i])}, yours ${num(l)}`,
      ).toBeCloseTo(want[i], 10),
    )
  })
  it('300 steps of the all-zero MLP: W1, b1, C and W2 have a gradient of exactly 0 at every step, and the units stay one', () => {
    const run = trainRecorded(zeroMlp(), examples, { steps: 300, lr: 0.1, batchSize: 32, seed: 7 })
    for (const name of ['embedding.weight', 'linear1.weight', 'linear1.bias', 'linear2.weight']) {
      expect(
        run.gradNorms[name].every((g) => g === 0),
        `${name} gets a gradient of exactly 0 at every step: b2 moving does not make h or W2 any less zero`,
      ).toBe(true)
    }
    expect(
      run.gradNorms['linear2.bias'].every((g) => g > 0),
      'b2 learns at every step',
    ).toBe(true)
    expect(nonZeroGradients(run.model, batchOf(32, 8)), `after 300 steps, still ${check.WHY_ONLY_B2}`).toEqual([
      'linear2.bias',
    ])
    expect(check.signless(hiddenActivationStd(run.model, batchOf(32, 8))), 'h is still tanh(0) = 0 everywhere').toBe(0)
    expect(distinctHiddenUnits(run.model), 'the 200 units are still one unit').toBe(1)
  })
})

describe('4. the loss it settles at', () => {
  it('unigramLoss: -sum p ln p of the characters’ frequencies among the targets', () => {
    expect(unigramLoss([0, 0, 1, 1], 27), 'two characters, half each: ln 2').toBeCloseTo(Math.log(2), 12)
    expect(
      check.signless(unigramLoss([5, 5, 5], 27)),
      'always the same character: a frequency of 1 costs nothing',
    ).toBe(0)
    expect(unigramLoss([0, 1, 2, 3], 27), 'four characters once each: ln 4, whatever V is').toBeCloseTo(Math.log(4), 12)
    expect(unigramLoss([0, 0, 0, 1], 27), 'frequencies 3/4 and 1/4').toBeCloseTo(
      -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)),
      12,
    )
  })
  it('unigramLoss: a loss of 0 may come out as −0 (−Σ p ln p with p = 1 is −(1 · 0)), and −0 passes wherever 0 does', () => {
    const yours = unigramLoss([5, 5, 5], 27)
    for (const answer of [yours, -yours])
      expect(
        check.signless(answer),
        `always the same character: a frequency of 1 costs nothing, and ${Object.is(answer, -0) ? '−0' : String(answer)} is that nothing`,
      ).toBe(0)
  })
  it('unigramLoss is the loss of the best prediction that ignores the context: no constant row of logits does better', () => {
    const want = unigramLoss(examples.Y, V)
    const constantRowLoss = (row: readonly number[]): number => {
      const m = Math.max(...row),
        lse = m + Math.log(row.reduce((s, x) => s + Math.exp(x - m), 0))
      let loss = 0
      for (const y of examples.Y) loss += lse - row[y]
      return loss / examples.Y.length
    }
    const why = `a constant prediction costs at least the unigram loss ${num(want)}: use each character's frequency among the targets`
    // the best constant row: the log of each character's frequency (a floor for characters never seen)
    const counts = new Array<number>(V).fill(0)
    for (const y of examples.Y) counts[y]++
    const best = counts.map((c) => Math.log(Math.max(c, 1e-9) / examples.Y.length))
    expect(
      constantRowLoss(best),
      `the logits ln(frequency) cost ${num(constantRowLoss(best))}; ${why}`,
    ).toBeGreaterThanOrEqual(want - 1e-9)
    fc.assert(
      fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: V, maxLength: V }), (row) => {
        expect(constantRowLoss(row), why).toBeGreaterThanOrEqual(want - 1e-9)
      }),
      { numRuns: 30, endOnFailure: true },
    )
  })
  it('trained 1,000 steps, the all-zero MLP predicts one distribution whatever the context, and its loss comes down to the unigram loss, never below', () => {
    const run = trainRecorded(zeroMlp(), examples, { steps: 1000, lr: 0.1, batchSize: 32, seed: 9 })
    const uni = unigramLoss(examples.Y, V)
    const loss = check.lossOn(run.model, examples)
    expect(
      check.ignoresContext(run.model, examples.X),
      'logits = b2 for every context: the network ignores its input',
    ).toBe(true)
    expect(
      loss,
      `a net that ignores the context cannot beat the unigram loss: its loss ${num(loss)} is below your unigramLoss ${num(uni)} (the frequency of each character among the targets)`,
    ).toBeGreaterThanOrEqual(uni - 1e-9)
    expect(
      loss - uni,
      `only b2 learns, and the best b2 is ln(frequency): the loss ${num(loss)} should come within 0.05 of the unigram loss, yours says ${num(uni)} (the frequency of each character among the targets)`,
    ).toBeLessThan(0.05)
  })
})

describe('5. the smallest change that lets it train fully', () => {
  it('smallestFix changes the init of exactly one parameter, to random numbers', () => {
    const zero = check.mlpWith({ w1: 0, b1: 0, w2: 0, b2: 0 }, 1).layers
    const fixed = smallestFix(zero)
    const changed = check.changedInits(zero, fixed)
    expect(changed, 'exactly one parameter starts differently: the smallest change').toHaveLength(1)
    const init = check.initsOf(fixed)[changed[0]]
    expect(
      /^(randn|kaiming)/.test(init) && init !== 'randn × 0',
      `${changed[0]} now starts as ${init}: it should start random (randn × a small scale), not at a constant`,
    ).toBe(true)
  })
  it('after 5 steps with smallestFix every parameter receives a gradient and the 200 hidden units differ', () => {
    const zero = check.mlpWith({ w1: 0, b1: 0, w2: 0, b2: 0 }, 1).layers
    const model = check.initialise(smallestFix(zero), 10)
    const run = trainRecorded(model, examples, { steps: 5, lr: 0.1, batchSize: 32, seed: 10 })
    const got = nonZeroGradients(run.model, batchOf(32, 11))
    expect(
      got,
      `still only ${got.join(', ')} receive a gradient: a random b2 changes only what the one learning parameter starts from; the change must reach a zero on the gradient's path (h = 0 or W2 = 0)`,
    ).toEqual(check.PARAMS)
    expect(distinctHiddenUnits(run.model), 'the 200 hidden units have become 200 different units').toBe(200)
  })
  it('trained 1,000 steps with smallestFix the net uses the context: its loss ends well below the unigram loss', () => {
    const zero = check.mlpWith({ w1: 0, b1: 0, w2: 0, b2: 0 }, 1).layers
    const run = trainRecorded(check.initialise(smallestFix(zero), 12), examples, {
      steps: 1000,
      lr: 0.1,
      batchSize: 32,
      seed: 12,
    })
    const loss = check.lossOn(run.model, examples),
      uni = unigramLoss(examples.Y, V)
    expect(
      loss,
      `loss ${num(loss)} is not 0.1 below the unigram loss ${num(uni)}: the net still predicts about the same distribution for every context`,
    ).toBeLessThan(uni - 0.1)
  })
})

describe('6. the reference laws: every function agrees with the reference answer on inputs of every shape, sign and size', () => {
  const models = M.anyModel()
  const withBatch = (m: fc.Arbitrary<Model>) => m.chain((model) => fc.tuple(fc.constant(model), M.batchFor(model)))
  // linear1's columns built from 1 to 3 base units, each copy exact, nudged by a quarter of the tolerance or far off
  const clustered = fc
    .tuple(
      M.anyModel(M.anyLayers({ maxHidden: 2 })),
      fc.option(fc.oneof(fc.constantFrom(0, 1e-9, 1e-3), L.anyValue(0.5).map(Math.abs)), { nil: undefined }),
    )
    .chain(([model, tolerance]) => {
      const [fanIn, hidden] = model.params['linear1.weight'].shape
      const bias = 'linear1.bias' in model.params
      const length = fanIn + (bias ? 1 : 0)
      return fc
        .tuple(
          fc.array(fc.array(L.anyValue(3), { minLength: length, maxLength: length }), { minLength: 1, maxLength: 3 }),
          fc.array(fc.tuple(fc.nat(), fc.constantFrom(0, 0.25, -0.25, 3, -4), fc.nat({ max: length - 1 })), {
            minLength: hidden,
            maxLength: hidden,
          }),
        )
        .map(([bases, picks]) => {
          const units = picks.map(([b, nudge, at]) => {
            const u = bases[b % bases.length].slice()
            u[at] += nudge * (tolerance ?? 1e-9)
            return u
          })
          const W1 = Float64Array.from({ length: fanIn * hidden }, (_, k) => units[k % hidden][Math.floor(k / hidden)])
          const params: Record<string, Tensor> = {
            ...model.params,
            'linear1.weight': { shape: [fanIn, hidden], data: W1 },
          }
          if (bias) params['linear1.bias'] = { shape: [hidden], data: Float64Array.from(units, (u) => u[fanIn]) }
          return { args: [{ ...model, params }, tolerance] as [Model, number | undefined], units }
        })
        .filter(({ units }) => check.unitsAreClusters(units, tolerance ?? 1e-9))
        .map(({ args }) => args)
    })
  const tensors = fc.oneof(L.anyVector(), L.anyMatrix(), L.tensorShaped([1, 1]), L.tensorShaped([2, 1, 3]))
  const grads = fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9]{0,6}(\.[a-z]{1,6})?$/), tensors, {
    maxKeys: 5,
    noNullPrototype: true,
  })
  const training = M.anyModel(M.anyLayers({ maxHidden: 2 })).chain((model) =>
    fc.tuple(
      fc.constant(model),
      M.examplesFor(model),
      fc.record({
        steps: fc.integer({ min: 0, max: 4 }),
        lr: fc.oneof(L.anyValue(3), fc.constantFrom(0, 0.1, -0.1)),
        batchSize: fc.integer({ min: 0, max: 6 }),
        seed: L.anySeed,
      }),
    ),
  )
  const vocabSizes = fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 1e5 }))
  const targets = fc
    .tuple(fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 1e4 })), fc.integer({ min: 1, max: 4 }))
    .chain(([V, spread]) =>
      fc.tuple(
        fc.oneof(
          fc.array(fc.integer({ min: 0, max: V - 1 }), { minLength: 1, maxLength: 60 }),
          // a few tokens only, one of them most of the time: frequencies far from uniform, and a loss of 0
          fc.array(fc.integer({ min: 0, max: Math.min(spread, V) - 1 }), { minLength: 1, maxLength: 60 }),
        ),
        fc.constant(V),
      ),
    )
    .chain(([ys, V]) =>
      fc.tuple(
        fc.constantFrom<Indices[]>(ys, Int32Array.from(ys), ...(V <= 256 ? [Uint8Array.from(ys)] : [])),
        fc.constant(V),
      ),
    )
  const allZeroMlps = fc
    .record({
      vocab: fc.integer({ min: 1, max: 30 }),
      dim: fc.integer({ min: 1, max: 10 }),
      block: fc.integer({ min: 1, max: 4 }),
      hidden: fc.integer({ min: 1, max: 300 }),
      embeddingInit: M.anyInit,
      named: fc.boolean(),
    })
    .map(({ vocab, dim, block, hidden, embeddingInit, named }) => {
      const zero = { weightInit: zerosInit, biasInit: zerosInit }
      const specs: LayerSpec[] = [
        embedding(vocab, dim, block, embeddingInit),
        linear(dim * block, hidden, zero),
        tanhLayer(),
        linear(hidden, vocab, zero),
      ]
      return [named ? sequential(specs) : specs] as const
    })
  const laws = [
    R.law('zeroInitLayers', zeroInitLayers, reference.zeroInitLayers, fc.tuple(vocabSizes), ['vocabSize']),
    // a gradient whose entries all have one sign shows on the smaller parameters only: more runs
    R.law('nonZeroGradients', nonZeroGradients, reference.nonZeroGradients, withBatch(models), ['model', 'batch'], {
      numRuns: 150,
    }),
    R.law(
      'hiddenActivationStd',
      hiddenActivationStd,
      reference.hiddenActivationStd,
      withBatch(M.anyModel(M.anyLayers({ withTanh: true }))),
      ['model', 'batch'],
      { tolerance: { relative: 1e-12, absolute: 1e-15 } },
    ),
    R.law('distinctHiddenUnits', distinctHiddenUnits, reference.distinctHiddenUnits, clustered, ['model', 'tolerance']),
    // the square of a number below 1e-154 underflows: a norm that avoids it (Math.hypot) is as right
    R.law('gradientNorms', gradientNorms, reference.gradientNorms, fc.tuple(grads), ['grads'], {
      tolerance: { relative: 1e-12, absolute: 1e-150 },
    }),
    R.law('trainRecorded', trainRecorded, reference.trainRecorded, training, ['model', 'examples', 'options'], {
      tolerance: { relative: 1e-12, absolute: 1e-150 },
      numRuns: 30,
    }),
    R.law('unigramLoss', unigramLoss, reference.unigramLoss, targets, ['targets', 'vocabSize'], {
      tolerance: { relative: 1e-12, absolute: 1e-13 },
    }),
    R.law('smallestFix', smallestFix, reference.smallestFix, allZeroMlps, ['layers'], { view: check.fixVerdict }),
  ]
  R.describeLaws(laws, it)
})

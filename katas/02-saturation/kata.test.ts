import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  deadReluUnits,
  deadUnits,
  fixHiddenLayer,
  reluLocalGradient,
  saturationFraction,
  tanhLocalGradient,
} from './kata.ts'
import * as F from './feedback.ts'
import { naive, outputFixed } from './feedback.ts'
import * as reference from '../../solutions/02-saturation/kata.ts'
import * as R from '../../lib/course/reference.ts'
import * as L from '../../lib/course/law-inputs.ts'

describe("1. tanh's local gradient, 1 - t²", () => {
  it("the lecture's table: t = 0 passes everything, ±0.9 passes 0.19, ±0.99 passes 0.0199, ±1 passes nothing", () => {
    const t = F.matrix([[0, 0.9, -0.9, 0.99, -0.99, 1, -1]])
    const g = tanhLocalGradient(t)
    expect(g.shape, 'the local gradient has the shape of t').toEqual([1, 7])
    const expected = [1, 0.19, 0.19, 0.0199, 0.0199, 0, 0]
    expected.forEach((e, j) => {
      expect(
        g.data[j],
        `tanh's local gradient at t = ${t.data[j]} must be 1 - t² = ${e} (it is 1 - t², not 1 - t; and t is tanh's output already, so do not apply tanh again)`,
      ).toBeCloseTo(e, 12)
    })
  })
  it('law: (1 - t²) × the upstream gradient matches central differences through tanh', () => {
    fc.assert(
      fc.property(F.tensorOf([4, 3], 3), F.tensorOf([4, 3]), (x, g) => {
        const error = F.maxVjpError(
          ([a]) => F.tanh(a),
          ([a], gg) => [F.mul(tanhLocalGradient(F.tanh(a)), gg)],
          [x],
          g,
        )
        expect(
          error,
          "the gradient through tanh, (1 - t²) · upstream, disagrees with central differences: it is 1 - t², not 1 - t; and t is tanh's output already, so do not apply tanh again",
        ).toBeLessThan(1e-6)
      }),
      F.runs(30),
    )
  })
  it('law: it lies in [0, 1], is 1 at t = 0 and does not grow as |t| grows: a gradient passing through tanh can only shrink', () => {
    fc.assert(
      fc.property(fc.array(F.uniformValue(1), { minLength: 1, maxLength: 20 }), (drawn) => {
        const ts = [0, ...drawn]
        const g = tanhLocalGradient(F.matrix([ts]))
        g.data.forEach((v, j) =>
          expect(v, `local gradient at t = ${ts[j]} must be in [0, 1]`).toBeGreaterThanOrEqual(0),
        )
        g.data.forEach((v, j) => expect(v, `local gradient at t = ${ts[j]} must be in [0, 1]`).toBeLessThanOrEqual(1))
        expect(
          g.data[0],
          'the local gradient at t = 0 must be 1: tanh has slope 1 at 0, so a unit at 0 passes all of its gradient',
        ).toBeCloseTo(1, 12)
        // every pair: the entry farther from 0 may not pass more than the nearer one (up to rounding)
        for (let near = 0; near < ts.length; near++) {
          for (let far = 0; far < ts.length; far++) {
            if (Math.abs(ts[far]) <= Math.abs(ts[near]) || g.data[far] <= g.data[near] + 1e-12) continue
            expect(
              g.data[far],
              `the local gradient at t = ${ts[far]} (${g.data[far]}) must not exceed the one at t = ${ts[near]} (${g.data[near]}), nearer 0: ` +
                'the farther t is from 0, the more the valve closes',
            ).toBeLessThanOrEqual(g.data[near] + 1e-12)
          }
        }
      }),
      F.runs(50),
    )
  })
  it('leaves t unchanged', () => {
    const t = F.matrix([[0.5, -0.5]])
    tanhLocalGradient(t)
    expect(Array.from(t.data), 'tanhLocalGradient must return a new tensor, not write into t').toEqual([0.5, -0.5])
  })
})

describe('2. saturation', () => {
  it('counts both ends, over every activation: 2 of the 6 in [[0.995, -0.995, 0.5], [0.5, 0, 0.2]] are beyond ±0.99', () => {
    const h = F.matrix([
      [0.995, -0.995, 0.5],
      [0.5, 0, 0.2],
    ])
    const got = saturationFraction(h, 0.99)
    expect(got, F.saturationSlip(h, 0.99, got)).toBeCloseTo(2 / 6, 12)
  })
  it('is a share of all activations (every example, every unit), strictly beyond the threshold', () => {
    const h = F.matrix([
      [0.99, 0.98, 1],
      [-1, 0, 0.2],
    ])
    const got = saturationFraction(h, 0.99)
    expect(got, F.saturationSlip(h, 0.99, got)).toBeCloseTo(2 / 6, 12)
    expect(saturationFraction(F.matrix([[0.98, 0.2]])), 'the default threshold is 0.99').toBe(0)
    const wide = F.matrix([[0.995, 0.5, 0.5, 0.5]])
    const one = saturationFraction(wide, 0.99)
    expect(one, F.saturationSlip(wide, 0.99, one)).toBeCloseTo(1 / 4, 12)
  })
  it('law: it lies in [0, 1] and does not grow when the threshold rises', () => {
    const threshold = F.uniformValue(0.5).map((v) => 0.5 + v)
    fc.assert(
      fc.property(F.tensorOf([6, 5], 1), threshold, threshold, (h, a, b) => {
        const lo = saturationFraction(h, Math.min(a, b)),
          hi = saturationFraction(h, Math.max(a, b))
        expect(lo, 'a share is between 0 and 1').toBeGreaterThanOrEqual(0)
        expect(lo, 'a share is between 0 and 1').toBeLessThanOrEqual(1)
        expect(hi, 'a higher threshold cannot find more saturated units').toBeLessThanOrEqual(lo)
      }),
      F.runs(50),
    )
  })
  it('the naive net (W1 and b1 drawn as randn × 1) starts with most of its hidden activations at ±1', () => {
    const model = F.evalRng(F.initModel(F.lectureMlp(naive)), 1)
    const batch = F.batchOf(256, 11)
    const layers = F.trainingPass(model, batch.X, batch.Y).trace.layers
    const share = saturationFraction(layers[2].out, 0.99)
    expect(
      share,
      `pre-activations emb @ W1 + b1 have a std of about √(30 + 1) ≈ 5.6 (√30 ≈ 5.5 from emb @ W1, plus b1's variance of 1; ` +
        `${F.stdAll(layers[1].out).toFixed(2)} in this batch), so most |h| should exceed 0.99; got ${(100 * share).toFixed(1)} %`,
    ).toBeGreaterThan(0.5)
  })
})

describe('3. dead units', () => {
  it('a unit is dead only if it is saturated for every example in the batch', () => {
    const h = F.matrix([
      [0.999, 0.5, -0.999, 0.995],
      [0.999, 0.999, -0.995, -0.999],
    ])
    expect(
      deadUnits(h, 0.99),
      'units 0, 2 and 3 are saturated for every example (at either end); unit 1 only for one, so it still learns from the other: a unit is dead only if it is saturated for every example in the batch',
    ).toEqual([0, 2, 3])
  })
  it('a unit whose mean |t| is beyond 0.99 is still alive when one example is not: every example, not the average', () => {
    // unit 0: |t| averages 0.99175 > 0.99, but its last example is 0.97; unit 1 is beyond 0.99 for every
    // example; unit 2 for one example, unit 3 for three of the four
    const h = F.matrix([
      [0.999, 0.995, 0.999, 0.999],
      [-0.999, 0.995, 0.5, -0.999],
      [0.999, -0.995, 0.5, 0.999],
      [0.97, 0.995, 0.5, 0.5],
    ])
    const got = deadUnits(h, 0.99)
    expect(got, F.deadUnitsSlip(h, 0.99, got)).toEqual([1])
  })
  it('looks at units (columns), not examples (rows), and lists them in order', () => {
    const h = F.matrix([
      [0.999, 0.999, 0.999],
      [0.1, 0.999, 0.2],
      [0.3, 0.999, 0.1],
    ])
    expect(
      deadUnits(h),
      'only unit 1 (the middle column) is saturated for all 3 examples; example 0 (the first row) is not a unit',
    ).toEqual([1])
    expect(deadUnits(F.matrix([[0.5, 0.2]])), 'no unit saturated: no dead units').toEqual([])
  })
  it('strictly beyond the threshold, as saturationFraction counts: a unit at exactly ±0.99 for every example is not dead', () => {
    const h = F.matrix([
      [0.99, 0.999, -0.99],
      [-0.99, 0.995, 0.99],
    ])
    const got = deadUnits(h, 0.99)
    expect(
      got,
      `${F.deadUnitsSlip(h, 0.99, got)}; units 0 and 2 sit exactly at |t| = 0.99, which is not beyond 0.99 (|t| > threshold, not >=)`,
    ).toEqual([1])
  })
  it('lists only units that exist (0 to units − 1), even for a batch of no examples', () => {
    for (const h of [F.matrix([[0.999, 0.999, 0.999]]), { shape: [0, 3], data: new Float64Array(0) }]) {
      const got = deadUnits(h)
      expect(
        got.every((j) => Number.isInteger(j) && j >= 0 && j < 3),
        `deadUnits of a [${h.shape.join(', ')}] batch gave units ${JSON.stringify(got)}: it has 3 units, 0 to 2 (does a loop run to j <= units?)`,
      ).toBe(true)
    }
  })
  it('a dead tanh unit gets no gradient: forced to +1 by a bias of 50, its column of dW1 is zero', () => {
    const specs: F.LayerSpec[] = [
      F.embedding(27, 10, 3),
      F.linear(30, 20, { weightInit: F.kaiming('tanh') }),
      F.tanhLayer(),
      F.linear(20, 27, { weightInit: F.scaledNormal(0.1) }),
    ]
    const model = F.withEntry(F.evalRng(F.initModel(specs), 2), 'linear1.bias', 0, 50)
    const batch = F.batchOf(32, 12)
    const pass = F.trainingPass(model, batch.X, batch.Y)
    const h = pass.trace.layers[2].out
    expect(deadUnits(h), 'unit 0 outputs tanh(50 + ...) = 1 for every example: it is dead').toContain(0)
    expect(
      F.column(tanhLocalGradient(h), 0).every((v) => v === 0),
      'its local gradient 1 - t² is 0 for every example',
    ).toBe(true)
    expect(
      F.column(pass.trace.paramGrads['linear1.weight'], 0).every((v) => v === 0),
      'so the weights feeding a dead unit receive no gradient at all',
    ).toBe(true)
  })
})

describe('4. ReLU: the dead neuron', () => {
  it("ReLU's local gradient is 1 where the pre-activation is positive and 0 where it is not", () => {
    expect(
      Array.from(reluLocalGradient(F.matrix([[-2, -0.001, 0, 0.001, 3]])).data),
      'ReLU passes the gradient where x > 0 and stops it where x <= 0',
    ).toEqual([0, 0, 0, 1, 1])
  })
  it('law: its local gradient × the upstream gradient matches central differences through ReLU (away from the kink at 0)', () => {
    const awayFromZero = F.tensorOf([3, 4], 2).filter((t) => t.data.every((v) => Math.abs(v) > 1e-3))
    fc.assert(
      fc.property(awayFromZero, F.tensorOf([3, 4]), (x, g) => {
        const error = F.maxVjpError(
          ([a]) => F.relu(a),
          ([a], gg) => [F.mul(reluLocalGradient(a), gg)],
          [x],
          g,
        )
        expect(
          error,
          'the gradient through ReLU disagrees with central differences: it is 1 where x > 0 and 0 elsewhere',
        ).toBeLessThan(1e-6)
      }),
      F.runs(30),
    )
  })
  it('a ReLU unit is dead when its pre-activation is <= 0 for every example', () => {
    const preact = F.matrix([
      [-1, 2, -0.5, 0],
      [-3, -1, 0.5, -2],
    ])
    expect(
      deadReluUnits(preact),
      'units 0 and 3 never see a positive pre-activation (unit 3 sees exactly 0, and 0 counts as dead: ReLU passes no gradient where x <= 0); ' +
        'units 1 and 2 do for one example each, and that is enough to learn',
    ).toEqual([0, 3])
  })
  it('a dead ReLU unit never comes back: 50 SGD steps later it is still dead and its weights have not moved', () => {
    const specs: F.LayerSpec[] = [
      F.embedding(27, 10, 3),
      F.linear(30, 20, { weightInit: F.kaiming('relu') }),
      F.reluLayer(),
      F.linear(20, 27, { weightInit: F.scaledNormal(0.1) }),
    ]
    const start = F.withEntry(F.evalRng(F.initModel(specs), 3), 'linear1.bias', 0, -100)
    const batch = F.batchOf(64, 13)
    const preactOf = (m: F.Model) => F.trainingPass(m, batch.X, batch.Y).trace.layers[1].out
    expect(
      deadReluUnits(preactOf(start)),
      'a bias of -100 makes unit 0 negative for every example: dead from the start',
    ).toContain(0)
    let state = { model: start, step: 0 }
    for (let i = 0; i < 50; i++) state = F.sgdStep(state, F.batchOf(32, 1000 + i), 0.1).state
    expect(
      deadReluUnits(preactOf(state.model)),
      'after 50 steps of SGD unit 0 is still dead: its gradient is zero, so nothing moves it',
    ).toContain(0)
    expect(F.column(state.model.params['linear1.weight'], 0), 'the weights into a dead ReLU unit never change').toEqual(
      F.column(start.params['linear1.weight'], 0),
    )
  })
})

describe('5. the fix: a smaller hidden layer', () => {
  it('fixHiddenLayer changes only the hidden layer: the output fix of kata 01 (W2 × 0.01, b2 = 0) stays', () => {
    const fixed = fixHiddenLayer(outputFixed)
    expect({ w2: fixed.w2, b2: fixed.b2 }, 'fixHiddenLayer must keep w2 and b2 as they were').toEqual({
      w2: 0.01,
      b2: 0,
    })
    expect(fixed.w1, 'W1 must be scaled down from randn × 1').toBeLessThan(1)
  })
  it('after the fix, fewer than 5 % of the hidden activations are saturated (|h| > 0.99)', () => {
    const fixed = fixHiddenLayer(outputFixed)
    for (const seed of [1, 2, 3]) {
      const h = F.hiddenOf(F.evalRng(F.initModel(F.lectureMlp(fixed)), seed), F.batchOf(256, 20 + seed))
      let saturated = 0
      for (const v of h.data) if (Math.abs(v) > 0.99) saturated += 1
      const share = saturated / h.data.length
      expect(
        share,
        `seed ${seed}: ${(100 * share).toFixed(1)} % of |h| exceed 0.99 with W1 × ${fixed.w1}, b1 × ${fixed.b1}. ${F.hiddenLayerAdvice(fixed)}`,
      ).toBeLessThan(0.05)
    }
  })
  it('after the fix, the units still respond: the std of h is at least 0.2 (a scale of 0 would silence them)', () => {
    const fixed = fixHiddenLayer(outputFixed)
    const h = F.hiddenOf(F.evalRng(F.initModel(F.lectureMlp(fixed)), 4), F.batchOf(256, 30))
    expect(
      F.stdAll(h),
      `std of h is ${F.stdAll(h).toFixed(3)} with W1 × ${fixed.w1}, b1 × ${fixed.b1}: too small a scale leaves every unit near 0 and the layer whispers`,
    ).toBeGreaterThanOrEqual(0.2)
  })
})

describe('6. the reference laws: every function agrees with the reference answer on inputs of every shape, sign and size', () => {
  // tanh's outputs: anywhere in [-1, 1], with the ends, zeros and the lecture's lines (0.97, 0.99) drawn often
  const activation = fc.oneof(
    { weight: 3, arbitrary: fc.double({ min: -1, max: 1, noNaN: true }) },
    { weight: 2, arbitrary: fc.constantFrom(-1, 1, 0, -0, 0.99, -0.99, 0.97, -0.97, 0.995, -0.999) },
    { weight: 2, arbitrary: fc.double({ min: 0.95, max: 1, noNaN: true }).chain((v) => fc.constantFrom(v, -v)) },
  )
  const saturated = fc.double({ min: 0.99, max: 1, noNaN: true }).chain((v) => fc.constantFrom(v, -v))
  const nonPositive = fc.oneof(
    L.anyValue().map((v) => -Math.abs(v)),
    fc.constantFrom(0, -0),
  )
  /** [N, units] with each column drawn whole from `kinds` (so that columns dead for every row are drawn too). */
  const columnsOf = (...kinds: fc.Arbitrary<number>[]) =>
    fc
      .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 7 }))
      .chain(([n, units]) =>
        fc.array(fc.oneof(...kinds.map((k) => fc.array(k, { minLength: n, maxLength: n }))), {
          minLength: units,
          maxLength: units,
        }),
      )
      .map((cols) => {
        const n = cols[0].length,
          units = cols.length
        return {
          shape: [n, units],
          data: Float64Array.from({ length: n * units }, (_, k) => cols[k % units][Math.floor(k / units)]),
        }
      })
  const activations = columnsOf(activation, saturated)
  // a threshold anywhere in [0, 1], the default (left out), the lecture's, or exactly one of h's |t| (a tie)
  const withThreshold = activations.chain((h) =>
    fc.tuple(
      fc.constant(h),
      fc.oneof(
        fc.constant(undefined),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(0, 1, 0.99, 0.97),
        fc.constantFrom(...Array.from(h.data, Math.abs)),
      ),
    ),
  )
  const preacts = columnsOf(L.anyValue(), nonPositive)
  const scales = fc.record({ w1: fc.constant(1), b1: fc.constant(1), w2: L.anyValue(3), b2: L.anyValue(3) })
  const laws = [
    R.law('tanhLocalGradient', tanhLocalGradient, reference.tanhLocalGradient, fc.tuple(columnsOf(activation)), ['t']),
    R.law('saturationFraction', saturationFraction, reference.saturationFraction, withThreshold, ['h', 'threshold']),
    R.law('deadUnits', deadUnits, reference.deadUnits, withThreshold, ['h', 'threshold']),
    R.law('reluLocalGradient', reluLocalGradient, reference.reluLocalGradient, fc.tuple(preacts), ['preact']),
    R.law('deadReluUnits', deadReluUnits, reference.deadReluUnits, fc.tuple(preacts), ['preact']),
    // the checks pass in the naive hidden layer, so w1 and b1 are 1 (`w1: 0.2` and `w1: scales.w1 * 0.2` are both right)
    R.law('fixHiddenLayer', fixHiddenLayer, reference.fixHiddenLayer, fc.tuple(scales), ['scales']),
  ]
  R.describeLaws(laws, it)
})

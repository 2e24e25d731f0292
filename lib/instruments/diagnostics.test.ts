import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import {
  SATURATION,
  deadUnits,
  deadUnitsByLayer,
  defaultThresholds,
  diagnose,
  diagnoseRun,
  findingKinds,
  histogram,
  layerStats,
  learningRateWindow,
  median,
  movingAverage,
  saturationFraction,
  saturationMap,
  summarizeUpdateToData,
  symmetricRange,
  updateToDataAt,
  updateToDataWindow,
  verdict,
  weightGradStats,
  type DiagnoseInput,
} from './diagnostics.ts'
import {
  embedding,
  initModel,
  linear,
  reluLayer,
  tanhLayer,
  trainingPass,
  type LayerSpec,
  type Model,
} from '../model/nn.ts'
import { constant, gains, kaiming, scaledNormal, standardNormal } from '../model/init.ts'
import { evalRng, randint, seedRng } from '../engine/random.ts'
import { stdAll } from '../engine/ops.ts'
import { gradToDataRatio, learningRate, lectureSchedule, updateToDataRatio } from '../model/train.ts'
import { findExperiment, prepareCorpus, runExperiment } from '../model/experiments.ts'
import { readNamesFile } from '../model/data.ts'
import { uniformValue } from '../engine/arbitraries.ts'
import type { Tensor } from '../engine/tensor.ts'

const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 })
const finite = uniformValue(5)
const anyValue = fc.oneof(
  { weight: 8, arbitrary: finite },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity) },
)
const binsArb = fc
  .record({
    bins: fc.integer({ min: 1, max: 40 }),
    min: fc.integer({ min: -4, max: 0 }).map((x) => x - 0.5),
    span: fc.integer({ min: 1, max: 8 }),
  })
  .map(({ bins, min, span }) => ({ bins, min, max: min + span }))
const sum = (a: ArrayLike<number>): number => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]
  return s
}
const matrixOf = (rows: number, cols: number, values: readonly number[]): Tensor => ({
  shape: [rows, cols],
  data: Float64Array.from(values),
})

// ---------------------------------------------------------------------------------------------

describe('histogram', () => {
  it('counts sum to the number of finite values; NaN and ±Infinity are counted apart in nonFinite', () => {
    fc.assert(
      fc.property(fc.array(anyValue, { maxLength: 200 }), binsArb, (xs, spec) => {
        const h = histogram(xs, spec)
        const finiteCount = xs.filter(Number.isFinite).length
        expect(sum(h.counts)).toBe(finiteCount)
        expect(h.total).toBe(finiteCount)
        expect(h.nonFinite).toBe(xs.length - finiteCount)
        expect(h.counts.every((c) => Number.isInteger(c) && c >= 0)).toBe(true)
      }),
    )
  })

  it('a value in [min, max] lands in the bin whose edges hold it (the last bin also holds max)', () => {
    fc.assert(
      fc.property(binsArb, fc.double({ min: 0, max: 1, noNaN: true }), (spec, u) => {
        const x = Math.min(spec.max, spec.min + u * (spec.max - spec.min))
        const h = histogram([x], spec)
        const b = h.counts.indexOf(1)
        expect(h.edges[b]).toBeLessThanOrEqual(x)
        if (b < spec.bins - 1) expect(x).toBeLessThan(h.edges[b + 1])
        else expect(x).toBeLessThanOrEqual(spec.max)
      }),
    )
  })

  it('values outside [min, max] are clamped into the edge bins and counted in below and above', () => {
    fc.assert(
      fc.property(
        binsArb,
        fc.array(fc.double({ min: 0.001, max: 1e6, noNaN: true }), { maxLength: 20 }),
        fc.array(fc.double({ min: 0.001, max: 1e6, noNaN: true }), { maxLength: 20 }),
        (spec, lo, hi) => {
          const h = histogram([...lo.map((d) => spec.min - d), ...hi.map((d) => spec.max + d)], spec)
          expect(h.below).toBe(lo.length)
          expect(h.above).toBe(hi.length)
          if (spec.bins === 1) expect(h.counts[0]).toBe(lo.length + hi.length)
          else {
            expect(h.counts[0]).toBe(lo.length)
            expect(h.counts[spec.bins - 1]).toBe(hi.length)
          }
        },
      ),
    )
  })

  it('edges run from min to max in equal steps and the density integrates to 1', () => {
    fc.assert(
      fc.property(fc.array(finite, { minLength: 1, maxLength: 200 }), binsArb, (xs, spec) => {
        const h = histogram(xs, spec)
        const width = (spec.max - spec.min) / spec.bins
        expect(h.edges.length).toBe(spec.bins + 1)
        expect(h.edges[0]).toBe(spec.min)
        expect(h.edges[spec.bins]).toBe(spec.max)
        for (let i = 0; i < spec.bins; i++) expect(h.edges[i + 1] - h.edges[i]).toBeCloseTo(width, 9)
        expect(sum(h.density) * width).toBeCloseTo(1, 9)
      }),
    )
  })

  it('refuses bins that are not a positive integer and a range that is empty or not finite', () => {
    expect(() => histogram([1], { bins: 0, min: 0, max: 1 })).toThrow('bins must be a positive integer')
    expect(() => histogram([1], { bins: 2, min: 1, max: 1 })).toThrow('needs finite min < max')
    expect(() => histogram([1], { bins: 2, min: 0, max: Infinity })).toThrow('needs finite min < max')
  })

  it('symmetricRange holds every finite value of every array, and is [-1, 1] for all zeros', () => {
    fc.assert(
      fc.property(fc.array(fc.array(anyValue, { maxLength: 30 }), { maxLength: 4 }), (arrays) => {
        const { min, max } = symmetricRange(arrays)
        expect(min).toBe(-max)
        expect(max).toBeGreaterThan(0)
        for (const a of arrays) for (const x of a) if (Number.isFinite(x)) expect(Math.abs(x)).toBeLessThanOrEqual(max)
      }),
    )
    expect(symmetricRange([[0, 0], []])).toEqual({ min: -1, max: 1 })
  })
})

describe('layer statistics', () => {
  it('saturationFraction lies in [0, 1] and never grows as the threshold rises', () => {
    fc.assert(
      fc.property(
        fc.array(uniformValue(1), { maxLength: 100 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (xs, a, b) => {
          const [lo, hi] = a < b ? [a, b] : [b, a]
          const fLo = saturationFraction(xs, lo),
            fHi = saturationFraction(xs, hi)
          expect(fLo).toBeGreaterThanOrEqual(0)
          expect(fLo).toBeLessThanOrEqual(1)
          expect(fHi).toBeLessThanOrEqual(fLo)
        },
      ),
    )
    // the lecture's (t.abs() > 0.97).float().mean()
    expect(saturationFraction([0.98, -0.99, 0.5, -0.97], 0.97)).toBe(0.5)
  })

  it('layerStats reports each layer with its kind; saturation for tanh is |t| > threshold, for ReLU the share of zeros', () => {
    const model = evalRng(
      initModel([
        embedding(5, 2, 3),
        linear(6, 8, { weightInit: standardNormal }),
        tanhLayer(),
        linear(8, 8),
        reluLayer(),
        linear(8, 5),
      ]),
      3,
    )
    const [x] = randint(0, 5, 30)(seedRng(4))
    const trace = trainingPass(
      model,
      x,
      Int32Array.from({ length: 10 }, (_, i) => i % 5),
    ).trace
    const stats = layerStats(trace, 0.9)
    expect(stats.map((s) => s.kind)).toEqual(['embedding', 'linear', 'tanh', 'linear', 'relu', 'linear'])
    expect(stats[2].saturated).toBe(saturationFraction(trace.layers[2].out.data, 0.9))
    expect(stats[4].saturated).toBe(Array.from(trace.layers[4].out.data).filter((v) => v === 0).length / 80)
    expect(stats[1].saturated).toBe(0)
    expect(stats[2].std).toBeCloseTo(stdAll(trace.layers[2].out), 12)
  })
})

describe('dead units and the saturation map', () => {
  const matrixArb = fc
    .record({ rows: fc.integer({ min: 1, max: 8 }), cols: fc.integer({ min: 1, max: 8 }) })
    .chain(({ rows, cols }) =>
      fc.record({
        rows: fc.constant(rows),
        cols: fc.constant(cols),
        values: fc.array(uniformValue(1), { minLength: rows * cols, maxLength: rows * cols }),
        // columns forced to saturation (±1) or to ReLU's 0 so that dead units occur
        forced: fc.array(fc.constantFrom('none', 'one', 'zero'), { minLength: cols, maxLength: cols }),
      }),
    )

  it('a unit is dead exactly when every example is beyond the threshold (tanh) or zero (ReLU)', () => {
    fc.assert(
      fc.property(matrixArb, ({ rows, cols, values, forced }) => {
        const data = [...values]
        forced.forEach((f, j) => {
          if (f !== 'none') for (let i = 0; i < rows; i++) data[i * cols + j] = f === 'zero' ? 0 : i % 2 === 0 ? 1 : -1
        })
        const t = matrixOf(rows, cols, data)
        const column = (j: number) => Array.from({ length: rows }, (_, i) => data[i * cols + j])
        const range = Array.from({ length: cols }, (_, j) => j)
        expect(deadUnits(t, 'tanh', 0.99)).toEqual(range.filter((j) => column(j).every((v) => Math.abs(v) > 0.99)))
        expect(deadUnits(t, 'relu')).toEqual(range.filter((j) => column(j).every((v) => v === 0)))
        forced.forEach((f, j) => {
          if (f === 'one') expect(deadUnits(t, 'tanh')).toContain(j)
          if (f === 'zero') expect(deadUnits(t, 'relu')).toContain(j)
        })
      }),
    )
  })

  it('the saturation map has one row per example, one column per unit, and a 1 exactly where |h| > threshold', () => {
    fc.assert(
      fc.property(
        matrixArb,
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 8 }),
        ({ rows, cols, values }, maxEx, maxUnits) => {
          const t = matrixOf(rows, cols, values)
          const map = saturationMap(t, 0.5, maxEx, maxUnits)
          expect(map.examples).toBe(Math.min(rows, maxEx))
          expect(map.units).toBe(Math.min(cols, maxUnits))
          for (let i = 0; i < map.examples; i++)
            for (let j = 0; j < map.units; j++) {
              expect(map.saturated[i * map.units + j]).toBe(Math.abs(values[i * cols + j]) > 0.5 ? 1 : 0)
            }
          // a dead unit is a column of 1s when every example is on the map
          if (map.examples === rows)
            for (const j of deadUnits(t, 'tanh', 0.5))
              if (j < map.units) {
                for (let i = 0; i < rows; i++) expect(map.saturated[i * map.units + j]).toBe(1)
              }
        },
      ),
    )
  })
})

describe('weights: grad:data and update:data', () => {
  const model = evalRng(
    initModel([
      embedding(6, 3, 3),
      linear(9, 12, { weightInit: kaiming('tanh') }),
      tanhLayer(),
      linear(12, 6, { weightInit: scaledNormal(0.1) }),
    ]),
    11,
  )
  const [x] = randint(0, 6, 24)(seedRng(12))
  const trace = trainingPass(model, x, Int32Array.from([0, 1, 2, 3, 4, 5, 0, 1])).trace

  it('grad:data covers exactly the 2-D parameters and equals train.ts gradToDataRatio', () => {
    const stats = weightGradStats(trace.paramGrads, model.params)
    expect(stats.map((s) => s.name)).toEqual(['embedding.weight', 'linear1.weight', 'linear2.weight'])
    for (const s of stats) expect(s.gradToData).toBe(gradToDataRatio(trace.paramGrads[s.name], model.params[s.name]))
  })

  it('one-step update:data covers the Linear weights and equals train.ts updateToDataRatio for any learning rate', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 10, noNaN: true }), (lr) => {
        const r = updateToDataAt(trace.paramGrads, model.params, lr)
        expect(r.map((s) => s.name)).toEqual(['linear1.weight', 'linear2.weight'])
        for (const s of r)
          expect(s.medianLog10).toBe(updateToDataRatio(lr, trace.paramGrads[s.name], model.params[s.name]))
      }),
    )
  })

  it('median: at least half the values are at most it and at least half at least it', () => {
    fc.assert(
      fc.property(fc.array(finite, { minLength: 1, maxLength: 50 }), (xs) => {
        const m = median(xs)
        expect(xs.filter((v) => v <= m).length * 2).toBeGreaterThanOrEqual(xs.length)
        expect(xs.filter((v) => v >= m).length * 2).toBeGreaterThanOrEqual(xs.length)
      }),
    )
    expect(median([])).toBeNaN()
  })

  it("a window of a History cuts every weight's series alike and its summary is each series' median", () => {
    const history = {
      weights: ['a', 'b'],
      updateToData: [Float64Array.from([0, -1, -2, -3, -4]), Float64Array.from([-5, -6, -7, -8, -9])],
    }
    const w = updateToDataWindow(history, 1, 4)
    expect(w.firstStep).toBe(1)
    expect(summarizeUpdateToData(w)).toEqual([
      { name: 'a', medianLog10: -2, steps: 3 },
      { name: 'b', medianLog10: -7, steps: 3 },
    ])
  })

  it('learningRateWindow: the steps at the first learning rate, after the first tenth', () => {
    const lectureLr = (steps: number) =>
      Float64Array.from({ length: steps }, (_, i) => learningRate(lectureSchedule(steps), i))
    expect(learningRateWindow(lectureLr(1000))).toEqual({ from: 50, to: 500 })
    expect(learningRateWindow(new Float64Array(40).fill(0.1))).toEqual({ from: 4, to: 40 })
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), (steps) => {
        const { from, to } = learningRateWindow(lectureLr(steps))
        expect(0 <= from && from < to && to <= steps).toBe(true)
      }),
    )
  })

  it('moving average: window 1 is the identity, a constant stays constant, the last value is the mean of the last w', () => {
    fc.assert(
      fc.property(fc.array(finite, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 20 }), (xs, w) => {
        expect(Array.from(movingAverage(xs, 1))).toEqual(xs)
        const tail = xs.slice(-w)
        expect(movingAverage(xs, w)[xs.length - 1]).toBeCloseTo(sum(tail) / tail.length, 9)
        expect(
          Array.from(
            movingAverage(
              xs.map(() => 2.5),
              w,
            ),
          ).every((v) => Math.abs(v - 2.5) < 1e-12),
        ).toBe(true)
      }),
    )
  })
})

// ---------------------------------------------------------------------------------------------
// diagnose: each finding provoked by a small seeded network

const V = 27
const batchFor = (s: number, size = 32) => {
  const [x, s1] = randint(0, V, size * 3)(seedRng(s))
  const [y] = randint(0, V, size)(s1)
  return { x, y }
}

/** Trace, parameters and learning rate of one training pass of a network at initialisation. */
const inspect = (specs: readonly LayerSpec[], s: number, lr = 0.1): DiagnoseInput & { model: Model } => {
  const model = evalRng(initModel(specs), s)
  const { x, y } = batchFor(s + 1)
  const { trace } = trainingPass(model, x, y)
  return { vocabSize: V, trace, params: model.params, lr, model }
}

/** A deep stack: embedding, `depth` x (Linear with Kaiming `gain` + activation), a last Linear scaled by 0.1. */
const deepStack = (gain: number, act: 'tanh' | 'relu', depth = 5, width = 64): LayerSpec[] => [
  embedding(V, 10, 3, standardNormal),
  ...Array.from({ length: depth }, (_, i): LayerSpec[] => [
    linear(i === 0 ? 30 : width, width, { weightInit: kaiming(gain) }),
    act === 'tanh' ? tanhLayer() : reluLayer(),
  ]).flat(),
  linear(width, V, { weightInit: kaiming(0.1) }),
]

/** The lecture's MLP with the given scales for W1, b1, W2, b2. */
const mlp = (w1: number, b1: number, w2: number, b2: number): LayerSpec[] => [
  embedding(V, 10, 3, standardNormal),
  linear(30, 200, { weightInit: scaledNormal(w1), biasInit: scaledNormal(b1) }),
  tanhLayer(),
  linear(200, V, { weightInit: scaledNormal(w2), biasInit: b2 === 0 ? constant(0) : scaledNormal(b2) }),
]

const kinds = (input: DiagnoseInput) => verdict(diagnose(input))

describe('diagnose', () => {
  it('a healthy network has no findings: a Kaiming (gain 5/3) deep tanh net at learning rate 0.1, for any seed', () => {
    fc.assert(
      fc.property(seed, (s) => {
        expect(diagnose(inspect(deepStack(gains.tanh, 'tanh'), s))).toEqual([])
      }),
      { numRuns: 6 },
    )
    expect(diagnose(inspect(mlp(0.2, 0.01, 0.01, 0), 5))).toEqual([])
  })

  it('confidently-wrong: output weights and bias drawn from a standard normal give an initial loss above ln V + 1', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const input = inspect(mlp(0.2, 0.01, 1, 1), s)
        const f = diagnose(input).find((x) => x.kind === 'confidently-wrong')
        expect(f?.evidence).toEqual({
          measure: 'initial loss',
          value: input.trace.loss,
          threshold: Math.log(V) + 1,
          comparison: '>',
        })
        expect(f?.fix).toMatch(/b2 to zero.*W2/)
      }),
      { numRuns: 4 },
    )
    // the given initial loss wins over the trace's, so a trace from later in training is judged by its first loss
    const healthy = inspect(mlp(0.2, 0.01, 0.01, 0), 1)
    expect(kinds({ ...healthy, initialLoss: 27 })).toContain('confidently-wrong')
    expect(kinds({ ...inspect(mlp(0.2, 0.01, 1, 1), 1), initialLoss: 3.3 })).not.toContain('confidently-wrong')
  })

  it('saturated: W1 and b1 drawn from a standard normal push most tanh outputs beyond 0.97', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const input = inspect(mlp(1, 1, 0.01, 0), s)
        const f = diagnose(input).filter((x) => x.kind === 'saturated')
        expect(f.map((x) => x.where)).toEqual(['tanh1'])
        expect(f[0].evidence.value).toBe(saturationFraction(input.trace.layers[2].out.data, SATURATION.panel))
        expect(f[0].evidence.value).toBeGreaterThan(defaultThresholds.saturatedShare)
      }),
      { numRuns: 4 },
    )
  })

  it('dead-units: a tanh layer fed a bias of +10 and a ReLU layer fed a bias of -10 are dead for every example', () => {
    const tanhDead = inspect(
      [
        embedding(V, 10, 3),
        linear(30, 50, { weightInit: kaiming(1), biasInit: constant(10) }),
        tanhLayer(),
        linear(50, V, { weightInit: scaledNormal(0.01) }),
      ],
      3,
    )
    const reluDead = inspect(
      [
        embedding(V, 10, 3),
        linear(30, 50, { weightInit: kaiming(1), biasInit: constant(-10) }),
        reluLayer(),
        linear(50, V, { weightInit: scaledNormal(0.01) }),
      ],
      3,
    )
    for (const input of [tanhDead, reluDead]) {
      const f = diagnose(input).find((x) => x.kind === 'dead-units')
      expect(f?.where).toMatch(/^(tanh|relu)1$/)
      expect(f?.evidence.value).toBe(1)
      expect(deadUnitsByLayer(input.trace)[0].units.length).toBe(50)
    }
    expect(diagnose(reluDead).find((x) => x.kind === 'dead-units')?.fix).toMatch(/never recovers/)
  })

  it('vanishing: a deep tanh stack with gain 0.5 shrinks its activations forward and its gradients backward', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const f = diagnose(inspect(deepStack(0.5, 'tanh'), s)).filter((x) => x.kind === 'vanishing')
        expect(f.map((x) => x.where)).toEqual(['activations', 'gradients'])
        for (const x of f) expect(x.evidence.value).toBeLessThan(defaultThresholds.shrink)
      }),
      { numRuns: 4 },
    )
  })

  it('exploding: a deep ReLU stack with gain 3 grows its activations forward and its gradients backward', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const f = diagnose(inspect(deepStack(3, 'relu'), s)).filter((x) => x.kind === 'exploding')
        expect(f.map((x) => x.where)).toEqual(['activations', 'gradients'])
        for (const x of f) expect(x.evidence.value).toBeGreaterThan(defaultThresholds.grow)
      }),
      { numRuns: 4 },
    )
  })

  it('lr-too-high and lr-too-low: the same healthy net stepped at learning rate 10 or 1e-3 instead of 0.1', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const input = inspect(deepStack(gains.tanh, 'tanh'), s)
        expect(kinds({ ...input, lr: 10 })).toEqual(['lr-too-high'])
        expect(kinds({ ...input, lr: 1e-3 })).toEqual(['lr-too-low'])
        expect(kinds({ ...input, lr: 0.1 })).toEqual([])
      }),
      { numRuns: 4 },
    )
  })

  it('lr findings read a series of update:data ratios when given one, and leave the output layer out', () => {
    const input = inspect(deepStack(gains.tanh, 'tanh', 3), 2)
    const series = (values: number[]) => ({
      weights: values.map((_, i) => `linear${i + 1}.weight`),
      log10: values.map((v) => Float64Array.from([v, v + 0.1, v - 0.1])),
    })
    const high = diagnose({ ...input, updateToData: series([-1.5, -1.4, -1.6, -3]) })
    expect(verdict(high)).toEqual(['lr-too-high'])
    expect(high[0].evidence.value).toBeCloseTo(-1.5, 12)
    expect(high[0].message).not.toContain('linear4.weight')
    // only the output layer (linear4) is far from -3: it starts small by design, so no finding
    expect(kinds({ ...input, updateToData: series([-3, -3, -3, -0.5]) })).toEqual([])
    expect(kinds({ ...input, updateToData: series([-5, -5, -5, -3]) })).toEqual(['lr-too-low'])
  })

  it('nan: a NaN parameter is reported alone, naming the first place it shows', () => {
    const input = inspect(deepStack(gains.tanh, 'tanh', 3), 4)
    const w = input.model.params['linear2.weight']
    const broken = {
      ...input.model.params,
      'linear2.weight': { shape: w.shape, data: w.data.map((v, i) => (i === 0 ? NaN : v)) },
    }
    const { x, y } = batchFor(5)
    const trace = trainingPass({ ...input.model, params: broken }, x, y).trace
    const f = diagnose({ vocabSize: V, trace, params: broken, lr: 0.1 })
    expect(f.map((x) => x.kind)).toEqual(['nan'])
    expect(f[0].where).toBe('linear2.weight')
    expect(diagnose({ vocabSize: V, trace }).map((x) => x.where)).toEqual(['linear2 output'])
    // a run whose first loss was already NaN
    expect(diagnose({ vocabSize: V, trace: input.trace, initialLoss: NaN }).map((x) => [x.kind, x.where])).toEqual([
      ['nan', 'loss'],
    ])
  })

  it('findings come in the order of findingKinds, and verdict lists each kind found once', () => {
    fc.assert(
      fc.property(
        seed,
        fc.constantFrom(0.5, 1, 5 / 3, 3),
        fc.constantFrom<'tanh' | 'relu'>('tanh', 'relu'),
        fc.constantFrom(1e-4, 0.1, 30),
        (s, gain, act, lr) => {
          const f = diagnose(inspect(deepStack(gain, act), s, lr))
          const order = f.map((x) => findingKinds.indexOf(x.kind))
          expect(order).toEqual([...order].sort((a, b) => a - b))
          expect(verdict(f)).toEqual(findingKinds.filter((k) => f.some((x) => x.kind === k)))
          for (const x of f)
            expect(
              x.evidence.comparison === '>'
                ? x.evidence.value > x.evidence.threshold
                : x.evidence.value < x.evidence.threshold,
            ).toBe(true)
        },
      ),
      { numRuns: 12 },
    )
  })

  it("thresholds can be overridden: a saturation limit of 1% flags the lecture's fixed MLP too", () => {
    const input = inspect(mlp(0.2, 0.01, 0.01, 0), 5)
    expect(kinds(input)).toEqual([])
    expect(kinds({ ...input, thresholds: { saturatedShare: 0.001 } })).toEqual(['saturated'])
  })
})

describe("diagnoseRun: the lecture's experiments, trained briefly", () => {
  const words = readNamesFile('data/names.txt')
  if (E.isLeft(words)) throw new Error(words.left.message)
  const corpus = prepareCorpus(
    words.right.filter((_, i) => i % 32 === 0),
    42,
  )
  const run = (name: string) => {
    const ex = findExperiment(name)
    if (ex === undefined) throw new Error(name)
    return runExperiment(ex, corpus, { steps: 100, seed: 3, samples: 1 })
  }

  it('naive is confidently wrong and saturated, fix-softmax only saturated, fix-tanh and kaiming healthy', () => {
    expect(verdict(diagnoseRun(run('naive')))).toEqual(['confidently-wrong', 'saturated'])
    expect(verdict(diagnoseRun(run('fix-softmax')))).toEqual(['saturated'])
    expect(diagnoseRun(run('fix-tanh'))).toEqual([])
    const kaimingRun = run('kaiming')
    expect(diagnoseRun(kaimingRun)).toEqual([])
    // the evidence of a finding is the run's own figure
    expect(diagnoseRun(kaimingRun, { lossAboveUniform: -1 })[0].evidence.value).toBe(kaimingRun.initLoss)
  })
})

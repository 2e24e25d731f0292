import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  deadUnits,
  histogram,
  learningRateWindow,
  layerStats,
  median,
  movingAverage,
  saturationFraction,
  saturationMap,
  summarizeUpdateToData,
  symmetricRange,
  updateToDataAt,
  updateToDataWindow,
  weightGradStats,
} from './measures.ts'
import { embedding, initModel, linear, reluLayer, tanhLayer, trainingPass } from '../model/nn.ts'
import { kaiming, scaledNormal, standardNormal } from '../model/init.ts'
import { evalRng, randint, seedRng } from '../engine/random.ts'
import { stdAll } from '../engine/ops.ts'
import { gradToDataRatio, learningRate, lectureSchedule, updateToDataRatio } from '../model/train.ts'
import { uniformValue } from '../engine/arbitraries.ts'
import type { Tensor } from '../engine/tensor.ts'

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

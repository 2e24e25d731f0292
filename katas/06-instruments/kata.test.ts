import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/Either'
import {
  activationStats,
  gradientStats,
  gradToDataRatio,
  histogram,
  judgeLearningRate,
  saturationFraction,
  updateToDataRatio,
} from './kata.ts'
import { buildExamples, buildVocabulary, formatNamesError, readNamesFile, sampleBatch } from '../../lib/model/data.ts'
import { BLOCK_SIZE, findExperiment, type ExperimentName } from '../../lib/model/experiments.ts'
import { initModel, trainingPass, type Model, type Trace } from '../../lib/model/nn.ts'
import { evalRng } from '../../lib/engine/random.ts'
import { tensorOf, uniformValue } from '../../lib/engine/arbitraries.ts'
import type { Tensor } from '../../lib/engine/tensor.ts'

// ---------------------------------------------------------------------------------------------
// The lecture's networks at initialisation, one training pass each on a batch of 32 names' contexts

const words = (() => {
  const read = readNamesFile(fileURLToPath(new URL('../../data/names.txt', import.meta.url)))
  if (E.isLeft(read)) throw new Error(formatNamesError(read.left))
  return read.right
})()
const vocab = buildVocabulary(words)
const examples = buildExamples(words, vocab, BLOCK_SIZE)
const batch = evalRng(sampleBatch(examples, 32), 2)

const passes = new Map<ExperimentName, { model: Model; trace: Trace }>()
/** The model of a lecture experiment (seed 1) and the Trace of its first training pass. */
const atInit = (name: ExperimentName) => {
  let p = passes.get(name)
  if (p === undefined) {
    const model = evalRng(initModel(findExperiment(name)!.layers(vocab.size)), 1)
    p = { model, trace: trainingPass(model, batch.X, batch.Y).trace }
    passes.set(name, p)
  }
  return p
}

/** Reference moments: mean and std dividing by N. */
const moments = (xs: ArrayLike<number>) => {
  let s = 0
  for (let i = 0; i < xs.length; i++) s += xs[i]
  const mean = s / xs.length
  let ss = 0
  for (let i = 0; i < xs.length; i++) ss += (xs[i] - mean) ** 2
  return { mean, std: Math.sqrt(ss / xs.length) }
}
/** std is accepted divided by N or by N - 1: they differ by less than 1e-3 on thousands of numbers. */
const closeStd = (got: number, want: number) => Math.abs(got - want) <= 1e-3 * want + 1e-15

/**
 * What to say when the largest value missed the last bin: floor((max - min) / width) gives it
 * index `bins`, one past the end (the classic off-by-one of a histogram).
 */
const largestValueHint = (xs: readonly number[], counts: ArrayLike<number>, bins: number): string => {
  const lo = Math.min(...xs),
    hi = Math.max(...xs)
  if (lo === hi) return ''
  const atMax = xs.filter((x) => x === hi).length
  let inBins = 0
  for (let i = 0; i < Math.min(bins, counts.length); i++) inBins += counts[i]
  // an array grows a count at index `bins`; a typed array drops it, and the total falls short by the largest values
  return counts.length > bins || inBins === xs.length - atMax
    ? ` For the largest value (${hi}), floor((x - min) / width) is ${bins}, one past the last bin: cap the index at ${bins - 1}.`
    : ''
}

const values = fc.array(uniformValue(3), { minLength: 1, maxLength: 200 })
const hiddenWeights = ['linear1.weight', 'linear2.weight', 'linear3.weight', 'linear4.weight', 'linear5.weight']

// ---------------------------------------------------------------------------------------------

describe('histogram', () => {
  it('has `bins` equal bins from the smallest to the largest value, counts every value once, and its density has area 1 (law)', () => {
    fc.assert(
      fc.property(values, fc.integer({ min: 1, max: 60 }), (xs, bins) => {
        const h = histogram(xs, bins)
        const lo = Math.min(...xs),
          hi = Math.max(...xs)
        const same =
          lo === hi ? ` Every value here is ${lo}: use the range [${lo} - 1, ${lo} + 1], or the bins have width 0` : ''
        const cap = largestValueHint(xs, h.counts, bins)
        expect(h.counts.length, `one count per bin, ${bins} in all.${same}${cap}`).toBe(bins)
        expect(h.edges.length, 'bins + 1 edges').toBe(bins + 1)
        const total = h.counts.reduce((a, b) => a + b, 0)
        expect(
          total,
          `the counts add up to ${total}, not to the ${xs.length} values: every value is counted once, and the largest value belongs in the last bin.${same}${cap}`,
        ).toBe(xs.length)
        if (lo < hi) {
          expect(h.edges[0], 'the first edge is the smallest value').toBeCloseTo(lo, 12)
          expect(h.edges[bins], 'the last edge is the largest value').toBeCloseTo(hi, 12)
          const width = (hi - lo) / bins
          h.edges.forEach((e, i) => expect(e, `edge ${i}: the bins have equal width`).toBeCloseTo(lo + i * width, 9))
        }
        const area = h.density.reduce((a, d, i) => a + d * (h.edges[i + 1] - h.edges[i]), 0)
        expect(area, 'density = count / (number of values * bin width), so its area is 1').toBeCloseTo(1, 9)
      }),
      { numRuns: 100 },
    )
  })

  it('puts each value in the bin [edges[i], edges[i + 1]) that holds it (law)', () => {
    fc.assert(
      fc.property(values, fc.integer({ min: 1, max: 30 }), (xs, bins) => {
        const h = histogram(xs, bins)
        const lo = h.edges[0],
          hi = h.edges[bins],
          width = (hi - lo) / bins
        const want = new Array<number>(bins).fill(0)
        let ambiguous = 0
        for (const x of xs) {
          const at = (x - lo) / width
          // a value within rounding of an inner edge may land on either side of it
          if (Math.abs(at - Math.round(at)) < 1e-9 && Math.round(at) > 0 && Math.round(at) < bins) ambiguous += 1
          want[Math.min(bins - 1, Math.floor(at))] += 1
        }
        const off = want.reduce((a, w, i) => a + Math.abs(w - h.counts[i]), 0)
        expect(
          off,
          `counts ${JSON.stringify(Array.from(h.counts))} should be ${JSON.stringify(want)}.${largestValueHint(xs, h.counts, bins)}`,
        ).toBeLessThanOrEqual(2 * ambiguous)
      }),
      { numRuns: 100 },
    )
  })

  it("widens a range of one value to [v - 1, v + 1], and shows the naive net's tanh layer piled up at -1 and 1", () => {
    const h = histogram([0.5, 0.5, 0.5], 4)
    expect(h.edges, 'all values equal to 0.5: the range is [-0.5, 1.5]').toEqual([-0.5, 0, 0.5, 1, 1.5])
    expect(h.counts).toEqual([0, 0, 3, 0])
    const t = atInit('naive').trace.layers.find((l) => l.kind === 'tanh')!.out.data
    const n = histogram(t, 50)
    const outer = (n.counts[0] + n.counts[1] + n.counts[48] + n.counts[49]) / t.length
    expect(
      outer,
      'in the naive net most tanh outputs sit in the outermost bins, near -1 and 1 (saturation)',
    ).toBeGreaterThan(0.5)
  })
})

describe('saturation and layer statistics', () => {
  it('saturationFraction is the share of |x| > threshold, the same for x and -x (law)', () => {
    fc.assert(
      fc.property(values, fc.double({ min: 0, max: 2.9, noNaN: true }), (xs, threshold) => {
        const want = xs.filter((x) => Math.abs(x) > threshold).length / xs.length
        const negated = xs.map((x) => -x)
        expect(
          saturationFraction(negated, threshold),
          'a unit saturates at -1 as much as at +1: count |t| > threshold, not t > threshold',
        ).toBeCloseTo(saturationFraction(xs, threshold), 12)
        expect(saturationFraction(xs, threshold), `share of |x| > ${threshold}`).toBeCloseTo(want, 12)
      }),
      { numRuns: 100 },
    )
    expect(saturationFraction([0.98, -0.99, 0.5, 0]), 'the default threshold is 0.97').toBeCloseTo(0.5, 12)
  })

  it("activationStats gives every tanh layer's mean, std and saturation, in layer order", () => {
    const { trace } = atInit('deep-tanh')
    const tanhs = trace.layers.filter((l) => l.kind === 'tanh')
    const stats = activationStats(trace)
    expect(
      stats.map((s) => s.name),
      'one entry per tanh layer, in order (no Linear or embedding outputs)',
    ).toEqual(tanhs.map((l) => l.name))
    tanhs.forEach((l, i) => {
      const m = moments(l.out.data)
      expect(stats[i].mean, `${l.name}: mean of layer.out`).toBeCloseTo(m.mean, 9)
      expect(
        closeStd(stats[i].std, m.std),
        `${l.name}: std of layer.out is ${m.std.toFixed(4)}, got ${stats[i].std}`,
      ).toBe(true)
      expect(stats[i].saturated, `${l.name}: share of |t| > 0.97`).toBeCloseTo(saturationFraction(l.out.data, 0.97), 12)
    })
    const strict = activationStats(trace, 0.99)
    expect(strict[0].saturated, 'the threshold argument replaces 0.97').toBeCloseTo(
      saturationFraction(tanhs[0].out.data, 0.99),
      12,
    )
  })

  it('reproduces the lecture: the naive init saturates most tanh units, the fixed one few (std about 0.65)', () => {
    const [naive] = activationStats(atInit('naive').trace)
    const [fixed] = activationStats(atInit('fix-tanh').trace)
    expect(
      naive.saturated,
      `naive init: your activationStats finds ${(100 * naive.saturated).toFixed(1)}% of its tanh outputs saturated, where the lecture sees most of them (over 50%) beyond ±0.97. Count |t| > threshold, both tails, in the tanh layers only`,
    ).toBeGreaterThan(0.5)
    expect(
      fixed.saturated,
      `W1 × 0.2: ${(100 * fixed.saturated).toFixed(1)}% saturated, under the lecture's 5% or so`,
    ).toBeLessThan(0.1)
    expect(fixed.std, 'W1 × 0.2: the std of the tanh outputs is about 0.65').toBeGreaterThan(0.55)
    expect(fixed.std).toBeLessThan(0.75)
  })

  it("gradientStats gives every tanh layer's out.grad mean and std, in layer order", () => {
    const { trace } = atInit('deep-tanh')
    const tanhs = trace.layers.filter((l) => l.kind === 'tanh')
    const stats = gradientStats(trace)
    expect(
      stats.map((s) => s.name),
      'one entry per tanh layer, in order',
    ).toEqual(tanhs.map((l) => l.name))
    tanhs.forEach((l, i) => {
      const m = moments(l.grad.data)
      expect(stats[i].mean, `${l.name}: mean of layer.out.grad (the gradient, not the output)`).toBeCloseTo(m.mean, 12)
      expect(
        closeStd(stats[i].std, m.std),
        `${l.name}: std of layer.out.grad is ${m.std.toExponential(3)}, got ${stats[i].std}`,
      ).toBe(true)
    })
  })
})

describe('grad:data and update:data', () => {
  const pair = fc
    .integer({ min: 2, max: 30 })
    .chain((n) => fc.tuple(tensorOf([n]), tensorOf([n])))
    .filter(([g, p]) => moments(g.data).std > 1e-3 && moments(p.data).std > 1e-3)
  const scaled = (t: Tensor, c: number): Tensor => ({ shape: t.shape, data: t.data.map((v) => v * c) })

  it('gradToDataRatio is std(grad) / std(param): scaling both changes nothing, scaling the gradient scales it (law)', () => {
    fc.assert(
      fc.property(pair, fc.double({ min: 0.01, max: 100, noNaN: true }), ([g, p], c) => {
        const r = gradToDataRatio(g, p)
        expect(r, 'std(grad) / std(param)').toBeCloseTo(moments(g.data).std / moments(p.data).std, 9)
        expect(
          gradToDataRatio(scaled(g, c), scaled(p, c)) / r,
          'the same ratio when grad and param are both scaled',
        ).toBeCloseTo(1, 9)
        expect(gradToDataRatio(scaled(g, c), p) / r, 'c times the gradient, c times the ratio').toBeCloseTo(c, 9)
      }),
      { numRuns: 100 },
    )
    const { model, trace } = atInit('deep-tanh')
    for (const w of hiddenWeights) {
      const want = moments(trace.paramGrads[w].data).std / moments(model.params[w].data).std
      expect(gradToDataRatio(trace.paramGrads[w], model.params[w]) / want, `${w}: grad:data`).toBeCloseTo(1, 3)
    }
  })

  it('updateToDataRatio is log10(std(lr · grad) / std(param)): ten times the learning rate, one decade higher (law)', () => {
    fc.assert(
      fc.property(pair, fc.double({ min: 1e-6, max: 10, noNaN: true }), ([g, p], lr) => {
        const r = updateToDataRatio(lr, g, p)
        const gradToData = moments(g.data).std / moments(p.data).std
        // say which of the classic slips it looks like
        const why =
          Math.abs(r - lr * gradToData) < 1e-9 * (1 + lr * gradToData)
            ? 'updateToDataRatio is the log10 of std(lr · grad) / std(param): about -3 is healthy, so it is a small negative number, not the plain ratio'
            : Math.abs(r - Math.log10(gradToData)) < 1e-9
              ? 'the update is lr · grad: this ratio does not depend on the learning rate, so it cannot judge one'
              : 'updateToDataRatio = log10(std(lr · grad) / std(param))'
        expect(r, why).toBeCloseTo(Math.log10(lr * gradToData), 6)
        expect(
          updateToDataRatio(10 * lr, g, p) - r,
          'the update is lr · grad: ten times the learning rate must give a ratio one decade (1.0) higher',
        ).toBeCloseTo(1, 6)
      }),
      { numRuns: 100 },
    )
  })

  it('judgeLearningRate: about right near -3, too high a decade and more above, too low a decade and more below, and never backwards (law)', () => {
    const verdictOf = (r: number) => judgeLearningRate([r, r, r])
    fc.assert(
      fc.property(fc.double({ min: -3.5, max: -2.5, noNaN: true }), (r) => {
        expect(verdictOf(r), `log10 update:data of ${r.toFixed(2)} is about right (the lecture's 1e-3)`).toBe(
          'about right',
        )
      }),
    )
    fc.assert(
      fc.property(fc.double({ min: -1.5, max: 3, noNaN: true }), (r) => {
        expect(
          verdictOf(r),
          `log10 update:data of ${r.toFixed(2)}: each step changes the weights by ${Number((100 * 10 ** r).toPrecision(2))}% of their size, the learning rate is too high`,
        ).toBe('too high')
      }),
    )
    fc.assert(
      fc.property(fc.double({ min: -9, max: -4.5, noNaN: true }), (r) => {
        expect(
          verdictOf(r),
          `log10 update:data of ${r.toFixed(2)}: the steps are tiny, the learning rate is too low`,
        ).toBe('too low')
      }),
    )
    fc.assert(
      fc.property(fc.double({ min: -9, max: 3, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true }), (r, d) => {
        const order = { 'too low': 0, 'about right': 1, 'too high': 2 }
        expect(order[verdictOf(r + d)], 'a higher ratio can never get a lower verdict').toBeGreaterThanOrEqual(
          order[verdictOf(r)],
        )
      }),
    )
  })

  it('on the deep tanh net, the instruments call a learning rate of 1e-4 too low, 0.1 about right and 10 too high', () => {
    const { model, trace } = atInit('deep-tanh')
    for (const [lr, want] of [
      [1e-4, 'too low'],
      [0.1, 'about right'],
      [10, 'too high'],
    ] as const) {
      const ratios = hiddenWeights.map((w) => updateToDataRatio(lr, trace.paramGrads[w], model.params[w]))
      expect(
        judgeLearningRate(ratios),
        `learning rate ${lr}: log10 update:data of the hidden weights ${ratios.map((r) => r.toFixed(2)).join(', ')}`,
      ).toBe(want)
    }
  })
})

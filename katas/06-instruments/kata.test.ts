import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  activationStats,
  gradientStats,
  gradToDataRatio,
  histogram,
  judgeLearningRate,
  saturationFraction,
  updateToDataRatio,
} from './kata.ts'
import * as F from './feedback.ts'
import { values } from './feedback.ts'
import * as reference from '../../solutions/06-instruments/kata.ts'
import * as R from '../../lib/course/reference.ts'
import * as L from '../../lib/course/law-inputs.ts'
import type { Trace } from '../../lib/model/nn.ts'

describe('histogram', () => {
  it('law: has `bins` equal bins from the smallest to the largest value, counts every value once, and its density has area 1', () => {
    fc.assert(
      fc.property(values, fc.integer({ min: 1, max: 60 }), (xs, bins) => {
        const h = histogram(xs, bins)
        const lo = Math.min(...xs),
          hi = Math.max(...xs)
        const same =
          lo === hi ? ` Every value here is ${lo}: use the range [${lo} - 1, ${lo} + 1], or the bins have width 0` : ''
        const cap = F.largestValueHint(xs, h.counts, bins)
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
        expect(area, F.densityVerdict(xs.length, h.edges, h.counts, h.density)).toBeCloseTo(1, 9)
      }),
      { numRuns: 100 },
    )
  })

  it('law: puts each value in the bin [edges[i], edges[i + 1]) that holds it', () => {
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
          `counts ${JSON.stringify(Array.from(h.counts))} should be ${JSON.stringify(want)}.${F.largestValueHint(xs, h.counts, bins)}`,
        ).toBeLessThanOrEqual(2 * ambiguous)
      }),
      { numRuns: 100 },
    )
  })

  it("widens a range of one value to [v - 1, v + 1], and shows the naive net's tanh layer piled up at -1 and 1", () => {
    const h = histogram([0.5, 0.5, 0.5], 4)
    expect(h.edges, 'all values equal to 0.5: the range is [-0.5, 1.5]').toEqual([-0.5, 0, 0.5, 1, 1.5])
    expect(h.counts).toEqual([0, 0, 3, 0])
    const t = F.atInit('naive').trace.layers.find((l) => l.kind === 'tanh')!.out.data
    const n = histogram(t, 50)
    const outer = (n.counts[0] + n.counts[1] + n.counts[48] + n.counts[49]) / t.length
    expect(
      outer,
      'in the naive net most tanh outputs sit in the outermost bins, near -1 and 1 (saturation)',
    ).toBeGreaterThan(0.5)
  })
})

describe('saturation and layer statistics', () => {
  it('law: saturationFraction is the share of |x| > threshold, the same for x and -x', () => {
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

  it('a value exactly at the threshold is not beyond it: 1 of [0.97, -0.97, 0.98, 0] is, and 0 of [0.5, -0.5] at 0.5', () => {
    const got = saturationFraction([0.97, -0.97, 0.98, 0])
    expect(
      got,
      got === 0.75
        ? 'expected 0.25, got 0.75: that counts |t| >= 0.97; saturated means strictly beyond, (t.abs() > 0.97)'
        : `expected 0.25 (only 0.98 is beyond 0.97), got ${got}`,
    ).toBeCloseTo(0.25, 12)
    expect(
      saturationFraction([0.5, -0.5], 0.5),
      'expected 0: 0.5 and -0.5 sit exactly at the threshold 0.5, not beyond it',
    ).toBe(0)
  })

  it("activationStats gives every tanh layer's mean, std and saturation, in layer order", () => {
    const { trace } = F.atInit('deep-tanh')
    const tanhs = trace.layers.filter((l) => l.kind === 'tanh')
    const stats = activationStats(trace)
    expect(
      stats.map((s) => s.name),
      'one entry per tanh layer, in order (no Linear or embedding outputs)',
    ).toEqual(tanhs.map((l) => l.name))
    tanhs.forEach((l, i) => {
      const m = F.moments(l.out.data)
      expect(stats[i].mean, `${l.name}: mean of layer.out`).toBeCloseTo(m.mean, 9)
      expect(
        F.closeStd(stats[i].std, m.std),
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
    const [naive] = activationStats(F.atInit('naive').trace)
    const [fixed] = activationStats(F.atInit('fix-tanh').trace)
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
    const { trace } = F.atInit('deep-tanh')
    const tanhs = trace.layers.filter((l) => l.kind === 'tanh')
    const stats = gradientStats(trace)
    expect(
      stats.map((s) => s.name),
      'one entry per tanh layer, in order',
    ).toEqual(tanhs.map((l) => l.name))
    tanhs.forEach((l, i) => {
      const m = F.moments(l.grad.data)
      expect(stats[i].mean, `${l.name}: mean of layer.out.grad (the gradient, not the output)`).toBeCloseTo(m.mean, 12)
      expect(
        F.closeStd(stats[i].std, m.std),
        `${l.name}: std of layer.out.grad is ${m.std.toExponential(3)}, got ${stats[i].std}`,
      ).toBe(true)
    })
  })
})

describe('grad:data and update:data', () => {
  const pair = fc
    .integer({ min: 2, max: 30 })
    .chain((n) => fc.tuple(F.tensorOf([n]), F.tensorOf([n])))
    .filter(([g, p]) => F.moments(g.data).std > 1e-3 && F.moments(p.data).std > 1e-3)
  const scaled = (t: F.Tensor, c: number): F.Tensor => ({ shape: t.shape, data: t.data.map((v) => v * c) })

  it('law: gradToDataRatio is std(grad) / std(param): scaling both changes nothing, scaling the gradient scales it', () => {
    fc.assert(
      fc.property(pair, fc.double({ min: 0.01, max: 100, noNaN: true }), ([g, p], c) => {
        const r = gradToDataRatio(g, p)
        expect(r, 'std(grad) / std(param)').toBeCloseTo(F.moments(g.data).std / F.moments(p.data).std, 9)
        expect(
          gradToDataRatio(scaled(g, c), scaled(p, c)) / r,
          'the same ratio when grad and param are both scaled',
        ).toBeCloseTo(1, 9)
        expect(gradToDataRatio(scaled(g, c), p) / r, 'c times the gradient, c times the ratio').toBeCloseTo(c, 9)
      }),
      { numRuns: 100 },
    )
    const { model, trace } = F.atInit('deep-tanh')
    for (const w of F.hiddenWeights) {
      const want = F.moments(trace.paramGrads[w].data).std / F.moments(model.params[w].data).std
      expect(gradToDataRatio(trace.paramGrads[w], model.params[w]) / want, `${w}: grad:data`).toBeCloseTo(1, 3)
    }
  })

  it('law: updateToDataRatio is log10(std(lr · grad) / std(param)): ten times the learning rate, one decade higher', () => {
    fc.assert(
      fc.property(pair, fc.double({ min: 1e-6, max: 10, noNaN: true }), ([g, p], lr) => {
        const r = updateToDataRatio(lr, g, p)
        const gradToData = F.moments(g.data).std / F.moments(p.data).std
        // say which of the classic slips it looks like
        const why =
          Math.abs(r - lr * gradToData) < 1e-9 * (1 + lr * gradToData)
            ? 'updateToDataRatio is the log10 of std(lr · grad) / std(param): about -3 is healthy, so it is a small negative number, not the plain ratio'
            : Math.abs(r - Math.log(lr * gradToData)) < 1e-9 * (1 + Math.abs(r))
              ? 'that is the natural log (ln) of std(lr · grad) / std(param): the lecture reads log10, where -3 is one part in a thousand'
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

  it('law: judgeLearningRate: about right near -3, too high a decade and more above, too low a decade and more below, and never backwards', () => {
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

  it('judgeLearningRate of an even number of ratios reads the middle of the two middle ones (the median), not one of them', () => {
    // median and mean are both -2.55, about right; the upper middle one alone (-1.2) would be too high
    const ratios = [-3.9, -1.2, -3.9, -1.2]
    const got = judgeLearningRate(ratios)
    expect(got, F.judgeSlip(ratios, got)).toBe('about right')
  })

  it('judgeLearningRate reads the median of spread-out ratios: one outlying layer does not move it, and the order of the weights does not matter', () => {
    for (const [ratios, want] of [
      [[-3, -3.2, 3], 'about right'],
      [[-9, -3, -2.8], 'about right'],
      [[-1, -5, -3], 'about right'],
      [[-1.5, -1, -3.5], 'too high'],
      [[-4.5, -6, -2.5, -5], 'too low'],
      [[-2.5, 0, -3.5, -3], 'about right'],
    ] as const) {
      const got = judgeLearningRate(ratios)
      expect(got, F.judgeSlip(ratios, got)).toBe(want)
    }
  })

  it('on the deep tanh net, the instruments call a learning rate of 1e-4 too low, 0.1 about right and 10 too high', () => {
    const { model, trace } = F.atInit('deep-tanh')
    for (const [lr, want] of [
      [1e-4, 'too low'],
      [0.1, 'about right'],
      [10, 'too high'],
    ] as const) {
      const ratios = F.hiddenWeights.map((w) => updateToDataRatio(lr, trace.paramGrads[w], model.params[w]))
      const stds = F.hiddenWeights.map(
        (w) => [F.moments(trace.paramGrads[w].data).std, F.moments(model.params[w].data).std] as const,
      )
      expect(
        judgeLearningRate(ratios),
        `learning rate ${lr}: log10 update:data of the hidden weights ${ratios.map((r) => r.toFixed(2)).join(', ')}${F.ratiosSlip(lr, stds, ratios)}`,
      ).toBe(want)
    }
  })
})

describe('the reference laws: every instrument agrees with the reference answer on inputs of every shape, sign and size', () => {
  const asArrayOrTyped = (xs: number[]) => fc.constantFrom<ArrayLike<number>>(xs, Float64Array.from(xs))
  // the bin of x by every way of writing it (x over the width, x times bins over the range, a search of the edges)
  const binsAgree = (x: number, lo: number, hi: number, bins: number): boolean => {
    const w = (hi - lo) / bins
    const cap = (k: number) => Math.min(bins - 1, k)
    const ways = [
      cap(Math.floor((x - lo) / w)),
      cap(Math.floor(((x - lo) * bins) / (hi - lo))),
      cap(Math.floor(bins * ((x - lo) / (hi - lo)))),
    ]
    for (const edge of [
      (k: number) => lo + k * w,
      (k: number) => lo + ((hi - lo) * k) / bins,
      (k: number) => lo * (1 - k / bins) + hi * (k / bins),
    ]) {
      let k = 0
      for (let j = 1; j < bins; j++) if (x >= edge(j)) k = j
      ways.push(k)
    }
    return ways.every((k) => k === ways[0])
  }
  // values of every sign and size, ties and single values; a value within rounding of an inner edge
  // (whose bin depends on how the edge is written) is left out, the smallest and largest kept
  const histogramArgs = fc
    .tuple(
      fc.oneof(
        fc.array(L.anyValue(), { minLength: 1, maxLength: 40 }),
        fc.tuple(L.anyValue(), fc.integer({ min: 1, max: 5 })).map(([v, n]) => Array.from({ length: n }, () => v)),
      ),
      fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 60 })),
    )
    .map(([xs, bins]) => {
      const lo = Math.min(...xs),
        hi = Math.max(...xs)
      if (lo === hi) return [xs, bins] as const
      return [xs.filter((x) => x === lo || x === hi || binsAgree(x, lo, hi, bins)), bins] as const
    })
    .filter(([xs, bins]) => {
      let lo = Math.min(...xs),
        hi = Math.max(...xs)
      if (lo === hi) [lo, hi] = [lo - 1, hi + 1]
      // a range under rounding of its ends, or bins narrower than the smallest double, has no sound bins
      return (
        hi - lo > 1e-9 * Math.max(Math.abs(lo), Math.abs(hi)) &&
        (hi - lo) / bins > 1e-200 &&
        xs.every((x) => binsAgree(x, lo, hi, bins))
      )
    })
    .chain(([xs, bins]) => fc.tuple(asArrayOrTyped(xs), fc.constant(bins)))
  // the default is drawn twice as often as each other kind: a learner's default is one more argument
  const threshold = fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom(0.97, 0, 0.5, 0.99, 1) },
    { weight: 1, arbitrary: fc.double({ min: 0, max: 3, noNaN: true }) },
  )
  // values at the threshold and either side of it, within 0.05: a threshold (or a default) moved to a
  // neighbour such as the dead-unit map's 0.99 changes the count on most draws, not on a lucky few
  const saturationArgs = threshold.chain((t) => {
    const at = t ?? 0.97
    const near = fc
      .double({ min: Math.max(0, at - 0.05), max: at + 0.05, noNaN: true })
      .chain((x) => fc.constantFrom(x, -x))
    return fc.tuple(
      fc
        .array(fc.oneof(L.anyValue(3), L.tanhValue, fc.constantFrom(at, -at), { weight: 3, arbitrary: near }), {
          minLength: 1,
          maxLength: 40,
        })
        .chain(asArrayOrTyped),
      fc.constant(t),
    )
  })
  const traces = L.anyTrace({
    gradValue: fc.oneof(
      L.anyValue(3),
      L.anyValue(3).map((g) => g * 1e-3),
    ),
  })
  // the README accepts a std divided by N - 1: such a std is read as the one divided by N of the same layer
  const populationStd =
    (field: 'out' | 'grad') =>
    (output: unknown, [trace]: readonly [Trace, ...unknown[]]): unknown => {
      if (!Array.isArray(output)) return output
      const tanhs = trace.layers.filter((l) => l.kind === 'tanh')
      return output.map((s: unknown, i) => {
        const l = tanhs[i]
        if (l === undefined || s === null || typeof s !== 'object' || !('std' in s) || typeof s.std !== 'number')
          return s
        const n = l[field].data.length
        const pop = F.moments(l[field].data).std
        const sample = pop * Math.sqrt(n / (n - 1))
        const bySample = n === 1 ? Number.isNaN(s.std) : Math.abs(s.std - sample) <= 1e-9 * sample && s.std !== pop
        return bySample ? { ...s, std: pop } : s
      })
    }
  // a tensor whose std is sound: one value, equal whole numbers (std exactly 0), or a spread well above rounding
  const soundStd = (t: F.Tensor) => {
    const xs = t.data
    const max = xs.reduce((m, x) => Math.max(m, Math.abs(x)), 0)
    return xs.length === 1 || xs.every((x) => x === xs[0] && Number.isInteger(x)) || F.moments(xs).std > 1e-6 * max
  }
  const shapes = fc.oneof(
    fc.integer({ min: 1, max: 9 }).map((n) => [n]),
    fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 })),
  )
  const gradAndParam = shapes
    .chain((shape) =>
      fc.tuple(
        fc.oneof(
          L.tensorShaped(shape),
          L.tensorShaped(
            shape,
            L.anyValue(3).map((g) => g * 1e-4),
          ),
        ),
        fc.oneof(L.tensorShaped(shape), L.tensorShaped(shape, fc.integer({ min: -2, max: 2 }))),
      ),
    )
    .filter(([g, p]) => soundStd(g) && soundStd(p))
  const learningRates = fc.oneof(
    fc.constantFrom(0, 1, 0.1, 0.01),
    fc.double({ min: -8, max: 2, noNaN: true }).map((e) => 10 ** e),
  )
  // the README lets the typical ratio be the median or the mean, the cut-off anywhere from half a decade to a
  // decade and a half from -3: the ratios drawn have a median and a mean in the same sure zone
  const zone = (m: number) =>
    m > -1.5 ? 'too high' : m < -4.5 ? 'too low' : m >= -3.5 && m <= -2.5 ? 'about right' : 'unsure'
  const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length
  const median = (xs: readonly number[]) => {
    const s = [...xs].sort((a, b) => a - b),
      h = s.length >> 1
    return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2
  }
  const ratios = fc
    .tuple(
      fc.oneof(
        fc.double({ min: -3.5, max: -2.5, noNaN: true }),
        fc.double({ min: -1.5, max: 4, noNaN: true }),
        fc.double({ min: -12, max: -4.5, noNaN: true }),
        fc.double({ min: -12, max: 4, noNaN: true }),
      ),
      fc.array(
        fc.oneof(
          { weight: 6, arbitrary: fc.double({ min: -1, max: 1, noNaN: true }) },
          { weight: 1, arbitrary: fc.double({ min: -8, max: 8, noNaN: true }) },
          { weight: 1, arbitrary: fc.constant(0) },
        ),
        { minLength: 1, maxLength: 9 },
      ),
      fc.oneof(
        { weight: 9, arbitrary: fc.constant([] as number[]) },
        { weight: 1, arbitrary: fc.constant([-Infinity]) },
      ),
    )
    .map(([centre, offsets, zeros]) => [...offsets.map((o) => centre + o), ...zeros])
    .filter((rs) => zone(median(rs)) !== 'unsure' && zone(median(rs)) === zone(mean(rs)))
  const laws = [
    R.law('histogram', histogram, reference.histogram, histogramArgs, ['values', 'bins'], {
      tolerance: { relative: 1e-9, absolute: 1e-9 },
    }),
    R.law('saturationFraction', saturationFraction, reference.saturationFraction, saturationArgs, [
      'values',
      'threshold',
    ]),
    R.law(
      'activationStats',
      activationStats,
      reference.activationStats,
      fc.tuple(
        traces.map((t) => t.trace),
        threshold,
      ),
      ['trace', 'threshold'],
      {
        tolerance: { relative: 1e-9, absolute: 1e-12 },
        view: populationStd('out'),
      },
    ),
    R.law('gradientStats', gradientStats, reference.gradientStats, fc.tuple(traces.map((t) => t.trace)), ['trace'], {
      tolerance: { relative: 1e-9, absolute: 1e-12 },
      view: populationStd('grad'),
    }),
    R.law('gradToDataRatio', gradToDataRatio, reference.gradToDataRatio, gradAndParam, ['grad', 'param']),
    R.law(
      'updateToDataRatio',
      updateToDataRatio,
      reference.updateToDataRatio,
      fc.tuple(learningRates, gradAndParam).map(([lr, [g, p]]) => [lr, g, p] as const),
      ['lr', 'grad', 'param'],
    ),
    R.law('judgeLearningRate', judgeLearningRate, reference.judgeLearningRate, fc.tuple(ratios), ['log10Ratios']),
  ]
  R.describeLaws(laws, it)
})

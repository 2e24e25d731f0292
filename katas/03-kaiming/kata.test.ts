import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { forwardStack, gain, initStack, kaimingStd, linearVarianceGain } from './kata.ts'
import * as F from './feedback.ts'
import { nonlinearity, rms, seed, tanh, variance } from './feedback.ts'
import * as reference from '../../solutions/03-kaiming/kata.ts'
import * as R from '../../lib/course/reference.ts'
import * as L from '../../lib/course/law-inputs.ts'

describe('1. the variance of one linear layer', () => {
  it('100 inputs of variance 1 through weights of std 1 roar at variance 100; std 0.1 brings them back to 1', () => {
    const cases: [number, number, number, string][] = [
      [100, 1, 100, 'Var(y) = fan_in · std² · Var(x): 100 · 1² = 100'],
      [100, 0.1, 1, 'Var(y) = fan_in · std² · Var(x): 100 · 0.1² = 1'],
      [30, 0.2, 1.2, "the lecture's W1 × 0.2 on 30 inputs: 30 · 0.2² = 1.2"],
    ]
    for (const [fanIn, std, want, what] of cases) {
      const yours = linearVarianceGain(fanIn, std)
      expect(yours, `${what}; ${F.varianceGainVerdict(fanIn, std, yours)}`).toBeCloseTo(want, 9)
    }
  })
  it('law: Var(x @ W) / Var(x) = fan_in · std², as measured on random inputs and weights', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 100 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        seed,
        (fanIn, std, s) => {
          const x = F.inputs(200, fanIn, s)
          const W = F.scale(F.evalRng(F.randnTensor([fanIn, 40]), s + 1), std)
          const measured = variance(F.matmul(x, W)) / variance(x)
          // the law holds for the std W was actually drawn with: the nominal std would add W's own sampling noise
          // (worst relative error 0.2 in 4,000 draws, against 0.06 with the drawn std)
          const drawn = F.stdAll(W)
          const predicted = linearVarianceGain(fanIn, drawn)
          expect(
            Math.abs(predicted / measured - 1),
            `fan_in ${fanIn}, weight std ${drawn.toPrecision(3)}: measured a variance gain of ${measured.toPrecision(3)}, predicted ${predicted.toPrecision(3)}; it is fan_in · std²; ${F.varianceGainVerdict(fanIn, drawn, predicted)}`,
          ).toBeLessThan(0.25)
        },
      ),
      F.runs(10),
    )
  })
})

describe('2. gains and the Kaiming std', () => {
  it('the gains: linear 1, tanh 5/3, relu √2', () => {
    expect(gain('linear'), 'a layer with no non-linearity needs no gain').toBe(1)
    expect(gain('tanh'), "tanh's gain is 5/3: it squashes, so the weights must be a little louder").toBeCloseTo(
      5 / 3,
      12,
    )
    expect(
      gain('relu'),
      "ReLU's gain is √2: it zeroes half its inputs and halves the variance, and a variance gain of 2 is a std gain of √2",
    ).toBeCloseTo(Math.SQRT2, 12)
  })
  it("the lecture's hidden layer: 30 inputs followed by tanh get std (5/3)/√30 ≈ 0.3043", () => {
    const yours = kaimingStd(30, 'tanh')
    expect(
      yours,
      `the lecture's (5/3)/√30 = 0.3043: Kaiming's std is gain / √fan_in; ${F.kaimingVerdict(30, 'tanh', yours)}`,
    ).toBeCloseTo(0.3043, 4)
  })
  it('law: std = gain / √fan_in, so with gain 1 a linear layer conserves the variance exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), nonlinearity, (fanIn, nl) => {
        const yours = kaimingStd(fanIn, nl),
          g = gain(nl)
        const verdict =
          F.same(yours, F.GAINS[nl] / Math.sqrt(fanIn)) && !F.same(g, F.GAINS[nl])
            ? `yours uses ${nl}'s gain ${F.GAIN_NAMES[nl]}, but your gain('${nl}') is ${F.num(g)}: fix gain, and take the gain from it`
            : F.kaimingVerdict(fanIn, nl, yours)
        expect(
          yours * Math.sqrt(fanIn),
          `kaimingStd(${fanIn}, '${nl}') · √${fanIn} should be the gain, gain('${nl}') = ${F.num(g)}: std = gain / √fan_in; ${verdict}`,
        ).toBeCloseTo(g, 10)
        const std = kaimingStd(fanIn, 'linear'),
          conserved = linearVarianceGain(fanIn, std)
        expect(
          conserved,
          F.same(conserved, fanIn * std ** 2)
            ? `fan_in · (1/√fan_in)² = 1: the variance is conserved; but kaimingStd(${fanIn}, 'linear') is ${F.num(std)}, not 1/√${fanIn} = ${F.num(1 / Math.sqrt(fanIn))}`
            : `linearVarianceGain(${fanIn}, ${F.num(std)}) should be fan_in · std² = 1 with Kaiming's std 1/√fan_in, the variance conserved; ${F.varianceGainVerdict(fanIn, std, conserved)}`,
        ).toBeCloseTo(1, 10)
      }),
      F.runs(50),
    )
  })
})

/**
 * What a layer's measured weight std says, when weightStd(fanIn) was wanted: the classic slips (the variance for
 * the std, the fan-out for the fan-in, no scaling) each give their own std, far enough apart for 2,500 draws to tell.
 */
const layerStdMessage = (
  layer: number,
  measured: number,
  fanIn: number,
  fanOut: number,
  weightStd: (fanIn: number) => number,
): string => {
  const want = weightStd(fanIn)
  const slips: [number, string][] = [
    [
      want ** 2,
      `about weightStd(${fanIn})² = ${F.num(want ** 2)}, the variance: scale randn by the std, not the variance`,
    ],
    [
      weightStd(fanOut),
      `about weightStd(${fanOut}) = ${F.num(weightStd(fanOut))}, from the fan-out: use the fan-in (the rows of W), not the fan-out (the columns)`,
    ],
    [1, "about 1, randn's own: scale randn by weightStd(fan_in)"],
    [
      Math.sqrt(want),
      `about √weightStd(${fanIn}) = ${F.num(Math.sqrt(want))}: scale by the std itself, not its square root`,
    ],
    [1 / want, `about 1 / weightStd(${fanIn}) = ${F.num(1 / want)}: multiply randn by the std, do not divide`],
  ]
  const distance = (v: number) => Math.abs(Math.log(measured / v))
  const [nearest, verdict] = slips.reduce((a, b) => (distance(b[0]) < distance(a[0]) ? b : a))
  return (
    `layer ${layer} has ${fanIn} inputs and ${fanOut} outputs: its std should be weightStd(${fanIn}) = ${F.num(want)}; yours is ${F.num(measured)}` +
    (distance(nearest) < Math.log(1.05) ? `, ${verdict}` : '')
  )
}

/** The draws of ONE generator seeded with `s`, layer after layer: randn(widths[l] · widths[l + 1]) each, the state threaded. */
const oneGenerator = (widths: readonly number[], s: number): Float64Array[] => {
  const draws: Float64Array[] = []
  let state: F.RngState = F.seedRng(s)
  for (let l = 0; l + 1 < widths.length; l++) {
    const [d, next] = F.randn(widths[l] * widths[l + 1])(state)
    draws.push(d)
    state = next
  }
  return draws
}

/** What layer `l` (0-based) of initStack(widths, () => std, s) holds, when it is not one generator's draws. */
const streamVerdict = (
  yours: readonly number[],
  l: number,
  widths: readonly number[],
  s: number,
  std: number,
): string => {
  const want = oneGenerator(widths, s)[l]
  const layer = l + 1
  const what =
    l === 0
      ? `layer 1 should be ${std} × the first ${want.length} draws of randn from seedRng(seed) = seedRng(${s})`
      : `layer ${layer} should be ${std} × the next ${want.length} draws of the same generator, continuing where layer ${l} stopped`
  const fresh = [
    ...Array.from({ length: 21 }, (_, i) => s - 10 + i),
    ...Array.from({ length: 12 }, (_, i) => i - 1),
  ].find((k) => {
    const d = F.randn(want.length)(F.seedRng(k))[0]
    return d.every((v, i) => v === yours[i])
  })
  if (fresh !== undefined && !(l === 0 && fresh === s)) {
    return `${what}; yours are the first draws of seedRng(${fresh})${fresh === s ? ', the stream started again' : ', a fresh generator'}: seed one generator with \`seed\` and thread its state through the layers, each layer drawing from the state the last draw returned (the lecture's one g for all parameters)`
  }
  const ratio = yours[0] / want[0]
  if (want.every((v, i) => F.same(yours[i], v * ratio))) {
    return `${what}; yours are the right draws times ${F.num(ratio * std)}, not times weightStd(fan_in) = ${std}: scale randn by weightStd(fan_in)`
  }
  return `${what}: thread one generator's state through the layers (the lecture's g), seeded once with \`seed\``
}

describe('3. deep stacks', () => {
  it('initStack gives one weight [widths[l], widths[l+1]] per layer, drawn as randn × weightStd(fan-in)', () => {
    const weightStd = (fanIn: number) => 1 / Math.sqrt(fanIn)
    const weights = initStack([400, 25, 100], weightStd, 1)
    expect(
      weights.map((w) => w.shape),
      'widths [400, 25, 100] give two weights, [400, 25] and [25, 100]',
    ).toEqual([
      [400, 25],
      [25, 100],
    ])
    const std1 = F.stdAll(weights[0]),
      std2 = F.stdAll(weights[1])
    expect(std1, layerStdMessage(1, std1, 400, 25, weightStd)).toBeCloseTo(0.05, 2)
    expect(std2, layerStdMessage(2, std2, 25, 100, weightStd)).toBeGreaterThan(0.17)
    expect(std2, layerStdMessage(2, std2, 25, 100, weightStd)).toBeLessThan(0.23)
  })
  it("initStack draws every layer from ONE generator seeded with seed, as the lecture's g: layer 2 continues the stream where layer 1 stopped", () => {
    // every width even, so a layer drawn whole or row by row takes the same numbers from the stream
    // (randn draws its normals in pairs); 0.5 is a power of two, so dividing by it gives the draws back exactly
    const widths = [6, 4, 8, 2],
      s = 42,
      std = 0.5
    const weights = initStack(widths, () => std, s)
    expect(
      weights.map((w) => w.shape),
      'widths [6, 4, 8, 2] give three weights',
    ).toEqual([
      [6, 4],
      [4, 8],
      [8, 2],
    ])
    oneGenerator(widths, s).forEach((want, l) => {
      const yours = Array.from(weights[l].data, (v) => v / std)
      expect(yours, streamVerdict(yours, l, widths, s, std)).toEqual(Array.from(want))
    })
  })
  it('initStack with the same seed gives the same weights, and another seed others', () => {
    const a = initStack([10, 10, 10], () => 1, 3),
      b = initStack([10, 10, 10], () => 1, 3),
      c = initStack([10, 10, 10], () => 1, 4)
    expect(
      a.map((w) => Array.from(w.data)),
      'seed 3 twice must give the same weights: draw from seedRng(seed)',
    ).toEqual(b.map((w) => Array.from(w.data)))
    expect(
      a.map((w) => Array.from(w.data)),
      'seeds 3 and 4 must give different weights',
    ).not.toEqual(c.map((w) => Array.from(w.data)))
    expect(Array.from(a[0].data), 'each layer draws its own numbers: layer 2 is not a copy of layer 1').not.toEqual(
      Array.from(a[1].data),
    )
  })
  it('law: forwardStack applies x = f(x @ W) layer after layer and returns every output, for any input and weights', () => {
    fc.assert(
      fc.property(seed, nonlinearity, (s, nl) => {
        const [x, s1] = F.randnTensor([5, 4])(F.seedRng(s))
        const [w1, s2] = F.randnTensor([4, 3])(s1)
        const [w2] = F.randnTensor([3, 6])(s2)
        const f = { linear: (t: F.Tensor) => t, tanh, relu: F.relu }[nl]
        const on = (inner: string) => (nl === 'linear' ? inner : `${nl}(${inner})`)
        const z1 = F.matmul(x, w1),
          first = f(z1),
          second = f(F.matmul(first, w2))
        const outs = forwardStack(x, [w1, w2], nl)
        expect(outs.length, 'one output per layer: two weights give two outputs').toBe(2)
        /** Checks layer `layer`'s output against `want` (written `expr`), naming the slip its numbers match. */
        const expectLayer = (
          layer: number,
          yours: F.Tensor,
          want: F.Tensor,
          expr: string,
          note: string,
          slips: [F.Tensor, string][],
        ) => {
          expect(
            yours.shape,
            `layer ${layer} should output ${expr}${note}, of shape [${want.shape.join(', ')}]`,
          ).toEqual(want.shape)
          const error = F.relativeError(yours.data, want.data)
          const slip = slips.find(
            ([t]) => F.relativeError(t.data, want.data) > 1e-9 && F.relativeError(yours.data, t.data) < 1e-12,
          )?.[1]
          expect(
            error,
            `layer ${layer} should output ${expr}${note} (relative error ${error.toPrecision(3)} between yours and ${expr})${slip === undefined ? '' : `; ${slip}`}`,
          ).toBeLessThan(1e-12)
        }
        expectLayer(1, outs[0], first, on('x @ W1'), '', [
          [z1, `yours is x @ W1: you forgot the non-linearity; apply ${nl} to the product x @ W1`],
          [
            F.matmul(x, f(w1)),
            `yours is x @ ${nl}(W1): ${nl} was applied to the weights; apply it to the product x @ W1`,
          ],
          [
            F.matmul(f(x), w1),
            `yours is ${nl}(x) @ W1: ${nl} was applied before the multiply; apply it after, to x @ W1`,
          ],
        ])
        expectLayer(2, outs[1], second, on('h1 @ W2'), ", h1 being layer 1's output", [
          [
            f(F.matmul(z1, w2)),
            `yours is ${nl}((x @ W1) @ W2): layer 2 was fed layer 1's product x @ W1; feed it layer 1's output h1 = ${nl}(x @ W1)`,
          ],
          [F.matmul(first, w2), `yours is h1 @ W2: you forgot the non-linearity on layer 2; every layer gets it`],
          [
            F.matmul(first, f(w2)),
            `yours is h1 @ ${nl}(W2): ${nl} was applied to the weights; apply it to the product h1 @ W2`,
          ],
          [
            F.matmul(f(first), w2),
            `yours is ${nl}(h1) @ W2: ${nl} was applied before the multiply; apply it after, to h1 @ W2`,
          ],
        ])
      }),
      F.runs(20),
    )
  })
  it("the lecture's table, weights too large: with std √(10/fan_in) the variance grows ×10 per layer and explodes", () => {
    const outs = forwardStack(
      F.inputs(200, 100, 5),
      initStack(Array(6).fill(100), (fanIn) => Math.sqrt(10 / fanIn), 6),
      'linear',
    )
    const variances = outs.map(variance)
    variances.forEach((v, l) => {
      const ratio = v / (l === 0 ? 1 : variances[l - 1])
      expect(
        ratio,
        `layer ${l + 1}: the variance should grow ×10 per layer (10, 100, 1000, ...); got ${F.fmt(variances)}`,
      ).toBeGreaterThan(7)
      expect(
        ratio,
        `layer ${l + 1}: the variance should grow ×10 per layer (10, 100, 1000, ...); got ${F.fmt(variances)}`,
      ).toBeLessThan(14)
    })
  })
  it("the lecture's table, weights too small: with std √(0.1/fan_in) the variance shrinks ×0.1 per layer and vanishes", () => {
    const outs = forwardStack(
      F.inputs(200, 100, 7),
      initStack(Array(6).fill(100), (fanIn) => Math.sqrt(0.1 / fanIn), 8),
      'linear',
    )
    const variances = outs.map(variance)
    variances.forEach((v, l) => {
      const ratio = v / (l === 0 ? 1 : variances[l - 1])
      expect(
        ratio,
        `layer ${l + 1}: the variance should shrink ×0.1 per layer (0.1, 0.01, 0.001, ...); got ${F.fmt(variances)}`,
      ).toBeGreaterThan(0.07)
      expect(
        ratio,
        `layer ${l + 1}: the variance should shrink ×0.1 per layer (0.1, 0.01, 0.001, ...); got ${F.fmt(variances)}`,
      ).toBeLessThan(0.14)
    })
  })
  it('Kaiming (gain 1) holds a linear stack at variance about 1 through 10 layers', () => {
    const outs = forwardStack(
      F.inputs(200, 100, 9),
      initStack(Array(11).fill(100), (fanIn) => kaimingStd(fanIn, 'linear'), 10),
      'linear',
    )
    const variances = outs.map(variance)
    const astray = variances.flatMap((v, l) =>
      v > 0.6 && v < 1.6 ? [] : [`layer ${l + 1}: variance ${v.toPrecision(3)}`],
    )
    expect(
      astray,
      `every layer's variance should stay between 0.6 and 1.6 with std 1/√fan_in; got ${F.fmt(variances)}`,
    ).toEqual([])
  })
  it('law: with gain 5/3 a tanh stack keeps its activations alive, std about 0.65 from layer 2 on, whatever the seed and width', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 64, max: 160 }), (s, width) => {
        const outs = forwardStack(
          F.inputs(100, width, s),
          initStack(Array(7).fill(width), (fanIn) => kaimingStd(fanIn, 'tanh'), s + 1),
          'tanh',
        )
        const stds = outs.map((t) => F.stdAll(t))
        const astray = stds.flatMap((v, l) =>
          l === 0 || (v > 0.55 && v < 0.78) ? [] : [`layer ${l + 1}: std ${v.toPrecision(3)}`],
        )
        expect(
          astray,
          `width ${width}: with gain 5/3 the std of every tanh layer after the first should settle near 0.65, between 0.55 and 0.78; got ${F.fmt(stds)}`,
        ).toEqual([])
        expect(
          stds[5] / stds[1],
          `width ${width}: the std should hold steady from layer 2 to layer 6 with the gain; got ${F.fmt(stds)}`,
        ).toBeGreaterThan(0.85)
      }),
      F.runs(6),
    )
  })
  it('without the gain (std 1/√fan_in) the same tanh stack fades: each layer whispers more quietly than the last', () => {
    const outs = forwardStack(
      F.inputs(100, 128, 11),
      initStack(Array(7).fill(128), (fanIn) => kaimingStd(fanIn, 'linear'), 12),
      'tanh',
    )
    const stds = outs.map((t) => F.stdAll(t))
    expect(
      stds[5],
      `tanh squashes, and with gain 1 nothing makes up for it: by layer 6 the std should fall below 0.4; got ${F.fmt(stds)}`,
    ).toBeLessThan(0.4)
  })
  it('law: with gain √2 a ReLU stack keeps the size (root mean square) of its activations; with gain 1 it halves the variance per layer', () => {
    // widths of 200 to 300 keep layer 6's size within about 6 of its log-standard deviations of the bounds
    fc.assert(
      fc.property(seed, fc.integer({ min: 200, max: 300 }), (s, width) => {
        const x = F.inputs(200, width, s)
        const withGain = forwardStack(
          x,
          initStack(Array(7).fill(width), (fanIn) => kaimingStd(fanIn, 'relu'), s + 1),
          'relu',
        ).map(rms)
        const withoutGain = forwardStack(
          x,
          initStack(Array(7).fill(width), (fanIn) => 1 / Math.sqrt(fanIn), s + 1),
          'relu',
        ).map(rms)
        const message = `width ${width}: with gain √2 the root mean square of ReLU outputs should stay near 1, between 0.5 and 2 at layer 6; got ${F.fmt(withGain)}`
        expect(withGain[5], message).toBeGreaterThan(0.5)
        expect(withGain[5], message).toBeLessThan(2)
        expect(
          withoutGain[5],
          `width ${width}: without the gain it should fall by about √2 per layer, below 0.3 by layer 6; got ${F.fmt(withoutGain)}`,
        ).toBeLessThan(0.3)
      }),
      F.runs(3),
    )
  })
})

describe('4. the reference laws: every function agrees with the reference answer on inputs of every shape, sign and size', () => {
  const fanIn = fc.oneof(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 1_000_000 }))
  const std = fc.oneof(L.anyValue().map(Math.abs), fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true }))
  // every rule a caller may pass: Kaiming's, a constant (0 and a negative one too), one that grows with the fan-in
  const weightStd = fc.constantFrom<(fanIn: number) => number>(
    (n) => 1 / Math.sqrt(n),
    (n) => 5 / 3 / Math.sqrt(n),
    (n) => Math.SQRT2 / Math.sqrt(n),
    () => 0,
    () => 1,
    () => -0.5,
    (n) => n,
    (n) => 1 / n,
  )
  // widths of 1 to 8, odd ones too; a fan-out is even unless its fan-in is 1, because the checks accept
  // a weight drawn row by row as well as whole (randn draws its normals in pairs, so the two agree then)
  const widths = fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }).map((ws) => {
    const out = [ws[0]]
    for (let l = 1; l < ws.length; l++) out.push(out[l - 1] === 1 ? ws[l] : ws[l] + (ws[l] % 2))
    return out
  })
  const stack = fc
    .tuple(fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 5 }))
    .chain(([ws, n]) =>
      fc.tuple(
        L.tensorShaped([n, ws[0]]),
        fc.tuple(...ws.slice(1).map((w, l) => L.tensorShaped([ws[l], w], L.anyValue(3)))),
        nonlinearity,
      ),
    )
  const laws = [
    R.law('linearVarianceGain', linearVarianceGain, reference.linearVarianceGain, fc.tuple(fanIn, std), [
      'fanIn',
      'weightStd',
    ]),
    R.law('gain', gain, reference.gain, fc.tuple(nonlinearity), ['nonlinearity']),
    R.law('kaimingStd', kaimingStd, reference.kaimingStd, fc.tuple(fanIn, nonlinearity), ['fanIn', 'nonlinearity']),
    R.law('initStack', initStack, reference.initStack, fc.tuple(widths, weightStd, L.anySeed), [
      'widths',
      'weightStd',
      'seed',
    ]),
    // tanh is the engine's (within 4 ulps of Math.tanh, which a learner may call instead): the few ulps,
    // carried through up to three more layers of weights up to 3 and width 7, stay below 1e-9
    R.law('forwardStack', forwardStack, reference.forwardStack, stack, ['x', 'weights', 'nonlinearity'], {
      tolerance: { relative: 1e-9, absolute: 1e-9 },
    }),
  ]
  R.describeLaws(laws, it)
})

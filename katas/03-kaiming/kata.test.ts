import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { evalRng, randnTensor, seedRng } from '../../lib/random.ts'
import { matmul, relu, scale, stdAll, tanh } from '../../lib/ops.ts'
import type { Tensor } from '../../lib/tensor.ts'
import { relativeError } from '../../lib/gradcheck.ts'
import { forwardStack, gain, initStack, kaimingStd, linearVarianceGain } from './kata.ts'

/** fast-check settings: stop at the first failing example rather than shrink it, so a wrong answer fails fast in watch mode. */
const runs = (numRuns: number) => ({ numRuns, endOnFailure: true })
const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 })

const variance = (t: Tensor): number => stdAll(t) ** 2
const rms = (t: Tensor): number => Math.sqrt(t.data.reduce((s, v) => s + v * v, 0) / t.data.length)
/** A batch of `n` inputs of `width` standard normal features: variance 1, as the embeddings are. */
const inputs = (n: number, width: number, s: number): Tensor => evalRng(randnTensor([n, width]), s)
const fmt = (xs: readonly number[]) => xs.map((x) => x.toPrecision(3)).join(', ')

describe('1. the variance of one linear layer', () => {
  it('100 inputs of variance 1 through weights of std 1 roar at variance 100; std 0.1 brings them back to 1', () => {
    expect(linearVarianceGain(100, 1), 'Var(y) = fan_in · std² · Var(x): 100 · 1² = 100').toBeCloseTo(100, 9)
    expect(linearVarianceGain(100, 0.1), 'Var(y) = fan_in · std² · Var(x): 100 · 0.1² = 1').toBeCloseTo(1, 9)
    expect(linearVarianceGain(30, 0.2), "the lecture's W1 × 0.2 on 30 inputs: 30 · 0.04 = 1.2").toBeCloseTo(1.2, 9)
  })
  it('law: Var(x @ W) / Var(x) = fan_in · std², as measured on random inputs and weights', () => {
    fc.assert(fc.property(fc.integer({ min: 10, max: 100 }), fc.double({ min: 0.01, max: 1, noNaN: true }), seed, (fanIn, std, s) => {
      const x = inputs(200, fanIn, s)
      const W = scale(evalRng(randnTensor([fanIn, 40]), s + 1), std)
      const measured = variance(matmul(x, W)) / variance(x)
      const predicted = linearVarianceGain(fanIn, std)
      expect(Math.abs(predicted / measured - 1), `fan_in ${fanIn}, weight std ${std.toPrecision(3)}: measured a variance gain of ${measured.toPrecision(3)}, predicted ${predicted.toPrecision(3)}; it is fan_in · std²`)
        .toBeLessThan(0.25)
    }), runs(10))
  })
})

describe('2. gains and the Kaiming std', () => {
  it('the gains: linear 1, tanh 5/3, relu √2', () => {
    expect(gain('linear'), 'a layer with no non-linearity needs no gain').toBe(1)
    expect(gain('tanh'), "tanh's gain is 5/3: it squashes, so the weights must be a little louder").toBeCloseTo(5 / 3, 12)
    expect(gain('relu'), "ReLU's gain is √2: it zeroes half its inputs and halves the variance, and a variance gain of 2 is a std gain of √2")
      .toBeCloseTo(Math.SQRT2, 12)
  })
  it("the lecture's hidden layer: 30 inputs followed by tanh get std (5/3)/√30 ≈ 0.3043", () => {
    expect(kaimingStd(30, 'tanh'), "the lecture's (5/3)/√30 = 0.3043: Kaiming's std is gain / √fan_in; include the gain, and divide by √fan_in, not fan_in")
      .toBeCloseTo(0.3043, 4)
  })
  it('law: std = gain / √fan_in, so with gain 1 a linear layer conserves the variance exactly', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000 }), fc.constantFrom('linear' as const, 'tanh' as const, 'relu' as const), (fanIn, nl) => {
      expect(kaimingStd(fanIn, nl) * Math.sqrt(fanIn), `kaimingStd(${fanIn}, '${nl}') · √${fanIn} should be the gain: divide by √fan_in, not fan_in`).toBeCloseTo(gain(nl), 10)
      expect(linearVarianceGain(fanIn, kaimingStd(fanIn, 'linear')), 'fan_in · (1/√fan_in)² = 1: the variance is conserved').toBeCloseTo(1, 10)
    }), runs(50))
  })
})

describe('3. deep stacks', () => {
  it('initStack gives one weight [widths[l], widths[l+1]] per layer, drawn as randn × weightStd(fan-in)', () => {
    const weights = initStack([400, 25, 100], (fanIn) => 1 / Math.sqrt(fanIn), 1)
    expect(weights.map((w) => w.shape), 'widths [400, 25, 100] give two weights, [400, 25] and [25, 100]').toEqual([[400, 25], [25, 100]])
    expect(stdAll(weights[0]), "layer 1 has 400 inputs: its std is weightStd(400) = 0.05 (the fan-in (the rows of W), not the fan-out)").toBeCloseTo(0.05, 2)
    expect(stdAll(weights[1]), 'layer 2 has 25 inputs: its std is weightStd(25) = 0.2').toBeGreaterThan(0.17)
    expect(stdAll(weights[1]), 'layer 2 has 25 inputs: its std is weightStd(25) = 0.2').toBeLessThan(0.23)
  })
  it('initStack with the same seed gives the same weights, and another seed others', () => {
    const a = initStack([10, 10, 10], () => 1, 3), b = initStack([10, 10, 10], () => 1, 3), c = initStack([10, 10, 10], () => 1, 4)
    expect(a.map((w) => Array.from(w.data)), 'seed 3 twice must give the same weights: draw from seedRng(seed)').toEqual(b.map((w) => Array.from(w.data)))
    expect(a.map((w) => Array.from(w.data)), 'seeds 3 and 4 must give different weights').not.toEqual(c.map((w) => Array.from(w.data)))
    expect(Array.from(a[0].data), 'each layer draws its own numbers: layer 2 is not a copy of layer 1').not.toEqual(Array.from(a[1].data))
  })
  it('forwardStack applies x = f(x @ W) layer after layer and returns every output', () => {
    fc.assert(fc.property(seed, fc.constantFrom('linear' as const, 'tanh' as const, 'relu' as const), (s, nl) => {
      const [x, s1] = randnTensor([5, 4])(seedRng(s))
      const [w1, s2] = randnTensor([4, 3])(s1)
      const [w2] = randnTensor([3, 6])(s2)
      const f = { linear: (t: Tensor) => t, tanh, relu }[nl]
      const first = f(matmul(x, w1)), second = f(matmul(first, w2))
      const outs = forwardStack(x, [w1, w2], nl)
      expect(outs.length, 'one output per layer').toBe(2)
      expect(relativeError(outs[0].data, first.data), `layer 1 should output ${nl === 'linear' ? 'x @ W1' : `${nl}(x @ W1)`}`).toBeLessThan(1e-12)
      expect(relativeError(outs[1].data, second.data), `layer 2 should output ${nl === 'linear' ? 'h1 @ W2' : `${nl}(h1 @ W2)`}, fed with layer 1's output`).toBeLessThan(1e-12)
    }), runs(20))
  })
  it("the lecture's table, weights too large: with std √(10/fan_in) the variance grows ×10 per layer and explodes", () => {
    const outs = forwardStack(inputs(200, 100, 5), initStack(Array(6).fill(100), (fanIn) => Math.sqrt(10 / fanIn), 6), 'linear')
    const variances = outs.map(variance)
    variances.forEach((v, l) => {
      const ratio = v / (l === 0 ? 1 : variances[l - 1])
      expect(ratio, `layer ${l + 1}: the variance should grow ×10 per layer (10, 100, 1000, ...); got ${fmt(variances)}`).toBeGreaterThan(7)
      expect(ratio, `layer ${l + 1}: the variance should grow ×10 per layer (10, 100, 1000, ...); got ${fmt(variances)}`).toBeLessThan(14)
    })
  })
  it("the lecture's table, weights too small: with std √(0.1/fan_in) the variance shrinks ×0.1 per layer and vanishes", () => {
    const outs = forwardStack(inputs(200, 100, 7), initStack(Array(6).fill(100), (fanIn) => Math.sqrt(0.1 / fanIn), 8), 'linear')
    const variances = outs.map(variance)
    variances.forEach((v, l) => {
      const ratio = v / (l === 0 ? 1 : variances[l - 1])
      expect(ratio, `layer ${l + 1}: the variance should shrink ×0.1 per layer (0.1, 0.01, 0.001, ...); got ${fmt(variances)}`).toBeGreaterThan(0.07)
      expect(ratio, `layer ${l + 1}: the variance should shrink ×0.1 per layer (0.1, 0.01, 0.001, ...); got ${fmt(variances)}`).toBeLessThan(0.14)
    })
  })
  it('Kaiming (gain 1) holds a linear stack at variance about 1 through 10 layers', () => {
    const outs = forwardStack(inputs(200, 100, 9), initStack(Array(11).fill(100), (fanIn) => kaimingStd(fanIn, 'linear'), 10), 'linear')
    const variances = outs.map(variance)
    expect(variances.every((v) => v > 0.6 && v < 1.6), `every layer's variance should stay near 1 with std 1/√fan_in; got ${fmt(variances)}`).toBe(true)
  })
  it('law: with gain 5/3 a tanh stack keeps its activations alive, std about 0.65 from layer 2 on, whatever the seed and width', () => {
    fc.assert(fc.property(seed, fc.integer({ min: 64, max: 160 }), (s, width) => {
      const outs = forwardStack(inputs(100, width, s), initStack(Array(7).fill(width), (fanIn) => kaimingStd(fanIn, 'tanh'), s + 1), 'tanh')
      const stds = outs.map((t) => stdAll(t))
      expect(stds.slice(1).every((v) => v > 0.55 && v < 0.78), `width ${width}: with gain 5/3 the std of every tanh layer after the first should settle near 0.65; got ${fmt(stds)}`)
        .toBe(true)
      expect(stds[5] / stds[1], `width ${width}: the std should hold steady from layer 2 to layer 6 with the gain; got ${fmt(stds)}`).toBeGreaterThan(0.85)
    }), runs(6))
  })
  it('without the gain (std 1/√fan_in) the same tanh stack fades: each layer whispers more quietly than the last', () => {
    const outs = forwardStack(inputs(100, 128, 11), initStack(Array(7).fill(128), (fanIn) => kaimingStd(fanIn, 'linear'), 12), 'tanh')
    const stds = outs.map((t) => stdAll(t))
    expect(stds[5], `tanh squashes, and with gain 1 nothing makes up for it: by layer 6 the std should fall below 0.4; got ${fmt(stds)}`).toBeLessThan(0.4)
  })
  it('law: with gain √2 a ReLU stack keeps the size (root mean square) of its activations; with gain 1 it halves the variance per layer', () => {
    fc.assert(fc.property(seed, fc.integer({ min: 80, max: 150 }), (s, width) => {
      const x = inputs(100, width, s)
      const withGain = forwardStack(x, initStack(Array(7).fill(width), (fanIn) => kaimingStd(fanIn, 'relu'), s + 1), 'relu').map(rms)
      const withoutGain = forwardStack(x, initStack(Array(7).fill(width), (fanIn) => 1 / Math.sqrt(fanIn), s + 1), 'relu').map(rms)
      expect(withGain[5] > 0.5 && withGain[5] < 2, `width ${width}: with gain √2 the root mean square of ReLU outputs should stay near 1; got ${fmt(withGain)}`).toBe(true)
      expect(withoutGain[5], `width ${width}: without the gain it should fall by about √2 per layer, below 0.3 by layer 6; got ${fmt(withoutGain)}`).toBeLessThan(0.3)
    }), runs(3))
  })
})

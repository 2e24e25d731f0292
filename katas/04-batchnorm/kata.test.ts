import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { mean as meanAlong, variance as varianceAlong } from '../../lib/ops.ts'
import { batchNorm1d, embedding, forward, initModel, linear, parameterCount, tanhLayer, type LayerSpec, type Model } from '../../lib/nn.ts'
import { scaledNormal } from '../../lib/init.ts'
import { evalRng, randint } from '../../lib/random.ts'
import { full, matrix, row, vector, type Tensor } from '../../lib/tensor.ts'
import { tensorOf } from '../../lib/arbitraries.ts'
import { relativeError, vjpErrors } from '../../lib/gradcheck.ts'
import {
  batchNormBackward, batchNormEval, batchNormTrain, batchStatistics, removeBiasBeforeBatchNorm, updateRunningStatistics,
  type BatchNormParams, type Statistics,
} from './kata.ts'

/** fast-check settings: stop at the first failing example rather than shrink it, so a wrong answer fails fast in watch mode. */
const runs = (numRuns: number) => ({ numRuns, endOnFailure: true })

const EPS = 1e-5
const fresh = (f: number): Statistics => ({ mean: full([f], 0), variance: full([f], 1) })
const column = (t: Tensor, j: number): number[] => Array.from({ length: t.shape[0] }, (_, i) => t.data[i * t.shape[1] + j])
const meanOf = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length
const varianceOf = (xs: number[]) => meanOf(xs.map((v) => (v - meanOf(xs)) ** 2))

/** A batch [N, F] (N from 2 to 8, F from 1 to 4) whose features all vary (variance > 0.01), with gamma and beta. */
const batchArb = fc.tuple(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 1, max: 4 })).chain(([n, f]) =>
  fc.record({
    x: tensorOf([n, f], 2).filter((x) => Array.from({ length: f }, (_, j) => varianceOf(column(x, j))).every((v) => v > 0.01)),
    gamma: tensorOf([f], 2),
    beta: tensorOf([f], 2),
  }))

describe('1. batch statistics', () => {
  it('each feature (column) gets the mean and the variance of its values over the batch, dividing by N', () => {
    const { mean, variance } = batchStatistics(matrix([[1, 10], [3, 20], [5, 60]]))
    expect(Array.from(mean.data), 'the mean of each column: [3, 30]').toEqual([3, 30])
    expect(variance.shape, 'one variance per feature: shape [2]').toEqual([2])
    expect(variance.data[0], 'the variance of column [1, 3, 5] is (4 + 0 + 4) / 3: divide by N (the biased variance BatchNorm uses in training), not N - 1').toBeCloseTo(8 / 3, 12)
    expect(variance.data[1], 'the variance of column [10, 20, 60] is (400 + 100 + 900) / 3').toBeCloseTo(1400 / 3, 9)
  })
  it('law: they agree with the per-column mean and biased variance of any batch', () => {
    fc.assert(fc.property(batchArb, ({ x }) => {
      const { mean, variance } = batchStatistics(x)
      expect(relativeError(mean.data, meanAlong(x, 0, { keepdims: false }).data), 'mean_j = (1/N) sum_i x_ij, per column').toBeLessThan(1e-12)
      expect(relativeError(variance.data, varianceAlong(x, 0, { keepdims: false }).data), 'variance_j = (1/N) sum_i (x_ij - mean_j)², per column (divide by N)').toBeLessThan(1e-12)
    }), runs(40))
  })
})

describe('2. training mode', () => {
  it('normalises each feature with its batch mean and std, then scales by gamma and shifts by beta', () => {
    const x = matrix([[1, 10], [3, 20], [5, 60]])
    const params: BatchNormParams = { gamma: vector([2, 1]), beta: vector([0.5, -1]) }
    const { out } = batchNormTrain(x, params, fresh(2), { eps: 0, momentum: 0.1 })
    const s = Math.sqrt(8 / 3)
    const expected = [2 * (-2 / s) + 0.5, 2 * (0 / s) + 0.5, 2 * (2 / s) + 0.5]
    expect(out.shape, 'the output has the shape of x').toEqual([3, 2])
    expect(relativeError(column(out, 0), expected), 'feature 0: gamma · (x - mean) / √(variance + eps) + beta with mean 3, variance 8/3, gamma 2, beta 0.5').toBeLessThan(1e-12)
  })
  it('law: every feature comes out with mean beta and std gamma (up to eps): graded on the curve', () => {
    fc.assert(fc.property(batchArb, ({ x, gamma, beta }) => {
      const { out } = batchNormTrain(x, { gamma, beta }, fresh(gamma.data.length), { eps: EPS, momentum: 0.1 })
      for (let j = 0; j < gamma.data.length; j++) {
        const v = varianceOf(column(x, j))
        expect(meanOf(column(out, j)), `feature ${j}: the mean of the output should be beta = ${beta.data[j].toFixed(4)}`).toBeCloseTo(beta.data[j], 9)
        expect(Math.sqrt(varianceOf(column(out, j))), `feature ${j}: the std of the output should be |gamma| = ${Math.abs(gamma.data[j]).toFixed(4)} (times √(var/(var + eps)))`)
          .toBeCloseTo(Math.abs(gamma.data[j]) * Math.sqrt(v / (v + EPS)), 9)
      }
    }), runs(40))
  })
  it("normalises with THIS batch's statistics: the running statistics play no part in the training output", () => {
    const x = matrix([[1, 10], [3, 20], [5, 60]])
    const params: BatchNormParams = { gamma: vector([1, 1]), beta: vector([0, 0]) }
    const odd: Statistics = { mean: vector([100, -100]), variance: vector([50, 0.01]) }
    const a = batchNormTrain(x, params, fresh(2), { eps: EPS, momentum: 0.1 }).out
    const b = batchNormTrain(x, params, odd, { eps: EPS, momentum: 0.1 }).out
    expect(Array.from(b.data), "in training, BatchNorm normalises with this batch's mean and variance, not the running statistics").toEqual(Array.from(a.data))
  })
  it('returns the running statistics moved one step (momentum) towards this batch', () => {
    const x = matrix([[1, 10], [3, 20], [5, 60]])
    const { running } = batchNormTrain(x, { gamma: vector([1, 1]), beta: vector([0, 0]) }, fresh(2), { eps: EPS, momentum: 0.1 })
    expect(relativeError(running.mean.data, [0.1 * 3, 0.1 * 30]), 'running mean: 0.9 · 0 + 0.1 · batch mean').toBeLessThan(1e-12)
    expect(relativeError(running.variance.data, [0.9 + 0.1 * (8 / 3), 0.9 + 0.1 * (1400 / 3)]), 'running variance: 0.9 · 1 + 0.1 · batch variance').toBeLessThan(1e-12)
  })
  it('law: adding a bias b_j to every example of a feature leaves the output unchanged: the mean takes it away', () => {
    fc.assert(fc.property(batchArb.chain((b) => fc.record({ b: fc.constant(b), bias: tensorOf([b.gamma.data.length], 5) })), ({ b: { x, gamma, beta }, bias }) => {
      const [n, f] = x.shape
      const shifted: Tensor = { shape: x.shape, data: x.data.map((v, k) => v + bias.data[k % f]) }
      const opts = { eps: EPS, momentum: 0.1 }
      const a = batchNormTrain(x, { gamma, beta }, fresh(f), opts).out
      const c = batchNormTrain(shifted, { gamma, beta }, fresh(f), opts).out
      expect(relativeError(c.data, a.data), `${n} examples: x + bias must give the same output as x, since BatchNorm subtracts the batch mean (bias included)`).toBeLessThan(1e-9)
    }), runs(30))
  })
})

describe('3. running statistics and evaluation mode', () => {
  it('momentum is the weight of the new batch: 0.1 moves the running mean 0 a tenth of the way to 10', () => {
    const r = updateRunningStatistics({ mean: vector([0]), variance: vector([1]) }, { mean: vector([10]), variance: vector([5]) }, 0.1)
    expect(r.mean.data[0], 'momentum is the weight of the NEW batch: running = (1 - momentum) · running + momentum · batch = 0.9 · 0 + 0.1 · 10').toBeCloseTo(1, 12)
    expect(r.variance.data[0], 'the variance moves the same way: 0.9 · 1 + 0.1 · 5').toBeCloseTo(1.4, 12)
  })
  it('momentum 0 keeps the running statistics; momentum 1 replaces them with the batch', () => {
    const running: Statistics = { mean: vector([1, 2]), variance: vector([3, 4]) }
    const batch: Statistics = { mean: vector([5, 6]), variance: vector([7, 8]) }
    const kept = updateRunningStatistics(running, batch, 0), replaced = updateRunningStatistics(running, batch, 1)
    expect([...kept.mean.data, ...kept.variance.data], 'momentum 0: the new batch has no weight').toEqual([1, 2, 3, 4])
    expect([...replaced.mean.data, ...replaced.variance.data], 'momentum 1: only the new batch counts').toEqual([5, 6, 7, 8])
  })
  it('law: fed the same batch statistics again and again, the running statistics converge to them', () => {
    fc.assert(fc.property(tensorOf([3], 5), tensorOf([3], 2), fc.double({ min: 0.05, max: 0.5, noNaN: true }), (m, v, momentum) => {
      const batch: Statistics = { mean: m, variance: { shape: [3], data: v.data.map((x) => x * x + 0.1) } }
      let running = fresh(3)
      for (let k = 0; k < 400; k++) running = updateRunningStatistics(running, batch, momentum)
      expect(relativeError(running.mean.data, batch.mean.data), `momentum ${momentum.toFixed(3)}: after 400 updates the running mean should equal the batch mean`).toBeLessThan(1e-6)
      expect(relativeError(running.variance.data, batch.variance.data), 'and the running variance the batch variance').toBeLessThan(1e-6)
    }), runs(20))
  })
  it('evaluation mode normalises with the running statistics: mean 1, variance 4, gamma 2, beta 1 take 3 to 3', () => {
    const out = batchNormEval(matrix([[3]]), { gamma: vector([2]), beta: vector([1]) }, { mean: vector([1]), variance: vector([4]) }, 0)
    expect(out.data[0], 'gamma · (x - running mean) / √(running variance + eps) + beta = 2 · (3 - 1) / 2 + 1').toBeCloseTo(3, 12)
  })
  it("in evaluation mode an example's output depends on that example alone, so a batch of one works", () => {
    const x = matrix([[1, 10], [3, 20], [5, 60]])
    const params: BatchNormParams = { gamma: vector([1.5, 0.5]), beta: vector([0, 1]) }
    const running: Statistics = { mean: vector([2, 25]), variance: vector([2, 300]) }
    const all = batchNormEval(x, params, running, EPS)
    for (let i = 0; i < 3; i++) {
      const alone = batchNormEval(matrix([Array.from(row(x, i).data)]), params, running, EPS)
      expect(Array.from(alone.data).every(Number.isFinite), `example ${i} alone must give finite numbers`).toBe(true)
      expect(relativeError(alone.data, row(all, i).data), `example ${i}: in evaluation mode, use the running statistics: an example's output must not depend on the rest of the batch`)
        .toBeLessThan(1e-12)
    }
  })
  it("with running statistics equal to a batch's own, evaluation gives what training gives on that batch", () => {
    fc.assert(fc.property(batchArb, ({ x, gamma, beta }) => {
      const stats = batchStatistics(x)
      const train = batchNormTrain(x, { gamma, beta }, fresh(gamma.data.length), { eps: EPS, momentum: 0.1 }).out
      expect(relativeError(batchNormEval(x, { gamma, beta }, stats, EPS).data, train.data), 'eval with the batch statistics should equal train').toBeLessThan(1e-12)
    }), runs(20))
  })
})

describe('4. backward', () => {
  const forwardOf = ([x, gamma, beta]: Tensor[]) => batchNormTrain(x, { gamma, beta }, fresh(gamma.data.length), { eps: EPS, momentum: 0.1 }).out
  const backwardOf = ([x, gamma]: Tensor[], g: Tensor) => {
    const { dx, dgamma, dbeta } = batchNormBackward(x, gamma, g, EPS)
    return [dx, dgamma, dbeta]
  }
  it('law: dx, dgamma and dbeta match central differences of the training-mode forward', () => {
    fc.assert(fc.property(batchArb.chain((b) => fc.record({ b: fc.constant(b), g: tensorOf(b.x.shape, 2) })), ({ b: { x, gamma, beta }, g }) => {
      // h = 1e-4: the differences of a normalised batch lose digits to cancellation at smaller steps
      const [ex, egamma, ebeta] = vjpErrors(forwardOf, backwardOf, [x, gamma, beta], g, 1e-4)
      expect(ebeta, 'dbeta disagrees with central differences: dbeta_j = sum_i dout_ij').toBeLessThan(1e-6)
      expect(egamma, 'dgamma disagrees with central differences: dgamma_j = sum_i dout_ij · xhat_ij').toBeLessThan(1e-6)
      expect(ex, 'dx disagrees with central differences: it must flow through the batch mean and variance too (the - dbeta_j and - xhat_ij · dgamma_j terms)')
        .toBeLessThan(1e-3)
    }), runs(25))
  })
  it('law: for every feature, dx sums to zero over the batch: a bias before BatchNorm gets no gradient', () => {
    fc.assert(fc.property(batchArb.chain((b) => fc.record({ b: fc.constant(b), g: tensorOf(b.x.shape, 2) })), ({ b: { x, gamma }, g }) => {
      const { dx } = batchNormBackward(x, gamma, g, EPS)
      for (let j = 0; j < gamma.data.length; j++) {
        const total = column(dx, j).reduce((s, v) => s + v, 0)
        expect(Math.abs(total), `feature ${j}: the gradient of a bias b_j added before BatchNorm is sum_i dx_ij, and it must be 0 (it must flow through the batch mean and variance too)`)
          .toBeLessThan(1e-9)
      }
    }), runs(25))
  })
})

describe('5. no bias before BatchNorm', () => {
  const withBiases: LayerSpec[] = [
    embedding(27, 10, 3),
    linear(30, 50, { biasInit: scaledNormal(1) }), batchNorm1d(50), tanhLayer(),
    linear(50, 50, { biasInit: scaledNormal(1) }), batchNorm1d(50), tanhLayer(),
    linear(50, 27, { biasInit: scaledNormal(1) }),
  ]
  it('removes the bias of exactly the Linear layers that feed a BatchNorm, and keeps every other layer as it was', () => {
    const out = removeBiasBeforeBatchNorm(withBiases)
    expect(out.map((l) => l.kind), 'the same layers in the same order').toEqual(withBiases.map((l) => l.kind))
    expect(out.map((l) => (l.kind === 'linear' ? l.bias : null)), 'the two Linear layers before a BatchNorm lose their bias; the last Linear (before nothing) keeps it')
      .toEqual([null, false, null, null, false, null, null, true])
    expect(out[2], 'BatchNorm layers are kept as they were').toEqual(withBiases[2])
    expect(withBiases[1].kind === 'linear' && withBiases[1].bias, 'the layers passed in must not change').toBe(true)
  })
  it('the net without those biases computes the same logits with fewer parameters', () => {
    const full: Model = evalRng(initModel(withBiases), 1)
    const lean: Model = evalRng(initModel(removeBiasBeforeBatchNorm(withBiases)), 1)
    // the same weights in both, so only the removed biases differ
    const sameWeights: Model = { ...lean, params: Object.fromEntries(Object.keys(lean.params).map((k) => [k, full.params[k]])) }
    const X = evalRng(randint(0, 27, 16 * 3), 2)
    const a = forward(full, X, 'train').logits, b = forward(sameWeights, X, 'train').logits
    expect(relativeError(a.data, b.data), 'the logits must not change when the biases before BatchNorm go: BatchNorm subtracted them anyway').toBeLessThan(1e-12)
    expect(parameterCount(full) - parameterCount(lean), 'two biases of 50 numbers each are gone').toBe(100)
  })
})

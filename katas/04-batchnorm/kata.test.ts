import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  batchNormBackward,
  batchNormEval,
  batchNormTrain,
  batchStatistics,
  removeBiasBeforeBatchNorm,
  updateRunningStatistics,
} from './kata.ts'
import type { BatchNormParams, Statistics } from './types.ts'
import * as F from './feedback.ts'
import { batchArb, column } from './feedback.ts'
import { reluLayer } from '../../lib/model/nn.ts'
import * as reference from '../../solutions/04-batchnorm/kata.ts'
import * as R from '../../lib/course/reference.ts'
import * as L from '../../lib/course/law-inputs.ts'

describe('1. batch statistics', () => {
  it('each feature (column) gets the mean and the variance of its values over the batch, dividing by N', () => {
    const { mean, variance } = batchStatistics(
      F.matrix([
        [1, 10],
        [3, 20],
        [5, 60],
      ]),
    )
    expect(Array.from(mean.data), 'the mean of each column: [3, 30]').toEqual([3, 30])
    expect(variance.shape, 'one variance per feature: shape [2]').toEqual([2])
    expect(
      variance.data[0],
      'the variance of column [1, 3, 5] is (4 + 0 + 4) / 3: divide by N (the biased variance BatchNorm uses in training), not N - 1',
    ).toBeCloseTo(8 / 3, 12)
    expect(variance.data[1], 'the variance of column [10, 20, 60] is (400 + 100 + 900) / 3').toBeCloseTo(1400 / 3, 9)
  })
  it('law: they agree with the per-column mean and biased variance of any batch', () => {
    fc.assert(
      fc.property(batchArb, ({ x }) => {
        const { mean, variance } = batchStatistics(x)
        F.expectRelativeError(
          mean.data,
          F.meanAlong(x, 0, { keepdims: false }).data,
          1e-12,
          'mean_j = (1/N) sum_i x_ij, per column',
          "your means and the columns' means",
        )
        F.expectRelativeError(
          variance.data,
          F.varianceAlong(x, 0, { keepdims: false }).data,
          1e-12,
          'variance_j = (1/N) sum_i (x_ij - mean_j)², per column (divide by N)',
          "your variances and the columns' biased variances",
        )
      }),
      F.runs(40),
    )
  })
})

/**
 * What a feature's output std of `std` says, when |gamma| · √(var/(var + eps)) was expected: the classic slips
 * (no eps, eps outside the square root, the variance divided by N - 1) each give their own std.
 */
const stdVerdict = (std: number, absGamma: number, v: number, n: number): string => {
  const want = absGamma * Math.sqrt(v / (v + F.EPS))
  const slips: [number, string][] = [
    [
      absGamma,
      `is exactly |gamma| = ${absGamma.toFixed(4)}, as if eps were 0: normalise by √(var + eps), eps inside the square root (the lecture's 1e-5), which keeps a feature with no spread from dividing by zero`,
    ],
    [
      (absGamma * Math.sqrt(v)) / (Math.sqrt(v) + F.EPS),
      "is |gamma| · √var / (√var + eps): eps is outside the square root; normalise by √(var + eps), eps inside it (the lecture's 1e-5)",
    ],
    [
      absGamma * Math.sqrt(v / ((v * n) / (n - 1) + F.EPS)),
      'is |gamma| · √((N - 1)/N): the variance was divided by N - 1; in training BatchNorm divides by N (see batchStatistics)',
    ],
  ]
  const [nearest, verdict] = slips.reduce((a, b) => (Math.abs(std - b[0]) < Math.abs(std - a[0]) ? b : a))
  return Math.abs(std - nearest) < 5e-10
    ? verdict
    : `should be |gamma| · √(var/(var + eps)) = ${want} (|gamma| = ${absGamma.toFixed(4)}): xhat = (x - mean) / √(var + eps) has std √(var/(var + eps)), just under 1`
}

describe('2. training mode', () => {
  it('normalises each feature with its batch mean and std, then scales by gamma and shifts by beta', () => {
    const x = F.matrix([
      [1, 10],
      [3, 20],
      [5, 60],
    ])
    const params: BatchNormParams = { gamma: F.vector([2, 1]), beta: F.vector([0.5, -1]) }
    const { out } = batchNormTrain(x, params, F.fresh(2), { eps: 0, momentum: 0.1 })
    const s = Math.sqrt(8 / 3)
    const expected = [2 * (-2 / s) + 0.5, 2 * (0 / s) + 0.5, 2 * (2 / s) + 0.5]
    expect(out.shape, 'the output has the shape of x').toEqual([3, 2])
    F.expectRelativeError(
      column(out, 0),
      expected,
      1e-12,
      'feature 0: gamma · (x - mean) / √(variance + eps) + beta with mean 3, variance 8/3, gamma 2, beta 0.5, eps 0',
      'your feature 0 and the expected one',
    )
  })
  it('law: every feature comes out with mean beta and std gamma (up to eps): graded on the curve', () => {
    fc.assert(
      fc.property(batchArb, ({ x, gamma, beta }) => {
        const { out } = batchNormTrain(x, { gamma, beta }, F.fresh(gamma.data.length), { eps: F.EPS, momentum: 0.1 })
        for (let j = 0; j < gamma.data.length; j++) {
          const v = F.varianceOf(column(x, j)),
            absGamma = Math.abs(gamma.data[j])
          expect(
            F.meanOf(column(out, j)),
            `feature ${j}: the mean of the output should be beta = ${beta.data[j].toFixed(4)}`,
          ).toBeCloseTo(beta.data[j], 9)
          const std = Math.sqrt(F.varianceOf(column(out, j)))
          expect(std, `feature ${j}: the std of the output ${stdVerdict(std, absGamma, v, x.shape[0])}`).toBeCloseTo(
            absGamma * Math.sqrt(v / (v + F.EPS)),
            9,
          )
        }
      }),
      F.runs(40),
    )
  })
  it('a feature with no spread (every example equal, variance 0) comes out as beta, not NaN: eps keeps √(var + eps) above 0', () => {
    const x = F.matrix([
      [2, 1],
      [2, 3],
      [2, 5],
      [2, 7],
    ])
    const { out } = batchNormTrain(x, { gamma: F.vector([1.5, 1]), beta: F.vector([0.7, 0]) }, F.fresh(2), {
      eps: F.EPS,
      momentum: 0.1,
    })
    const got = column(out, 0)
    for (const value of got) {
      expect(
        value,
        `feature 0 has no spread (every example is 2, variance 0), so every output should be beta = 0.7; got [${got.join(', ')}]. ` +
          "Normalise by √(var + eps), eps inside the square root (the lecture's 1e-5), which keeps a feature with no spread from dividing by zero",
      ).toBeCloseTo(0.7, 9)
    }
  })
  it("normalises with THIS batch's statistics: the running statistics play no part in the training output", () => {
    const x = F.matrix([
      [1, 10],
      [3, 20],
      [5, 60],
    ])
    const params: BatchNormParams = { gamma: F.vector([1, 1]), beta: F.vector([0, 0]) }
    const odd: Statistics = { mean: F.vector([100, -100]), variance: F.vector([50, 0.01]) }
    const a = batchNormTrain(x, params, F.fresh(2), { eps: F.EPS, momentum: 0.1 }).out
    const b = batchNormTrain(x, params, odd, { eps: F.EPS, momentum: 0.1 }).out
    expect(
      Array.from(b.data),
      "in training, BatchNorm normalises with this batch's mean and variance, not the running statistics",
    ).toEqual(Array.from(a.data))
  })
  it('returns the running statistics moved one step (momentum) towards this batch', () => {
    const x = F.matrix([
      [1, 10],
      [3, 20],
      [5, 60],
    ])
    const { running } = batchNormTrain(x, { gamma: F.vector([1, 1]), beta: F.vector([0, 0]) }, F.fresh(2), {
      eps: F.EPS,
      momentum: 0.1,
    })
    F.expectRelativeError(
      running.mean.data,
      [0.1 * 3, 0.1 * 30],
      1e-12,
      'running mean: 0.9 · 0 + 0.1 · batch mean',
      'your running mean and [0.3, 3]',
    )
    F.expectRelativeError(
      running.variance.data,
      [0.9 + 0.1 * (8 / 3), 0.9 + 0.1 * (1400 / 3)],
      1e-12,
      'running variance: 0.9 · 1 + 0.1 · batch variance',
      'your running variance and the expected one',
    )
  })
  it('law: adding a bias b_j to every example of a feature leaves the output unchanged: the mean takes it away', () => {
    fc.assert(
      fc.property(
        batchArb.chain((b) => fc.record({ b: fc.constant(b), bias: F.tensorOf([b.gamma.data.length], 5) })),
        ({ b: { x, gamma, beta }, bias }) => {
          const [n, f] = x.shape
          const shifted: F.Tensor = { shape: x.shape, data: x.data.map((v, k) => v + bias.data[k % f]) }
          const opts = { eps: F.EPS, momentum: 0.1 }
          const a = batchNormTrain(x, { gamma, beta }, F.fresh(f), opts).out
          const c = batchNormTrain(shifted, { gamma, beta }, F.fresh(f), opts).out
          F.expectRelativeError(
            c.data,
            a.data,
            1e-9,
            `${n} examples: x + bias must give the same output as x, since BatchNorm subtracts the batch mean (bias included)`,
            'your outputs for x + bias and for x',
          )
        },
      ),
      F.runs(30),
    )
  })
})

describe('3. running statistics and evaluation mode', () => {
  it('momentum is the weight of the new batch: 0.1 moves the running mean 0 a tenth of the way to 10', () => {
    const r = updateRunningStatistics(
      { mean: F.vector([0]), variance: F.vector([1]) },
      { mean: F.vector([10]), variance: F.vector([5]) },
      0.1,
    )
    expect(
      r.mean.data[0],
      'momentum is the weight of the NEW batch: running = (1 - momentum) · running + momentum · batch = 0.9 · 0 + 0.1 · 10',
    ).toBeCloseTo(1, 12)
    expect(r.variance.data[0], 'the variance moves the same way: 0.9 · 1 + 0.1 · 5').toBeCloseTo(1.4, 12)
  })
  it('momentum 0 keeps the running statistics; momentum 1 replaces them with the batch', () => {
    const running: Statistics = { mean: F.vector([1, 2]), variance: F.vector([3, 4]) }
    const batch: Statistics = { mean: F.vector([5, 6]), variance: F.vector([7, 8]) }
    const kept = updateRunningStatistics(running, batch, 0),
      replaced = updateRunningStatistics(running, batch, 1)
    expect([...kept.mean.data, ...kept.variance.data], 'momentum 0: the new batch has no weight').toEqual([1, 2, 3, 4])
    expect([...replaced.mean.data, ...replaced.variance.data], 'momentum 1: only the new batch counts').toEqual([
      5, 6, 7, 8,
    ])
  })
  it('law: fed the same batch statistics again and again, the running statistics converge to them', () => {
    fc.assert(
      fc.property(
        F.tensorOf([3], 5),
        F.tensorOf([3], 2),
        fc.double({ min: 0.05, max: 0.5, noNaN: true }),
        (m, v, momentum) => {
          const batch: Statistics = { mean: m, variance: { shape: [3], data: v.data.map((x) => x * x + 0.1) } }
          let running = F.fresh(3)
          for (let k = 0; k < 400; k++) running = updateRunningStatistics(running, batch, momentum)
          F.expectRelativeError(
            running.mean.data,
            batch.mean.data,
            1e-6,
            `momentum ${momentum.toFixed(3)}: after 400 updates the running mean should equal the batch mean`,
            'the running mean and the batch mean',
          )
          F.expectRelativeError(
            running.variance.data,
            batch.variance.data,
            1e-6,
            'and the running variance the batch variance',
            'the running variance and the batch variance',
          )
        },
      ),
      F.runs(20),
    )
  })
  it('evaluation mode normalises with the running statistics: mean 1, variance 3.75, eps 0.25, gamma 2, beta 1 take 3 to 3', () => {
    const out = batchNormEval(
      F.matrix([[3]]),
      { gamma: F.vector([2]), beta: F.vector([1]) },
      { mean: F.vector([1]), variance: F.vector([3.75]) },
      0.25,
    ).data[0]
    const slip =
      Math.abs(out - ((2 * 2) / Math.sqrt(3.75) + 1)) < 1e-9
        ? `; yours is ${out}, as if eps were 0: eps goes inside the square root, with the running variance`
        : Math.abs(out - ((2 * 2) / (Math.sqrt(3.75) + 0.25) + 1)) < 1e-9
          ? `; yours is ${out}, 2 · 2 / (√3.75 + 0.25) + 1: eps is outside the square root, and goes inside it`
          : ''
    expect(
      out,
      `gamma · (x - running mean) / √(running variance + eps) + beta = 2 · (3 - 1) / √(3.75 + 0.25) + 1 = 3${slip}`,
    ).toBeCloseTo(3, 12)
  })
  it("in evaluation mode an example's output depends on that example alone, so a batch of one works", () => {
    const x = F.matrix([
      [1, 10],
      [3, 20],
      [5, 60],
    ])
    const params: BatchNormParams = { gamma: F.vector([1.5, 0.5]), beta: F.vector([0, 1]) }
    const running: Statistics = { mean: F.vector([2, 25]), variance: F.vector([2, 300]) }
    const all = batchNormEval(x, params, running, F.EPS)
    for (let i = 0; i < 3; i++) {
      const alone = batchNormEval(F.matrix([Array.from(F.row(x, i).data)]), params, running, F.EPS)
      expect(Array.from(alone.data).every(Number.isFinite), `example ${i} alone must give finite numbers`).toBe(true)
      F.expectRelativeError(
        alone.data,
        F.row(all, i).data,
        1e-12,
        `example ${i}: in evaluation mode, use the running statistics: an example's output must not depend on the rest of the batch`,
        `example ${i}'s output alone and in the batch of 3`,
      )
    }
  })
  it("law: with running statistics equal to a batch's own, evaluation gives what training gives on that batch", () => {
    fc.assert(
      fc.property(batchArb, ({ x, gamma, beta }) => {
        const stats = batchStatistics(x)
        const train = batchNormTrain(x, { gamma, beta }, F.fresh(gamma.data.length), { eps: F.EPS, momentum: 0.1 }).out
        F.expectRelativeError(
          batchNormEval(x, { gamma, beta }, stats, F.EPS).data,
          train.data,
          1e-12,
          'eval with the batch statistics should equal train',
          'evaluation with batchStatistics(x) and training on x',
        )
      }),
      F.runs(20),
    )
  })
})

describe('4. backward', () => {
  /**
   * BatchNorm's training forward as torch computes it (biased variance, eps inside the square root), written here so that your batchNormBackward is judged on its own, whatever
   * your batchNormTrain does: xhat = (x - mean) / √(var + eps) with the biased variance, out = gamma · xhat + beta.
   */
  const referenceForward = (x: F.Tensor, gamma: F.Tensor, beta: F.Tensor): Float64Array => {
    const f = x.shape[1]
    const out = new Float64Array(x.data.length)
    for (let j = 0; j < f; j++) {
      const c = column(x, j),
        mean = F.meanOf(c),
        invStd = 1 / Math.sqrt(F.varianceOf(c) + F.EPS)
      c.forEach((v, i) => {
        out[i * f + j] = gamma.data[j] * (v - mean) * invStd + beta.data[j]
      })
    }
    return out
  }
  const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
    let s = 0
    for (let k = 0; k < a.length; k++) s += a[k] * b[k]
    return s
  }
  /** Central differences of fourth order, (f(x - 2h) - 8 f(x - h) + 8 f(x + h) - f(x + 2h)) / 12h: their truncation error is O(h⁴). */
  const fivePointGradient = (f: (x: Float64Array) => number, x: Float64Array, h: number): Float64Array => {
    const probe = Float64Array.from(x)
    const at = (k: number, step: number): number => {
      probe[k] = x[k] + step
      const y = f(probe)
      probe[k] = x[k]
      return y
    }
    return x.map((_, k) => (at(k, -2 * h) - 8 * at(k, -h) + 8 * at(k, h) - at(k, 2 * h)) / (12 * h))
  }
  /** The gradients of L = sum(out · dout) through the reference forward, by central differences: what the backward must return. */
  const centralDifferences = (x: F.Tensor, gamma: F.Tensor, beta: F.Tensor, dout: F.Tensor) => {
    const loss = (xs: F.Tensor, g: F.Tensor, b: F.Tensor) => dot(referenceForward(xs, g, b), dout.data)
    return {
      // out is curved in x, the more so the smaller var is: with var > 0.01, five points with h = 1e-3 keep the relative
      // error under 2e-8 (the most seen over 60,000 random batches; two points with h = 1e-4 reach 5e-6)
      dx: fivePointGradient((d) => loss({ shape: x.shape, data: d }, gamma, beta), x.data, 1e-3),
      // out is linear in gamma and in beta, so central differences are exact at any step: h = 1 loses the fewest digits to
      // rounding (relative errors under 1e-12), far below what an eps slip makes (over 4e-8)
      dgamma: F.numericGradient((d) => loss(x, { shape: gamma.shape, data: d }, beta), gamma.data, 1),
      dbeta: F.numericGradient((d) => loss(x, gamma, { shape: beta.shape, data: d }), beta.data, 1),
    }
  }

  /** xhat of every x_ij with the lecture's normalisation, or with one of the classic slips, [N, F] like x. */
  type Normalisation = 'lecture' | 'N - 1' | 'no eps' | 'eps outside' | 'x itself'
  const xhatOf = (x: F.Tensor, how: Normalisation): Float64Array => {
    const [n, f] = x.shape
    const out = new Float64Array(n * f)
    for (let j = 0; j < f; j++) {
      const c = column(x, j),
        mean = F.meanOf(c),
        v = F.varianceOf(c)
      const std =
        how === 'N - 1'
          ? Math.sqrt((v * n) / (n - 1) + F.EPS)
          : how === 'no eps'
            ? Math.sqrt(v)
            : how === 'eps outside'
              ? Math.sqrt(v) + F.EPS
              : Math.sqrt(v + F.EPS)
      c.forEach((value, i) => {
        out[i * f + j] = how === 'x itself' ? value : (value - mean) / std
      })
    }
    return out
  }
  const columnSums = (data: ArrayLike<number>, [n, f]: readonly number[]): Float64Array => {
    const sums = new Float64Array(f)
    for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) sums[j] += data[i * f + j]
    return sums
  }
  /** The first of the candidates (what a classic slip computes) that `yours` matches, or the fallback. */
  const verdictOf = (
    yours: ArrayLike<number>,
    tolerance: number,
    candidates: readonly (readonly [ArrayLike<number>, string])[],
    fallback: string,
  ): string =>
    candidates.find(([c]) => c.length === yours.length && F.relativeError(yours, c) < tolerance)?.[1] ?? fallback

  /**
   * How far each gradient may be from the central differences. A batch of two is the exception for dx: whatever x, its
   * xhat is ±√(var/(var + eps)) ≈ ±1, so out barely moves with x and dx is only eps's correction (1e-5 of its usual
   * size), which central differences resolve to a relative error of 2e-5 at best; 1e-3 still rejects any missing term.
   */
  const toleranceOf = (name: 'dbeta' | 'dgamma' | 'dx', n: number): number =>
    name !== 'dx' ? 1e-9 : n === 2 ? 1e-3 : 1e-7
  it("law: dx, dgamma and dbeta match central differences of a reference training forward (the test's own, so only your backward is judged)", () => {
    fc.assert(
      fc.property(
        batchArb.chain((b) => fc.record({ b: fc.constant(b), dout: F.tensorOf(b.x.shape, 2) })),
        ({ b: { x, gamma, beta }, dout }) => {
          const [n, f] = x.shape
          const mine = batchNormBackward(x, gamma, dout, F.EPS)
          const numeric = centralDifferences(x, gamma, beta, dout)
          const report = (name: 'dbeta' | 'dgamma' | 'dx', yours: F.Tensor, verdict: (tolerance: number) => string) => {
            const tolerance = toleranceOf(name, n)
            expect(
              yours.data.length,
              `${name} should have ${numeric[name].length} numbers, the shape of ${name === 'dx' ? 'x' : name.slice(1)}`,
            ).toBe(numeric[name].length)
            const error = F.relativeError(yours.data, numeric[name])
            expect(
              error,
              `${name} disagrees with central differences of the reference forward (relative error ${error.toExponential(2)} between your ${name} and the ` +
                `central differences; at most ${tolerance})${error < tolerance ? '' : `: ${verdict(tolerance)}`}`,
            ).toBeLessThan(tolerance)
          }
          report('dbeta', mine.dbeta, (tolerance) =>
            verdictOf(
              mine.dbeta.data,
              tolerance,
              [
                [
                  columnSums(dout.data, x.shape).map((s) => s / n),
                  'yours is the mean of dout over the batch: beta is added to every example, so dbeta_j = sum_i dout_ij, a sum',
                ],
              ],
              'dbeta_j = sum_i dout_ij',
            ),
          )
          const dgammaOf = (how: Normalisation) =>
            columnSums(
              xhatOf(x, how).map((h, k) => h * dout.data[k]),
              x.shape,
            )
          report('dgamma', mine.dgamma, (tolerance) =>
            verdictOf(
              mine.dgamma.data,
              tolerance,
              [
                [
                  dgammaOf('x itself'),
                  'yours is sum_i dout_ij · x_ij: gamma multiplies xhat, the normalised x, so dgamma_j = sum_i dout_ij · xhat_ij',
                ],
                [
                  dgammaOf('N - 1'),
                  'yours takes xhat from the variance divided by N - 1: the batch variance divides by N (if your backward gets it from batchStatistics, make batchStatistics pass first)',
                ],
                [
                  dgammaOf('no eps'),
                  "yours takes xhat = (x - mean) / √var, as if eps were 0: xhat_ij = (x_ij - mean_j) / √(var_j + eps), eps inside the square root (the lecture's 1e-5)",
                ],
                [
                  dgammaOf('eps outside'),
                  'yours takes xhat = (x - mean) / (√var + eps), eps outside the square root: xhat_ij = (x_ij - mean_j) / √(var_j + eps), eps inside it',
                ],
              ],
              'dgamma_j = sum_i dout_ij · xhat_ij, with xhat_ij = (x_ij - mean_j) / √(var_j + eps)',
            ),
          )
          const xhat = xhatOf(x, 'lecture'),
            dbeta = columnSums(dout.data, x.shape),
            dgamma = dgammaOf('lecture')
          const dxOf = (std: (j: number) => number, meanTerm: boolean, varianceTerm: boolean) =>
            dout.data.map((d, k) => {
              const j = k % f
              return (
                (gamma.data[j] / std(j) / n) *
                (n * d - (meanTerm ? dbeta[j] : 0) - (varianceTerm ? xhat[k] * dgamma[j] : 0))
              )
            })
          const variances = Array.from({ length: f }, (_, j) => F.varianceOf(column(x, j)))
          const withEps = (j: number) => Math.sqrt(variances[j] + F.EPS)
          report('dx', mine.dx, (tolerance) =>
            verdictOf(
              mine.dx.data,
              tolerance,
              [
                [
                  dxOf(withEps, false, false),
                  'yours is gamma_j · dout_ij / √(var_j + eps), as if mean_j and var_j were constants: it must flow through the batch mean and variance too (the - dbeta_j and - xhat_ij · dgamma_j terms)',
                ],
                [
                  dxOf(withEps, true, false),
                  'yours flows through the batch mean (the - dbeta_j term) but not the variance: it must flow through the batch mean and variance too (the - xhat_ij · dgamma_j term)',
                ],
                [
                  dxOf(withEps, false, true),
                  'yours flows through the batch variance (the - xhat_ij · dgamma_j term) but not the mean: it must flow through the batch mean too (the - dbeta_j term: every example moved mean_j)',
                ],
                [
                  dxOf((j) => Math.sqrt(variances[j]), true, true),
                  'yours has the factor gamma_j / √var_j, as if eps were 0: it is gamma_j / √(var_j + eps), eps inside the square root',
                ],
              ],
              'dx_ij = gamma_j / √(var_j + eps) / N · (N · dout_ij - dbeta_j - xhat_ij · dgamma_j), with dbeta_j and dgamma_j summed over the whole batch first: ' +
                'x_ij reaches out_ij directly and through mean_j and var_j, which every example helped compute',
            ),
          )
        },
      ),
      F.runs(25),
    )
  })
  it('uses the eps it is given: with eps = 0.5 (not the default 1e-5) and features of small variance, dx follows √(var + 0.5)', () => {
    const x = F.matrix([
      [0.1, 1],
      [-0.2, 2],
      [0.3, 0],
      [0, -1],
    ])
    const gamma = F.vector([1.5, -0.5]),
      dout = F.matrix([
        [1, 0.5],
        [-2, 0.25],
        [0.5, -1],
        [0.25, 2],
      ])
    const got = batchNormBackward(x, gamma, dout, 0.5)
    const want = F.closedFormBackward(x, gamma, dout, 0.5)
    expect(F.relativeError(got.dx.data, want.dx), F.backwardSlip(x, gamma, dout, 0.5, got.dx.data)).toBeLessThan(1e-9)
    expect(
      F.relativeError(got.dgamma.data, want.dgamma),
      `dgamma with eps = 0.5: sum_i dout_ij · xhat_ij with xhat_ij = (x_ij - mean_j) / √(var_j + 0.5), the eps given; expected [${Array.from(want.dgamma)}], got [${Array.from(got.dgamma.data)}]`,
    ).toBeLessThan(1e-9)
  })
  it('law: for every feature, dx sums to zero over the batch: a bias before BatchNorm gets no gradient', () => {
    fc.assert(
      fc.property(
        batchArb.chain((b) => fc.record({ b: fc.constant(b), g: F.tensorOf(b.x.shape, 2) })),
        ({ b: { x, gamma }, g }) => {
          const { dx } = batchNormBackward(x, gamma, g, F.EPS)
          for (let j = 0; j < gamma.data.length; j++) {
            const total = column(dx, j).reduce((s, v) => s + v, 0)
            expect(
              Math.abs(total),
              `feature ${j}: the gradient of a bias b_j added before BatchNorm is sum_i dx_ij = ${total}, and it must be 0 (it must flow through the batch mean and variance too)`,
            ).toBeLessThan(1e-9)
          }
        },
      ),
      F.runs(25),
    )
  })
  it('dx has the shape of x, [batch, features]; dgamma and dbeta are [features]', () => {
    const x = F.matrix([
        [1, -1, 0.5],
        [0.2, 2, -0.5],
      ]),
      gamma = F.vector([1, 2, 0.5])
    const got = batchNormBackward(
      x,
      gamma,
      F.matrix([
        [1, 0, -1],
        [0.5, 0.5, 2],
      ]),
      F.EPS,
    )
    expect(got.dx.shape, 'dL/dx has one entry per entry of x, so the shape of x: [2, 3] here').toEqual([2, 3])
    expect(got.dgamma.shape, 'dL/dgamma has one entry per feature: [3]').toEqual([3])
    expect(got.dbeta.shape, 'dL/dbeta has one entry per feature: [3]').toEqual([3])
  })
})

describe('5. no bias before BatchNorm', () => {
  const withBiases = (): F.LayerSpec[] => [
    F.embedding(27, 10, 3),
    F.linear(30, 50, { biasInit: F.scaledNormal(1) }),
    F.batchNorm1d(50),
    F.tanhLayer(),
    F.linear(50, 50, { biasInit: F.scaledNormal(1) }),
    F.batchNorm1d(50),
    F.tanhLayer(),
    F.linear(50, 27, { biasInit: F.scaledNormal(1) }),
  ]
  const KEEP =
    "only a Linear followed by BatchNorm has a bias that the batch mean cancels; the output layer's bias is not cancelled by anything"
  const LOSE =
    'BatchNorm subtracts the batch mean, bias included, so that bias never changes the output and its gradient is zero'
  /** The Linear layers[i] of withBiases() as the messages name it, with what follows it. */
  const nameOf = (layers: readonly F.LayerSpec[], i: number): string => {
    const l = layers[i],
      next = layers[i + 1]
    const size = l.kind === 'linear' ? ` ${l.fanIn} → ${l.fanOut}` : ''
    return `layers[${i}] (Linear${size}, ${next === undefined ? 'the output layer: nothing follows it' : next.kind === 'batchnorm' ? 'followed by a BatchNorm' : `followed by ${next.kind}`})`
  }
  /** Each Linear of withBiases(), in order, and whether it should keep its bias. */
  interface BiasExpectation {
    readonly i: number
    readonly name: string
    readonly keep: boolean
  }
  const expectations = (): BiasExpectation[] => {
    const layers = withBiases()
    return layers.flatMap((l, i): BiasExpectation[] =>
      l.kind === 'linear' ? [{ i, name: nameOf(layers, i), keep: layers[i + 1]?.kind !== 'batchnorm' }] : [],
    )
  }
  const biasOf = (l: F.LayerSpec | undefined): boolean | undefined => (l?.kind === 'linear' ? l.bias : undefined)

  it('leaves a layer that is not a Linear as it was, even when a BatchNorm follows it (it has no bias to remove)', () => {
    const given = (): F.LayerSpec[] => [F.embedding(27, 10, 3), F.batchNorm1d(30), F.tanhLayer(), F.batchNorm1d(30)]
    expect(
      removeBiasBeforeBatchNorm(given()),
      'an Embedding, a Tanh or a BatchNorm before a BatchNorm has no bias: only a Linear loses its bias (no bias: false on other layers)',
    ).toEqual(given())
  })
  it('removes the bias of exactly the Linear layers that feed a BatchNorm, and keeps every other layer as it was', () => {
    const given = withBiases()
    const out = removeBiasBeforeBatchNorm(given)
    expect(
      out.map((l) => l.kind),
      'the same layers in the same order',
    ).toEqual(given.map((l) => l.kind))
    for (const { i, name, keep } of expectations()) {
      expect(
        biasOf(out[i]),
        keep ? `${name} must keep its bias: ${KEEP}` : `${name} must lose its bias (bias: false): ${LOSE}`,
      ).toBe(keep)
    }
    out.forEach((l, i) => {
      expect(
        l.kind === 'linear' ? { ...l, bias: true } : l,
        `layers[${i}] (${l.kind}): everything but a Linear's bias is kept as it was`,
      ).toEqual(withBiases()[i])
    })
    expect(given, 'the layers passed in must not change: return new layers ({ ...layer, bias: false })').toEqual(
      withBiases(),
    )
  })
  it('the net without those biases computes the same logits with fewer parameters', () => {
    const full: F.Model = F.evalRng(F.initModel(withBiases()), 1)
    const leanLayers = removeBiasBeforeBatchNorm(withBiases())
    const lean: F.Model = F.evalRng(F.initModel(leanLayers), 1)
    // the same weights in both, so only the removed biases differ
    const sameWeights: F.Model = {
      ...lean,
      params: Object.fromEntries(Object.keys(lean.params).map((k) => [k, full.params[k]])),
    }
    const X = F.evalRng(F.randint(0, 27, 16 * 3), 2)
    const a = F.forward(full, X, 'train').logits,
      b = F.forward(sameWeights, X, 'train').logits
    const wrong = expectations().filter(({ i, keep }) => biasOf(leanLayers[i]) !== keep)
    const lost = wrong.filter(({ keep }) => keep).map(({ name }) => `${name} lost its bias`)
    F.expectRelativeError(
      b.data,
      a.data,
      1e-12,
      lost.length > 0
        ? `the logits changed, because ${lost.join(' and ')}: ${KEEP}`
        : 'the logits must not change when the biases before BatchNorm go: BatchNorm subtracted them anyway',
      'the logits without those biases and with them',
    )
    const slips = wrong.map(({ name, keep }) =>
      keep ? `${name} lost its bias: ${KEEP}` : `${name} kept its bias: ${LOSE}`,
    )
    expect(
      F.parameterCount(full) - F.parameterCount(lean),
      `the two biases of 50 numbers before the BatchNorms are gone, and no other${slips.length > 0 ? `; but ${slips.join('; and ')}` : ''}`,
    ).toBe(100)
  })
})

describe('6. the reference laws: every function agrees with the reference answer on inputs of every shape, sign and size', () => {
  // x's entries reach ±100 and gamma's ±3: the mean's rounding (a few ulps of the largest |x|) is divided by
  // √(variance + eps), at most 1/√1e-5 for a feature with no spread, so two right answers that sum in other
  // orders differ by up to ~1e-10; the laws allow 1e-9. Larger entries would need a looser tolerance, not a
  // different answer.
  const entry = L.anyValue(100)
  /** [N, features], each column drawn whole: any entries, or one value repeated (a feature with no spread). */
  const batch = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 7 })).chain(([n, f]) =>
    fc
      .array(
        fc.oneof(
          { weight: 3, arbitrary: fc.array(entry, { minLength: n, maxLength: n }) },
          { weight: 1, arbitrary: entry.map((v) => Array<number>(n).fill(v)) },
          // a small spread around a large mean, where E[x²] - mean² cancels to rounding
          {
            weight: 1,
            arbitrary: fc
              .tuple(
                fc.oneof(fc.constantFrom(100, -100, 99.5), fc.double({ min: -100, max: 100, noNaN: true })),
                fc.array(fc.double({ min: -1e-3, max: 1e-3, noNaN: true }), { minLength: n, maxLength: n }),
              )
              .map(([c, d]) => d.map((v) => c + v)),
          },
        ),
        { minLength: f, maxLength: f },
      )
      .map((cols) => ({
        shape: [n, f],
        data: Float64Array.from({ length: n * f }, (_, k) => cols[k % f][Math.floor(k / f)]),
      })),
  )
  const features = (x: { shape: readonly number[] }) => x.shape[1]
  const vector = (f: number, value = L.anyValue(3)) => L.tensorShaped([f], value)
  const variances = (f: number) => vector(f, fc.oneof(L.anyValue().map(Math.abs), fc.constant(0)))
  const stats = (f: number): fc.Arbitrary<Statistics> => fc.record({ mean: vector(f, entry), variance: variances(f) })
  const params = (f: number): fc.Arbitrary<BatchNormParams> => fc.record({ gamma: vector(f), beta: vector(f, entry) })
  // eps from PyTorch's 1e-5 up to 10 (larger ones shrink the output visibly, so ignoring eps shows)
  const eps = fc.oneof(fc.constantFrom(1e-5, 1e-3, 0.1, 1, 10), fc.double({ min: 1e-5, max: 10, noNaN: true }))
  const momentum = fc.oneof(fc.constantFrom(0, 1, 0.1, 0.001, 0.5), fc.double({ min: 0, max: 1, noNaN: true }))
  const layer = fc.oneof(
    fc.tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 10 })).map(([a, b]) => F.embedding(a, b, 3)),
    fc
      .tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.boolean())
      .map(([a, b, bias]) => F.linear(a, b, { bias, biasInit: F.scaledNormal(1) })),
    fc.integer({ min: 1, max: 9 }).map((d) => F.batchNorm1d(d)),
    fc.constant(F.tanhLayer()),
    fc.constant(reluLayer()),
  )
  const laws = [
    R.law('batchStatistics', batchStatistics, reference.batchStatistics, fc.tuple(batch), ['x']),
    R.law(
      'batchNormTrain',
      batchNormTrain,
      reference.batchNormTrain,
      batch.chain((x) =>
        fc.tuple(fc.constant(x), params(features(x)), stats(features(x)), fc.record({ eps, momentum })),
      ),
      ['x', 'params', 'running', 'options'],
      { tolerance: { relative: 1e-9, absolute: 1e-9 } },
    ),
    R.law(
      'updateRunningStatistics',
      updateRunningStatistics,
      reference.updateRunningStatistics,
      fc.integer({ min: 1, max: 7 }).chain((f) => fc.tuple(stats(f), stats(f), momentum)),
      ['running', 'batch', 'momentum'],
      { tolerance: { relative: 1e-9, absolute: 1e-9 } },
    ),
    R.law(
      'batchNormEval',
      batchNormEval,
      reference.batchNormEval,
      batch.chain((x) => fc.tuple(fc.constant(x), params(features(x)), stats(features(x)), eps)),
      ['x', 'params', 'running', 'eps'],
      { tolerance: { relative: 1e-9, absolute: 1e-9 } },
    ),
    R.law(
      'batchNormBackward',
      batchNormBackward,
      reference.batchNormBackward,
      batch.chain((x) => fc.tuple(fc.constant(x), vector(features(x)), L.tensorShaped(x.shape, L.anyValue(3)), eps)),
      ['x', 'gamma', 'dout', 'eps'],
      { tolerance: { relative: 1e-9, absolute: 1e-9 } },
    ),
    R.law(
      'removeBiasBeforeBatchNorm',
      removeBiasBeforeBatchNorm,
      reference.removeBiasBeforeBatchNorm,
      fc.tuple(fc.array(layer, { maxLength: 7 })),
      ['layers'],
    ),
  ]
  R.describeLaws(laws, it)
})

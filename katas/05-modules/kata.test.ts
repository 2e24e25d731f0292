import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { batchNorm1d, deepMlp, lectureMlp, linear, parameterCount, sequential, tanhLayer } from './kata.ts'
import type { BatchNormOptions, Layer, Mode, Network, Sequential, SequentialPass } from './types.ts'
import * as F from './feedback.ts'
import { batch, size } from './feedback.ts'
import * as reference from '../../solutions/05-modules/kata.ts'
import * as R from '../../lib/course/reference.ts'
import * as L from '../../lib/course/law-inputs.ts'

describe('Linear', () => {
  const linearCase = fc.tuple(batch, size, size).chain(([m, fanIn, fanOut]) =>
    fc.record({
      x: F.tensorOf([m, fanIn]),
      w: F.tensorOf([fanIn, fanOut]),
      b: F.tensorOf([fanOut]),
      g: F.tensorOf([m, fanOut]),
    }),
  )

  it('law: computes out = x @ W + b, with parameters [weight, bias]', () => {
    fc.assert(
      fc.property(linearCase, ({ x, w, b }) => {
        const layer = linear(w, b)
        expect(layer.kind).toBe('linear')
        expect(
          layer.parameters.map((p) => F.showShape(p.shape)),
          'Linear.parameters should be [weight, bias]',
        ).toEqual([F.showShape(w.shape), F.showShape(b.shape)])
        expect(
          F.maxAbsDiff(layer.forward(x).out, F.add(F.matmul(x, w), b)),
          'Linear: out should be x @ W + b',
        ).toBeLessThan(1e-9)
        expect(linear(w).parameters.length, 'a Linear without bias has one parameter, its weight').toBe(1)
        expect(
          F.maxAbsDiff(linear(w).forward(x).out, F.matmul(x, w)),
          'Linear without bias: out should be x @ W',
        ).toBeLessThan(1e-9)
      }),
      F.runs(20),
    )
  })

  it('law: backward gives x.grad = out.grad @ Wᵀ, W.grad = xᵀ @ out.grad and b.grad summed over the batch (checked numerically)', () => {
    fc.assert(
      fc.property(linearCase, ({ x, w, b, g }) => {
        const withBias = F.backwardProblems('Linear backward', ([ww, bb]) => linear(ww, bb), [w, b], x, g, [
          'x',
          'weight',
          'bias',
        ])
        expect(
          withBias,
          `${withBias}. The bias is added to every row, so its gradient sums out.grad over the batch`,
        ).toBeUndefined()
        const noBias = F.backwardProblems('Linear (no bias) backward', ([ww]) => linear(ww), [w], x, g, ['x', 'weight'])
        expect(noBias, noBias).toBeUndefined()
      }),
      F.runs(20),
    )
  })
})

describe('Tanh', () => {
  it('law: computes tanh(x), has no parameters, and its backward is out.grad * (1 - t²) (checked numerically)', () => {
    // x spread over [-3, 3] with at least one |x| > 1, where 1 - t² and 1 - t are far apart
    const tanhCase = fc
      .tuple(batch, size)
      .chain(([m, n]) => fc.tuple(F.tensorOf([m, n], 3), F.tensorOf([m, n])))
      .filter(([x]) => x.data.some((v) => Math.abs(v) > 1))
    fc.assert(
      fc.property(tanhCase, ([x, g]) => {
        const layer = tanhLayer()
        expect(layer.kind).toBe('tanh')
        expect(layer.parameters).toEqual([])
        expect(F.maxAbsDiff(layer.forward(x).out, F.tanh(x)), 'Tanh: out should be tanh(x)').toBeLessThan(1e-12)
        const problem = F.backwardProblems('Tanh backward', () => tanhLayer(), [], x, g, ['x'])
        expect(
          problem,
          `${problem}. tanh's local gradient is 1 - t², read off the output t: near 0 where the unit saturates`,
        ).toBeUndefined()
      }),
      F.runs(20),
    )
  })
})

describe('BatchNorm1d', () => {
  /** A batch whose every feature varies (variance > 0.1), gamma away from 0, out.grad g, and numbers for running statistics (see runningOf). */
  const bnCase = fc
    .tuple(fc.integer({ min: 4, max: 8 }), size)
    .chain(([m, n]) =>
      fc.record({
        x: F.tensorOf([m, n], 3),
        gamma: F.awayFromZero([n]),
        beta: F.tensorOf([n]),
        g: F.tensorOf([m, n]),
        rm: F.tensorOf([n]),
        rv: F.tensorOf([n]),
      }),
    )
    .filter(({ x }) => F.everyColumnVaries(x))
  /** Running statistics [1, dim] for eval mode: any mean, a variance of at least 0.5. */
  const runningOf = ({ rm, rv }: { rm: F.Tensor; rv: F.Tensor }) => ({
    runningMean: F.row1(Array.from(rm.data)),
    runningVar: F.row1(Array.from(rv.data, (v) => 0.5 + v * v)),
  })

  it('law: in training, grades on a curve: each feature comes out with mean beta and std |gamma| over the batch', () => {
    fc.assert(
      fc.property(bnCase, ({ x, gamma, beta }) => {
        const n = x.shape[1]
        const plain = batchNorm1d(n)
        expect(plain.kind).toBe('batchnorm')
        expect(
          plain.parameters.map((p) => Array.from(p.data)),
          'a fresh BatchNorm1d has parameters [gamma = ones, beta = zeros]',
        ).toEqual([Array(n).fill(1), Array(n).fill(0)])
        expect(
          plain.parameters.map((p) => F.showShape(p.shape)),
          `gamma and beta are [dim] = [${n}] each`,
        ).toEqual([F.showShape([n]), F.showShape([n])])
        expect(
          plain.buffers.map((p) => F.showShape(p.shape)),
          `a fresh BatchNorm1d has buffers [runningMean = zeros, runningVar = ones], [1, dim] = [1, ${n}] each`,
        ).toEqual([F.showShape([1, n]), F.showShape([1, n])])
        expect(
          plain.buffers.map((p) => Array.from(p.data)),
          'a fresh BatchNorm1d has buffers [runningMean = zeros, runningVar = ones]',
        ).toEqual([Array(n).fill(0), Array(n).fill(1)])
        const out = batchNorm1d(n, { gamma, beta }).forward(x, 'train').out
        F.columns(out).forEach((col, j) => {
          expect(
            Math.abs(F.meanOf(col) - beta.data[j]),
            `feature ${j}: the batch mean of the output should be beta`,
          ).toBeLessThan(1e-6)
          // the biased and the unbiased variance are both accepted; eps makes the std a hair smaller
          const std = Math.sqrt(F.varOf(col)),
            target = Math.abs(gamma.data[j])
          expect(
            std,
            `feature ${j}: the batch std of the output should be |gamma| = ${target.toFixed(4)} (normalise with the batch's own mean and std)`,
          ).toBeGreaterThan(target * Math.sqrt((col.length - 1) / col.length) * 0.999 - 1e-9)
          expect(
            std,
            `feature ${j}: the batch std of the output should be |gamma| = ${target.toFixed(4)} (normalise with the batch's own mean and std)`,
          ).toBeLessThan(target * 1.001 + 1e-9)
        })
      }),
      F.runs(25),
    )
  })

  it('law: backward is right for x, gamma and beta (checked numerically): the batch mean and variance depend on every row', () => {
    fc.assert(
      fc.property(bnCase, ({ x, gamma, beta, g }) => {
        const problem = F.backwardProblems(
          'BatchNorm1d backward',
          ([gm, bt]) => batchNorm1d(x.shape[1], { gamma: gm, beta: bt }),
          [gamma, beta],
          x,
          g,
          ['x', 'gamma', 'beta'],
        )
        expect(
          problem,
          `${problem}. In training the batch mean and variance depend on every row, so each row's x.grad has terms from the whole batch`,
        ).toBeUndefined()
      }),
      F.runs(25),
    )
  })

  it('law: a training pass moves the running statistics by the momentum and leaves the old layer as it was', () => {
    // columns shifted by ±[1.5, 3] so that every batch mean is at least 0.5 away from 0, and momentum
    // at least 0.1 away from 0.5, so that (1 - momentum) · batch and momentum · batch are told apart
    const momentumCase = fc.record({
      x: fc
        .tuple(fc.integer({ min: 4, max: 8 }), size)
        .chain(([m, n]) => fc.tuple(F.tensorOf([m, n], 1), F.tensorOf([n], 1.5)))
        .map(([x, shift]) =>
          F.map(
            x,
            (v, k) => v + shift.data[k % shift.data.length] + (shift.data[k % shift.data.length] >= 0 ? 1.5 : -1.5),
          ),
        ),
      momentum: fc.oneof(
        fc.double({ min: 0.001, max: 0.4, noNaN: true }),
        fc.double({ min: 0.6, max: 0.9, noNaN: true }),
      ),
    })
    fc.assert(
      fc.property(momentumCase, ({ x, momentum }) => {
        const n = x.shape[1]
        const layer = batchNorm1d(n, { momentum })
        const next = layer.forward(x, 'train').layer
        expect(next.buffers.length, 'BatchNorm1d.buffers should be [runningMean, runningVar]').toBe(2)
        const [rm, rv] = next.buffers
        F.columns(x).forEach((col, j) => {
          const mu = F.meanOf(col)
          const swapped = Math.abs(rm.data[j] - (1 - momentum) * mu) < 1e-9
          expect(
            rm.data[j],
            swapped
              ? `feature ${j}: momentum is the weight of the NEW batch: runningMean = (1 - momentum) · runningMean + momentum · batch mean (PyTorch's convention, momentum 0.1); yours gave the batch mean the weight 1 - momentum`
              : `feature ${j}: runningMean = (1 - momentum) · runningMean + momentum · batch mean, from runningMean = 0 and momentum ${momentum}`,
          ).toBeCloseTo(momentum * mu, 9)
          // torch keeps the unbiased variance; the biased one is accepted too
          const unbiased = 1 - momentum + momentum * F.varOf(col, 1),
            biased = 1 - momentum + momentum * F.varOf(col)
          expect(
            Math.min(Math.abs(rv.data[j] - unbiased), Math.abs(rv.data[j] - biased)),
            `feature ${j}: runningVar = (1 - momentum) · runningVar + momentum · batch variance, from runningVar = 1 (the batch variance unbiased, as PyTorch keeps it, or biased)`,
          ).toBeLessThan(1e-9)
        })
        expect(
          Array.from(layer.buffers[0].data),
          'the layer you called forward on keeps its running mean: the pass returns a new layer',
        ).toEqual(Array(n).fill(0))
        expect(
          Array.from(layer.buffers[1].data),
          'the layer you called forward on keeps its running variance: the pass returns a new layer',
        ).toEqual(Array(n).fill(1))
      }),
      F.runs(20),
    )
  })

  it('a training pass moves running statistics that are not fresh from where they stand: (1 - momentum) · runningVar + momentum · batch variance', () => {
    const x = F.matrix([
      [1, -2],
      [3, 0],
      [-1, 4],
    ])
    const runningMean = F.row1([0.5, -1]),
      runningVar = F.row1([0.25, 4]),
      momentum = 0.3
    const [rm, rv] = batchNorm1d(2, { runningMean, runningVar, momentum }).forward(x, 'train').layer.buffers
    F.columns(x).forEach((col, j) => {
      expect(rm.data[j], `feature ${j}: runningMean = 0.7 · ${runningMean.data[j]} + 0.3 · batch mean`).toBeCloseTo(
        0.7 * runningMean.data[j] + 0.3 * F.meanOf(col),
        9,
      )
      const unbiased = 0.7 * runningVar.data[j] + 0.3 * F.varOf(col, 1),
        biased = 0.7 * runningVar.data[j] + 0.3 * F.varOf(col)
      expect(
        Math.min(Math.abs(rv.data[j] - unbiased), Math.abs(rv.data[j] - biased)),
        `feature ${j}: runningVar = (1 - momentum) · runningVar + momentum · batch variance = 0.7 · ${runningVar.data[j]} + 0.3 · var, got ${rv.data[j]} (a runningVar of 1, a fresh layer's, hides a slip here: x · 1 = x / 1)`,
      ).toBeLessThan(1e-9)
    })
  })
  it("every parameter's gradient has that parameter's shape (Linear's weight and bias, BatchNorm's gamma and beta), in training and in eval mode", () => {
    const x = F.matrix([
      [1, -2, 0.5],
      [3, 0, -1],
    ])
    const layers = [
      linear(
        F.matrix([
          [1, 0],
          [0, 1],
          [0.5, -0.5],
        ]),
        { shape: [2], data: Float64Array.of(0.1, -0.2) },
      ),
      batchNorm1d(3),
    ]
    for (const layer of layers)
      for (const mode of ['train', 'eval'] as const) {
        const pass = layer.forward(x, mode)
        const { paramGrads } = pass.backward(
          F.matrix(Array.from({ length: 2 }, () => Array(pass.out.shape[1]).fill(0.5))),
        )
        expect(paramGrads.length, `${layer.kind} (${mode}): one gradient per parameter`).toBe(layer.parameters.length)
        paramGrads.forEach((g, k) => {
          expect(
            g.shape,
            `${layer.kind} (${mode}): the gradient of parameters[${k}], of shape [${layer.parameters[k].shape.join(', ')}], must have its shape (sum over the batch without keeping the summed axis: keepdims false), got [${g.shape.join(', ')}]`,
          ).toEqual(layer.parameters[k].shape)
        })
      }
  })
  it("law: in eval mode normalises with the running statistics, so a row's output does not depend on the rest of the batch", () => {
    fc.assert(
      fc.property(bnCase, (c) => {
        const { x, gamma, beta } = c
        const [m, n] = x.shape
        const { runningMean, runningVar } = runningOf(c)
        const layer = batchNorm1d(n, { gamma, beta, runningMean, runningVar })
        const out = layer.forward(x, 'eval').out
        /** The eval output with statistics (mean, variance) and eps, at row i, feature j. */
        const formula = (mu: ArrayLike<number>, v: ArrayLike<number>, eps: number) => (i: number, j: number) =>
          (gamma.data[j] * (x.data[i * n + j] - mu[j])) / Math.sqrt(v[j] + eps) + beta.data[j]
        const fits = (f: (i: number, j: number) => number) =>
          Array.from({ length: m * n }, (_, k) => Math.abs(out.data[k] - f(Math.floor(k / n), k % n))).every(
            (d) => d < 1e-9,
          )
        const cols = F.columns(x)
        const batchStats = [0, 1].map((correction) =>
          formula(
            cols.map((col) => F.meanOf(col)),
            cols.map((col) => F.varOf(col, correction)),
            1e-5,
          ),
        )
        // the eps the output implies, read off the entry with the largest gamma · (x - runningMean)
        let k0 = 0
        for (let k = 1; k < m * n; k++)
          if (
            Math.abs(gamma.data[k % n] * (x.data[k] - runningMean.data[k % n])) >
            Math.abs(gamma.data[k0 % n] * (x.data[k0] - runningMean.data[k0 % n]))
          )
            k0 = k
        const j0 = k0 % n
        const impliedEps =
          ((gamma.data[j0] * (x.data[k0] - runningMean.data[j0])) / (out.data[k0] - beta.data[j0])) ** 2 -
          runningVar.data[j0]
        const verdict = batchStats.some(fits)
          ? "use runningMean and runningVar, not the batch's statistics"
          : Number.isFinite(impliedEps) &&
              Math.abs(impliedEps - 1e-5) > 1e-8 &&
              fits(formula(runningMean.data, runningVar.data, impliedEps))
            ? `your output fits eps = ${F.showEps(impliedEps)}: eps defaults to the lecture's 1e-5 (options.eps when it is given), inside the square root`
            : 'out = gamma · (x - runningMean) / √(runningVar + eps) + beta, with the running statistics and eps = 1e-5'
        for (let i = 0; i < m; i++)
          for (let j = 0; j < n; j++) {
            const want = formula(runningMean.data, runningVar.data, 1e-5)(i, j)
            expect(Math.abs(out.data[i * n + j] - want), `eval mode, row ${i}, feature ${j}: ${verdict}`).toBeLessThan(
              1e-9,
            )
          }
        const firstRow = { shape: [1, n], data: x.data.slice(0, n) }
        expect(
          Array.from(layer.forward(firstRow, 'eval').out.data),
          'eval mode: one example alone gets the same output as inside a batch',
        ).toEqual(Array.from(out.data.slice(0, n)))
        expect(
          Array.from(layer.forward(x, 'eval').layer.buffers[0].data),
          'eval mode leaves the running statistics alone',
        ).toEqual(Array.from(runningMean.data))
      }),
      F.runs(20),
    )
  })

  it('law: backward in eval mode treats the running statistics as constants: x.grad = gamma · out.grad / √(runningVar + eps) (checked numerically)', () => {
    fc.assert(
      fc.property(bnCase, (c) => {
        const { x, gamma, beta, g } = c
        const running = runningOf(c)
        const problem = F.backwardProblems(
          'BatchNorm1d backward in eval mode',
          ([gm, bt]) => batchNorm1d(x.shape[1], { gamma: gm, beta: bt, ...running }),
          [gamma, beta],
          x,
          g,
          ['x', 'gamma', 'beta'],
          'eval',
        )
        expect(
          problem,
          `${problem}. In eval mode the mean and variance are the running ones, constants that do not depend on x: x.grad = gamma · out.grad / √(runningVar + eps), ` +
            "with none of training's terms through the batch statistics, and gamma.grad sums out.grad · xhat where xhat uses the running statistics",
        ).toBeUndefined()
      }),
      F.runs(20),
    )
  })

  it("eps keeps a feature with no spread from dividing by zero, and defaults to the lecture's 1e-5", () => {
    // feature 0 has no spread: every example is 2, the batch variance is 0
    const x = F.matrix([
      [2, -1],
      [2, 1],
      [2, -1],
      [2, 1],
    ])
    const out = batchNorm1d(2, { gamma: F.vector([1.5, 2]), beta: F.vector([0.7, -0.3]) }).forward(x, 'train').out
    const got = F.columns(out)[0]
    for (const value of got) {
      expect(
        value,
        `feature 0 has no spread (every example is 2, variance 0), so every output should be beta = 0.7; got [${got.join(', ')}]. ` +
          "Normalise by √(var + eps), eps inside the square root (the lecture's 1e-5), which keeps a feature with no spread from dividing by zero",
      ).toBeCloseTo(0.7, 9)
    }
    // in eval mode with runningVar = 1e-5, eps is half of what the output is divided by
    const layer = batchNorm1d(1, { runningMean: F.row1([1]), runningVar: F.row1([1e-5]) })
    const evalOut = layer.forward(F.matrix([[1.02]]), 'eval').out.data[0]
    const want = 0.02 / Math.sqrt(1e-5 + 1e-5)
    expect(
      evalOut,
      `eval mode with runningMean 1, runningVar 1e-5 and x = 1.02 should give 0.02 / √(1e-5 + eps) = ${want.toFixed(4)} with eps = 1e-5, the lecture's default; ` +
        F.evalEpsVerdict(evalOut, 0.02, 1e-5),
    ).toBeCloseTo(want, 6)
  })

  it("a fresh BatchNorm1d's momentum is PyTorch's 0.1: one training pass moves the running mean a tenth of the way", () => {
    const x = F.matrix([
      [1, 10],
      [3, 20],
    ])
    const [rm] = batchNorm1d(2).forward(x, 'train').layer.buffers
    expect(rm.data[0], F.momentumSlip(2, rm.data[0])).toBeCloseTo(0.2, 12)
    expect(rm.data[1], F.momentumSlip(15, rm.data[1])).toBeCloseTo(1.5, 12)
  })
  it('the layer a training pass returns keeps its parameters, eps and momentum: only the running statistics move', () => {
    const x = F.matrix([
      [1, 10],
      [3, 20],
      [2, 12],
    ])
    const gamma = F.vector([2, -1]),
      beta = F.vector([0.5, 1])
    const layer = batchNorm1d(2, { gamma, beta, eps: 0.5, momentum: 0.3 })
    const first = layer.forward(x, 'train'),
      next = first.layer
    expect(
      next.parameters.map((t) => Array.from(t.data)),
      F.keptVerdict(layer.parameters, next.parameters),
    ).toEqual([
      [2, -1],
      [0.5, 1],
    ])
    expect(
      Array.from(next.forward(x, 'train').out.data),
      'the returned layer, given the same batch, must give the same training output: the same gamma, beta and eps (0.5, not the default)',
    ).toEqual(Array.from(first.out.data))
    // a second pass from the returned layer: 0.3 · mean + 0.7 · (0.3 · mean) = 0.51 · mean
    const [rm] = next.forward(x, 'train').layer.buffers
    expect(
      Array.from(rm.data).map((v) => Number(v.toFixed(9))),
      `a second pass with momentum 0.3 moves the running mean from 0.3 × [2, 14] to 0.51 × [2, 14]: the returned layer keeps momentum 0.3, not the default 0.1; got [${Array.from(rm.data)}]`,
    ).toEqual([1.02, 7.14])
  })
  it('options.eps replaces the default: a large eps shrinks the output as √(var/(var + eps)) predicts', () => {
    // the feature [-1, 1, -1, 1] has variance 1 (4/3 unbiased): with eps = 1, xhat = x/√2 (or x/√(7/3))
    const x = F.matrix([[-1], [1], [-1], [1]])
    const out = batchNorm1d(1, { gamma: F.vector([2]), beta: F.vector([0.5]), eps: 1 }).forward(x, 'train').out
    const std = Math.sqrt(F.varOf(Array.from(out.data)))
    const biased = 2 * Math.sqrt(1 / 2),
      unbiased = 2 * Math.sqrt(1 / (1 + 4 / 3))
    expect(
      Math.min(Math.abs(std - biased), Math.abs(std - unbiased)),
      `with options.eps = 1 a feature of variance 1 and gamma 2 should come out with std |gamma| · √(var/(var + eps)) = 2 · √(1/2) = ${biased.toFixed(4)}, ` +
        `not ${std.toFixed(4)}: use options.eps when it is given (keep it in the layer a training pass returns)`,
    ).toBeLessThan(1e-9)
    const evalLayer = batchNorm1d(1, { runningMean: F.row1([0]), runningVar: F.row1([3]), eps: 1 })
    const evalOut = evalLayer.forward(F.matrix([[2]]), 'eval').out.data[0]
    expect(
      evalOut,
      `eval mode with options.eps = 1, runningMean 0, runningVar 3 and x = 2 should give 2 / √(3 + 1) = 1, not ${evalOut}: ` +
        (Math.abs(evalOut) < 1e-12
          ? F.evalEpsVerdict(evalOut, 2, 3)
          : `use options.eps when it is given (${F.evalEpsVerdict(evalOut, 2, 3)})`),
    ).toBeCloseTo(1, 9)
    const after = batchNorm1d(1, { runningMean: F.row1([0]), runningVar: F.row1([3]), eps: 1 }).forward(
      x,
      'train',
    ).layer
    const afterOut = after.forward(F.matrix([[2]]), 'eval').out.data[0]
    const rv = after.buffers[1].data[0]
    expect(
      afterOut,
      'use options.eps when it is given (keep it in the layer a training pass returns): after a training pass, eval mode should still divide by √(runningVar + eps) with eps = 1',
    ).toBeCloseTo((2 - after.buffers[0].data[0]) / Math.sqrt(rv + 1), 9)
  })
})

describe('Sequential', () => {
  /**
   * Linear (no bias, as before a BatchNorm) -> BatchNorm1d -> Tanh -> Linear, with random sizes and
   * weights away from 0, and running statistics for eval mode.
   * (BatchNorm makes the loss blind to the scale of W1's columns, so W1's gradient can be small:
   * the whole-stack check allows a relative error of 1e-4.)
   */
  const stackCase = fc
    .tuple(fc.integer({ min: 4, max: 7 }), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 2, max: 5 }), size)
    .chain(([m, d, h, o]) =>
      fc.record({
        x: F.tensorOf([m, d]),
        w1: F.awayFromZero([d, h]),
        w2: F.awayFromZero([h, o]),
        b2: F.tensorOf([o]),
        g: F.tensorOf([m, o]),
        rm: F.tensorOf([h]),
        rv: F.tensorOf([h]),
      }),
    )
    .filter(({ x, w1 }) => F.everyColumnVaries(F.matmul(x, w1)))
  const stack = ({ w1, w2, b2 }: { w1: F.Tensor; w2: F.Tensor; b2: F.Tensor }) => [
    linear(w1),
    batchNorm1d(w1.shape[1]),
    tanhLayer(),
    linear(w2, b2),
  ]

  it("law: keeps every layer's out, in order, each the next layer's input; its parameters are every layer's", () => {
    fc.assert(
      fc.property(stackCase, (c) => {
        const layers = stack(c)
        const seq = sequential(layers)
        expect(seq.kind).toBe('sequential')
        expect(
          seq.parameters.map((p) => F.showShape(p.shape)),
          "Sequential.parameters: every layer's parameters, in layer order",
        ).toEqual(layers.flatMap((l) => l.parameters).map((p) => F.showShape(p.shape)))
        const pass = seq.forward(c.x)
        expect(pass.outs.length, 'one out per layer').toBe(layers.length)
        let h = c.x
        layers.forEach((l, i) => {
          h = l.forward(h).out
          expect(
            F.maxAbsDiff(pass.outs[i], h),
            `outs[${i}] should be layer ${i}'s output for the previous layer's output`,
          ).toBeLessThan(1e-9)
        })
        expect(F.maxAbsDiff(pass.out, h), "out is the last layer's out").toBeLessThan(1e-12)
      }),
      F.runs(25),
    )
  })

  it("law: after backward, every out.grad is the gradient of the loss with respect to that layer's out (checked numerically)", () => {
    fc.assert(
      fc.property(stackCase, (c) => {
        const layers = stack(c)
        const pass = F.checkedSequential(layers).forward(c.x)
        const grads = pass.backward(c.g)
        expect(grads.outGrads.length, 'one out.grad per layer').toBe(layers.length)
        for (let i = 0; i < layers.length; i++) {
          // L = sum(final out * g) as a function of layer i's out: run the remaining layers on it
          const rest = (o: F.Tensor) => layers.slice(i + 1).reduce((h, l) => l.forward(h).out, o)
          const what = `outGrads[${i}] (layer ${i}, ${layers[i].kind}) is not d loss / d (that layer's out): ${F.REVERSE}, and record the gradient that reaches each layer's out`
          expect(F.showShape(grads.outGrads[i].shape), `${what} (their shapes differ)`).toBe(
            F.showShape(pass.outs[i].shape),
          )
          const [claimed] = F.vjpErrors(
            ([o]) => rest(o),
            () => [grads.outGrads[i]],
            [pass.outs[i]],
            c.g,
          )
          expect(claimed, what).toBeLessThan(1e-5)
        }
        const h = c.w1.shape[1]
        const make = ([w1, gamma, beta, w2, b2]: F.Tensor[]) =>
          F.checkedSequential([linear(w1), batchNorm1d(h, { gamma, beta }), tanhLayer(), linear(w2, b2)])
        const whole = F.backwardProblems(
          'Sequential backward',
          make,
          [c.w1, F.ones([h]), F.zeros([h]), c.w2, c.b2],
          c.x,
          c.g,
          ['x', 'W1', 'gamma', 'beta', 'W2', 'b2'],
          'train',
          1e-4,
        )
        expect(
          whole,
          `${whole}. paramGrads lists every layer's parameter gradients, in the order of Sequential.parameters`,
        ).toBeUndefined()
      }),
      F.runs(8),
    )
  })

  it('law: a Sequential is a layer: nesting one inside another changes nothing (outputs and gradients)', () => {
    fc.assert(
      fc.property(stackCase, (c) => {
        const [a, b, t, d] = stack(c)
        const flat = F.checkedSequential([a, b, t, d]).forward(c.x)
        const nested = F.checkedSequential([a, F.checkedSequential([b, t]), d]).forward(c.x)
        expect(
          F.maxAbsDiff(nested.out, flat.out),
          'sequential([a, sequential([b, c]), d]) should compute what sequential([a, b, c, d]) does',
        ).toBeLessThan(1e-12)
        const gf = flat.backward(c.g),
          gn = nested.backward(c.g)
        expect(F.maxAbsDiff(gn.inputGrad, gf.inputGrad), 'nesting should not change x.grad').toBeLessThan(1e-12)
        expect(
          gn.paramGrads.map((p) => Array.from(p.data)),
          'nesting should not change the parameter gradients or their order',
        ).toEqual(gf.paramGrads.map((p) => Array.from(p.data)))
      }),
      F.runs(20),
    )
  })

  it("law: a training pass hands back the Sequential of the layers it returned: its BatchNorm's running statistics moved", () => {
    fc.assert(
      fc.property(stackCase, (c) => {
        const layers = stack(c)
        const after = sequential(layers).forward(c.x, 'train').layer
        expect(after.kind).toBe('sequential')
        expect(
          after.buffers.length,
          "Sequential.buffers: every layer's buffers (BatchNorm's running mean and variance)",
        ).toBe(2)
        // what BatchNorm1d's own training pass, on what reaches it, moves its running statistics to
        const moved = layers[1].forward(layers[0].forward(c.x, 'train').out, 'train').layer.buffers
        expect(
          after.buffers.map((t) => Array.from(t.data)),
          "the Sequential a training pass returns should hold the layer each layer's pass returned (pass.layer), so its BatchNorm has the running mean and variance this batch moved it to",
        ).toEqual(moved.map((t) => Array.from(t.data)))
      }),
      F.runs(20),
    )
  })

  it('law: eval mode reaches every layer: a BatchNorm inside a Sequential normalises with its running statistics', () => {
    fc.assert(
      fc.property(stackCase, (c) => {
        const h = c.w1.shape[1]
        const runningMean = F.row1(Array.from(c.rm.data)),
          runningVar = F.row1(Array.from(c.rv.data, (v) => 0.5 + v * v))
        const layers = [linear(c.w1), batchNorm1d(h, { runningMean, runningVar }), tanhLayer(), linear(c.w2, c.b2)]
        const seq = sequential(layers)
        const out = seq.forward(c.x, 'eval').out
        const want = layers.reduce((t, l) => l.forward(t, 'eval').out, c.x)
        expect(
          F.maxAbsDiff(out, want),
          "eval mode should pass the mode on to every layer: forward(x, 'eval') of a Sequential is each layer's forward(·, 'eval') in turn (the lecture sets layer.training = False on every layer)",
        ).toBeLessThan(1e-12)
        const oneRow = { shape: [1, c.x.shape[1]], data: c.x.data.slice(0, c.x.shape[1]) }
        const alone = seq.forward(oneRow, 'eval').out
        expect(Array.from(alone.data), 'eval mode: one example alone gets the same output as inside a batch').toEqual(
          Array.from(out.data.slice(0, alone.data.length)),
        )
      }),
      F.runs(20),
    )
  })
})

describe("the lecture's networks", () => {
  const V = 27
  it('the BatchNorm MLP (one hidden layer of 200, no b1) has 12,097 parameters', () => {
    const net = lectureMlp(V, 1)
    expect(
      net.body.layers.map((l) => l.kind),
      'Linear(30, 200, no bias) -> BatchNorm1d(200) -> Tanh -> Linear(200, 27)',
    ).toEqual(['linear', 'batchnorm', 'tanh', 'linear'])
    expect(
      parameterCount(net),
      'C (27 x 10) + W1 (30 x 200) + gamma and beta (200 each) + W2 (200 x 27) + b2 (27); BatchNorm subtracts the mean, so b1 would do nothing and the lecture drops it',
    ).toBe(12_097)
  })

  it('the deep net (five hidden layers of 100, BatchNorm after every Linear) has 47,024 parameters', () => {
    const net = deepMlp(V, 1)
    const hidden = ['linear', 'batchnorm', 'tanh']
    expect(net.body.layers.map((l) => l.kind)).toEqual([
      ...hidden,
      ...hidden,
      ...hidden,
      ...hidden,
      ...hidden,
      'linear',
      'batchnorm',
    ])
    expect(
      parameterCount(net),
      'C (27 x 10) + five Linear weights (30 x 100, then 100 x 100) + five BatchNorms of 100 + Linear(100, 27) + BatchNorm1d(27)',
    ).toBe(47_024)
  })

  it("law: parameterCount counts every number of C and of every layer's parameters, not BatchNorm's running statistics", () => {
    const netCase = fc.record({
      v: fc.integer({ min: 2, max: 9 }),
      d: fc.integer({ min: 1, max: 4 }),
      h: fc.integer({ min: 1, max: 9 }),
      o: fc.integer({ min: 1, max: 9 }),
    })
    fc.assert(
      fc.property(netCase, ({ v, d, h, o }) => {
        const net: Network = {
          embedding: F.zeros([v, d]),
          blockSize: 2,
          body: sequential([
            linear(F.zeros([2 * d, h])),
            batchNorm1d(h),
            tanhLayer(),
            linear(F.zeros([h, o]), F.zeros([o])),
          ]),
        }
        const want = v * d + 2 * d * h + 2 * h + h * o + o
        expect(
          parameterCount(net),
          `C [${v}, ${d}] + Linear weight [${2 * d}, ${h}] + BatchNorm1d(${h})'s gamma and beta + Linear weight [${h}, ${o}] and bias [${o}] = ${want}: ` +
            "count every number of C and of Sequential.parameters; BatchNorm's running mean and variance are buffers, not parameters",
        ).toBe(want)
      }),
      F.runs(20),
    )
  })

  it("law: lectureMlp's count grows with the vocabulary: 6,400 + 211 per character", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), (vocab) => {
        // per character of vocabulary: a row of C (10), a column of W2 (200) and an entry of b2 (1)
        expect(
          parameterCount(lectureMlp(vocab, 0)),
          `lectureMlp with a vocabulary of ${vocab}: C (${vocab} x 10) + W1 (30 x 200) + gamma and beta (200 each) + W2 (200 x ${vocab}) + b2 (${vocab}) ` +
            `= 6,400 + 211 x ${vocab}; no bias b1 in the Linear before BatchNorm: BatchNorm subtracts the mean, so b1 would do nothing and the lecture drops it`,
        ).toBe(6_400 + 211 * vocab)
      }),
      F.runs(10),
    )
  })

  it('both start humble: the first loss is close to ln 27 ≈ 3.30', () => {
    const contexts = F.evalRng(F.randint(0, V, 64 * 3), 7)
    const targets = F.evalRng(F.randint(0, V, 64), 8)
    for (const [name, make] of [
      ['lectureMlp', lectureMlp],
      ['deepMlp', deepMlp],
    ] as const) {
      const net = make(V, 3)
      expect(net.blockSize).toBe(3)
      expect(F.showShape(net.embedding.shape), `${name}: C is [vocabSize, 10]`).toBe('[27, 10]')
      const loss = F.crossEntropy(F.logitsOf(net, contexts, 'train'), targets)
      expect(
        Math.abs(loss - Math.log(V)),
        `${name}: the first loss is ${loss.toFixed(3)}, not near ln 27 = 3.296: the network starts confidently wrong. Make the last layer's output small (W2 × 0.01 and b2 = 0; for the deep net, the last BatchNorm's gamma × 0.1)`,
      ).toBeLessThan(0.1)
    }
  })

  it('the same seed gives the same network, every tensor of it, and another seed other weights', () => {
    for (const [name, make] of [
      ['lectureMlp', lectureMlp],
      ['deepMlp', deepMlp],
    ] as const) {
      const net = F.namedTensors(make(V, 3)),
        again = F.namedTensors(make(V, 3)),
        other = F.namedTensors(make(V, 4))
      expect(
        again.map(([n]) => n),
        `${name}: the same seed should give the same layers`,
      ).toEqual(net.map(([n]) => n))
      net.forEach(([what, t], k) => {
        expect(
          Array.from(again[k][1].data),
          `${name}: the same seed should give the same network, but ${what} differs: draw every tensor from the generator seedRng(seed) gives, ` +
            'never from Math.random (the lecture passes generator=g to every torch.randn)',
        ).toEqual(Array.from(t.data))
        if (F.isDrawn(t)) {
          expect(
            Array.from(other[k][1].data),
            `${name}: another seed should give other weights, but ${what} is the same for seeds 3 and 4: draw it from seedRng(seed)'s generator`,
          ).not.toEqual(Array.from(t.data))
        }
      })
    }
  })

  it('every tensor is drawn from one generator whose state is threaded through: no two weights hold the same numbers', () => {
    for (const [name, make] of [
      ['lectureMlp', lectureMlp],
      ['deepMlp', deepMlp],
    ] as const) {
      const drawn = F.namedTensors(make(V, 5)).filter(([, t]) => F.isDrawn(t))
      // pairs that hold the very same numbers first (deepMlp's four 100 x 100 weights, unthreaded), then scaled copies
      const pairs = drawn
        .flatMap((a, i) => drawn.slice(0, i).map((b) => [a, b] as const))
        .map(([a, b]) => ({ a: a[0], b: b[0], r: F.startsWithScaledCopy(a[1], b[1]) }))
        .sort((p, q) => Number(q.r === 1) - Number(p.r === 1))
      for (const { a, b, r } of pairs) {
        expect(
          r,
          `${name}: ${a} holds ${r === 1 ? `the same numbers as ${b}` : `the numbers of ${b} times ${r?.toPrecision(4)}`}: ` +
            'every tensor was drawn from the same generator state. Thread it: initTensor(scheme, shape, fanIn)(s) returns [tensor, next], and the next draw must start from next ' +
            '(the lecture passes one torch.Generator g to every torch.randn, and each draw moves it on)',
        ).toBeUndefined()
      }
    }
  })
})

describe('the reference laws: every function agrees with the reference answer on inputs of every shape, sign and size', () => {
  type Probe = { readonly x: F.Tensor; readonly mode: Mode | undefined }
  const value = L.anyValue(3)
  const tensor = (shape: readonly number[]) => L.tensorShaped(shape, value)
  const mode = fc.constantFrom<Mode | undefined>(undefined, 'train', 'eval')
  /** Three batches of 1 to 5 rows for a layer of `width` inputs (fixed by the widths, so both sides see the same). */
  const drawn = new Map<number, Probe[]>()
  const probes = (width: number): Probe[] => {
    const known = drawn.get(width)
    // a fresh copy each time: a layer that wrote into its input cannot change what later calls see
    if (known !== undefined) return R.deepCopy(known)
    const fresh = fc.sample(
      fc.integer({ min: 1, max: 5 }).chain((n) => fc.record({ x: tensor([n, width]), mode })),
      { numRuns: 3, seed: 7 * width + 1 },
    )
    drawn.set(width, fresh)
    return R.deepCopy(fresh)
  }
  /** An out.grad for the k-th probe's output (the same for both sides). */
  const grads = new Map<string, F.Tensor>()
  const gradFor = (shape: readonly number[], k: number): F.Tensor => {
    const key = `${shape.join('x')}/${k}`
    const known = grads.get(key)
    if (known !== undefined) return R.deepCopy(known)
    const [g] = fc.sample(tensor(shape), { numRuns: 1, seed: 31 * k + shape.length })
    grads.set(key, g)
    return R.deepCopy(g)
  }
  /** What a layer is: its kind, parameters and buffers (and a Sequential's layers), its functions left out. */
  const state = (l: Layer): unknown => ({
    kind: l.kind,
    parameters: l.parameters,
    buffers: l.buffers,
    ...('layers' in l ? { layers: (l as Sequential).layers.map(state) } : {}),
  })
  /**
   * What a layer computes: on each probe, the output (and a Sequential's outs), the layer the pass
   * hands back (its state, and its own output on the same batch in eval mode), and the backward of an
   * out.grad drawn to the output's shape: everything a caller can see.
   */
  const behaviour = (l: Layer, width: number): unknown => ({
    ...(state(l) as object),
    passes: probes(width).map(({ x, mode: m }: Probe, k) => {
      const pass = m === undefined ? l.forward(x) : l.forward(x, m)
      const g = gradFor(pass.out.shape, k)
      return {
        out: pass.out,
        ...('outs' in pass ? { outs: (pass as SequentialPass).outs } : {}),
        layer: state(pass.layer),
        layerInEval: pass.layer.forward(x, 'eval').out,
        backward: pass.backward(g),
      }
    }),
  })
  /**
   * BatchNorm1d's: in eval mode everything; in training (the README accepts the biased or the unbiased
   * variance, for the output and for the running variance) the parameters, the running mean the pass
   * hands back, and the one a second training pass hands back (so the momentum and eps are kept).
   */
  const bnBehaviour = (l: Layer, width: number): unknown => ({
    kind: l.kind,
    parameters: l.parameters,
    buffers: l.buffers,
    passes: probes(width).map(({ x, mode: m }: Probe, k) => {
      const pass = m === undefined ? l.forward(x) : l.forward(x, m)
      if (m === 'eval') {
        const g = gradFor(pass.out.shape, k)
        return { out: pass.out, layer: state(pass.layer), backward: pass.backward(g) }
      }
      const again = pass.layer.forward(x, 'train').layer
      return {
        parameters: pass.layer.parameters,
        runningMean: pass.layer.buffers[0],
        again: { parameters: again.parameters, runningMean: again.buffers[0] },
      }
    }),
  })
  /** The width a stack's first layer takes (any, if only Tanh layers decide it). */
  const inputWidth = (layers: readonly Layer[]): number | undefined => {
    for (const l of layers) {
      if (l.kind === 'linear' || l.kind === 'batchnorm') return l.parameters[0].shape[0]
      if (l.kind === 'sequential') {
        const w = inputWidth((l as Sequential).layers)
        if (w !== undefined) return w
      }
    }
    return undefined
  }
  const weightAndBias = fc
    .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }))
    .chain(([i, o]) => fc.tuple(tensor([i, o]), fc.option(tensor([o]), { nil: undefined })))
  /** A stack of reference layers from `width` features: Linear (with or without bias), Tanh, BatchNorm1d (any options), or a nested Sequential. */
  const layersFrom = (width: number, depth: number): fc.Arbitrary<{ layers: Layer[]; width: number }> =>
    fc.array(fc.integer({ min: 0, max: depth > 0 ? 3 : 2 }), { maxLength: 4 }).chain((kinds) =>
      kinds.reduce<fc.Arbitrary<{ layers: Layer[]; width: number }>>(
        (acc, kind) =>
          acc.chain(({ layers, width: w }) => {
            const push = (l: fc.Arbitrary<{ layer: Layer; width: number }>) =>
              l.map(({ layer, width: next }) => ({ layers: [...layers, layer], width: next }))
            if (kind === 0)
              return push(
                fc
                  .integer({ min: 1, max: 6 })
                  .chain((o) =>
                    fc
                      .tuple(tensor([w, o]), fc.option(tensor([o]), { nil: undefined }))
                      .map(([W, b]) => ({ layer: reference.linear(W, b), width: o })),
                  ),
              )
            if (kind === 1) return push(fc.constant({ layer: reference.tanhLayer(), width: w }))
            if (kind === 2) return push(bnOptions(w).map((o) => ({ layer: reference.batchNorm1d(w, o), width: w })))
            return push(
              layersFrom(w, depth - 1).map((s) => ({ layer: reference.sequential(s.layers), width: s.width })),
            )
          }),
        fc.constant({ layers: [], width }),
      ),
    )
  const row = (dim: number, v = value) => L.tensorShaped([1, dim], v)
  const bnOptions = (dim: number): fc.Arbitrary<BatchNormOptions> =>
    fc.record(
      {
        gamma: tensor([dim]),
        beta: tensor([dim]),
        runningMean: row(dim),
        runningVar: row(dim, fc.oneof(value.map(Math.abs), fc.constant(0))),
        eps: fc.oneof(fc.constantFrom(1e-5, 1e-3, 0.5, 2), fc.double({ min: 1e-5, max: 3, noNaN: true })),
        momentum: fc.oneof(fc.constantFrom(0, 1, 0.1, 0.001), fc.double({ min: 0, max: 1, noNaN: true })),
      },
      { requiredKeys: [] },
    )
  const stack = fc.integer({ min: 1, max: 5 }).chain((w) => fc.tuple(fc.constant(w), layersFrom(w, 1)))
  const network = fc
    .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }))
    .chain(([vocab, dim, block]) =>
      fc
        .tuple(tensor([vocab, dim]), layersFrom(dim * block, 1))
        .map(([embedding, s]): Network => ({ embedding, blockSize: block, body: reference.sequential(s.layers) })),
    )
  /** A network's build: its block size, C's shape and every layer's kind and parameter shapes (the numbers are drawn). */
  const build = (net: Network) => {
    const of = (l: Layer): unknown => ({
      kind: l.kind,
      shapes: l.parameters.map((p) => p.shape),
      buffers: l.buffers,
      ...(l.kind === 'batchnorm' ? { gammaAndBeta: l.parameters } : {}),
      ...(l.kind === 'linear' && l.parameters.length === 2 ? { bias: l.parameters[1] } : {}),
      ...('layers' in l ? { layers: (l as Sequential).layers.map(of) } : {}),
    })
    return { blockSize: net.blockSize, embedding: net.embedding.shape, body: of(net.body) }
  }
  const tolerance = { relative: 1e-9, absolute: 1e-9 }
  const laws = [
    R.law('linear', linear, reference.linear, weightAndBias, ['weight', 'bias'], {
      view: (l, [W]) => behaviour(l as Layer, W.shape[0]),
      tolerance,
    }),
    R.law('tanhLayer', tanhLayer, reference.tanhLayer, fc.tuple(), [], {
      view: (l) => [1, 4, 7].map((w) => behaviour(l as Layer, w)),
      tolerance,
      numRuns: 1,
    }),
    R.law(
      'batchNorm1d',
      batchNorm1d,
      reference.batchNorm1d,
      fc
        .integer({ min: 1, max: 6 })
        .chain((dim) => fc.tuple(fc.constant(dim), fc.option(bnOptions(dim), { nil: undefined }))),
      ['dim', 'options'],
      { view: (l, [dim]) => bnBehaviour(l as Layer, dim), tolerance, numRuns: 20 },
    ),
    R.law(
      'sequential',
      sequential,
      reference.sequential,
      stack.map(([, s]) => [s.layers] as const),
      ['layers'],
      { view: (l, [layers]) => behaviour(l as Layer, inputWidth(layers) ?? 3), tolerance, numRuns: 20 },
    ),
    R.law('parameterCount', parameterCount, reference.parameterCount, fc.tuple(network), ['network']),
    R.law(
      'lectureMlp',
      lectureMlp,
      reference.lectureMlp,
      fc.tuple(fc.integer({ min: 1, max: 30 }), L.anySeed),
      ['vocabSize', 'seed'],
      {
        view: (n) => build(n as Network),
        numRuns: 5,
      },
    ),
    R.law(
      'deepMlp',
      deepMlp,
      reference.deepMlp,
      fc.tuple(fc.integer({ min: 1, max: 30 }), L.anySeed),
      ['vocabSize', 'seed'],
      {
        view: (n) => build(n as Network),
        numRuns: 3,
      },
    ),
  ]
  R.describeLaws(laws, it)
})

import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as loss from './loss.ts'
import { maxVjpError, gradientErrors } from '../engine/gradcheck.ts'
import { dims, tensorOf, uniformValue } from '../engine/arbitraries.ts'
import { full, matrix, zeros, type Tensor } from '../engine/tensor.ts'

const runs = { numRuns: 60 }
const rowSums = (t: Tensor): number[] =>
  Array.from({ length: t.shape[0] }, (_, i) =>
    t.data.subarray(i * t.shape[1], (i + 1) * t.shape[1]).reduce((a, b) => a + b, 0),
  )
const logitsWithTargets = (range: number) =>
  dims(8).chain(([m, n]) =>
    fc.tuple(tensorOf([m, n], range), fc.array(fc.integer({ min: 0, max: n - 1 }), { minLength: m, maxLength: m })),
  )

describe('softmax', () => {
  it('each row sums to 1 and every probability lies in [0, 1]', () => {
    fc.assert(
      fc.property(
        dims(8).chain(([m, n]) => tensorOf([m, n], 30)),
        (x) => {
          const p = loss.softmax(x)
          rowSums(p).forEach((s) => expect(s).toBeCloseTo(1, 12))
          return p.data.every((v) => v >= 0 && v <= 1)
        },
      ),
      runs,
    )
  })
  it('is unchanged by adding a constant to a row', () => {
    fc.assert(
      fc.property(
        dims(8).chain(([m, n]) => tensorOf([m, n], 10)),
        uniformValue(500),
        (x, c) => {
          const shifted = { shape: x.shape, data: x.data.map((v) => v + c) }
          const a = loss.softmax(x).data,
            b = loss.softmax(shifted).data
          return a.every((v, i) => Math.abs(v - b[i]) < 1e-12)
        },
      ),
      runs,
    )
  })
  it('stays finite for logits up to ±1e4 (the max is subtracted first)', () => {
    fc.assert(
      fc.property(
        dims(8).chain(([m, n]) => tensorOf([m, n], 1e4)),
        (x) => {
          const p = loss.softmax(x),
            lp = loss.logSoftmax(x)
          return p.data.every(Number.isFinite) && lp.data.every(Number.isFinite)
        },
      ),
      runs,
    )
    const p = loss.softmax(matrix([[1e4, -1e4, 0]]))
    expect(Array.from(p.data)).toEqual([1, 0, 0])
  })
  it("extreme logits make a confident distribution, small ones a diffuse one (the lecture's example)", () => {
    const good = loss.softmax(matrix([[0.1, -0.2, 0.0, 0.3]])).data
    const bad = loss.softmax(matrix([[0.1, -20, 15, -5]])).data
    expect(Math.max(...good)).toBeLessThan(0.34)
    expect(bad[2]).toBeGreaterThan(0.9999)
  })
  it('softmax and log-softmax backward match central differences', () => {
    const arb = dims(6).chain(([m, n]) => fc.tuple(tensorOf([m, n], 4), tensorOf([m, n])))
    fc.assert(
      fc.property(
        arb,
        ([x, g]) =>
          maxVjpError(
            ([t]) => loss.softmax(t),
            ([t], gg) => [loss.softmaxBackward(loss.softmax(t), gg)],
            [x],
            g,
          ) < 1e-6 &&
          maxVjpError(
            ([t]) => loss.logSoftmax(t),
            ([t], gg) => [loss.logSoftmaxBackward(loss.logSoftmax(t), gg)],
            [x],
            g,
          ) < 1e-6,
      ),
      runs,
    )
  })
  it('log-softmax is the log of softmax', () => {
    fc.assert(
      fc.property(
        dims(8).chain(([m, n]) => tensorOf([m, n], 20)),
        (x) => {
          const p = loss.softmax(x).data,
            lp = loss.logSoftmax(x).data
          return p.every((v, i) => v < 1e-300 || Math.abs(Math.log(v) - lp[i]) < 1e-9)
        },
      ),
      runs,
    )
  })
})

describe('cross-entropy', () => {
  it('of all-equal logits over V classes is ln V (3.2958 for 27): the expected initial loss', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 100 }), fc.integer({ min: 1, max: 16 }), uniformValue(50), (v, m, c) => {
        const targets = Array.from({ length: m }, (_, i) => i % v)
        expect(loss.crossEntropy(full([m, v], c), targets)).toBeCloseTo(Math.log(v), 10)
        expect(loss.expectedInitialLoss(v)).toBeCloseTo(Math.log(v), 15)
      }),
      runs,
    )
    expect(loss.crossEntropy(zeros([32, 27]), new Int32Array(32))).toBeCloseTo(3.2958, 4)
  })
  it('its gradient (softmax - onehot) / N matches central differences', () => {
    fc.assert(
      fc.property(
        logitsWithTargets(4),
        ([x, t]) =>
          Math.max(...gradientErrors(([l]) => loss.crossEntropy(l, t), [x], [loss.crossEntropyBackward(x, t)])) < 1e-6,
      ),
      runs,
    )
  })
  it('computed with its gradient, it gives the same loss, and each gradient row sums to 0', () => {
    fc.assert(
      fc.property(logitsWithTargets(30), ([x, t]) => {
        const both = loss.crossEntropyWithGrad(x, t)
        expect(both.loss).toBeCloseTo(loss.crossEntropy(x, t), 10)
        rowSums(both.dlogits).forEach((s) => expect(Math.abs(s)).toBeLessThan(1e-12))
      }),
      runs,
    )
  })
  it('stays finite when the target gets a probability that underflows to 0', () => {
    const l = loss.crossEntropyWithGrad(matrix([[1e4, -1e4]]), [1])
    expect(l.loss).toBeCloseTo(2e4, 6)
    expect(loss.crossEntropy(matrix([[1e4, -1e4]]), [1])).toBeCloseTo(2e4, 6)
  })
  it('a wrong number of targets or a target outside the classes is an error naming the op', () => {
    expect(() => loss.crossEntropy(zeros([2, 27]), [0])).toThrow('crossEntropy: 1 targets for logits of shape [2, 27]')
    expect(() => loss.crossEntropy(zeros([1, 27]), [27])).toThrow(
      'crossEntropy: target 27 at row 0 is not a class index in 0..26',
    )
  })
})

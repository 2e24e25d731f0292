import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { gradientErrors, maxVjpError, numericGradient, relativeError } from './gradcheck.ts'
import { tensorOf } from './arbitraries.ts'
import { mul, tanh, tanhBackward } from './ops.ts'

describe('gradient checking', () => {
  it('central differences recover the gradient of a polynomial', () => {
    const g = numericGradient((x) => x[0] ** 3 + 2 * x[0] * x[1], Float64Array.of(2, 3))
    expect(g[0]).toBeCloseTo(12 + 6, 6)
    expect(g[1]).toBeCloseTo(4, 6)
  })
  it('relative error is 0 for equal vectors, and 1 for opposite ones', () => {
    fc.assert(
      fc.property(tensorOf([5]), (t) => {
        expect(relativeError(t.data, t.data)).toBe(0)
        expect(
          relativeError(
            t.data,
            t.data.map((v) => -v),
          ),
        ).toBeCloseTo(1, 12)
      }),
    )
  })
  it('catches a wrong gradient: the classic 1 - t instead of 1 - t^2 for tanh fails the check', () => {
    fc.assert(
      fc.property(tensorOf([4, 3]), tensorOf([4, 3]), (x, g) => {
        const wrong = (t: typeof x, gg: typeof x) => mul({ shape: t.shape, data: t.data.map((v) => 1 - v) }, gg)
        expect(
          maxVjpError(
            ([a]) => tanh(a),
            ([a], gg) => [tanhBackward(tanh(a), gg)],
            [x],
            g,
          ),
        ).toBeLessThan(1e-6)
        expect(
          maxVjpError(
            ([a]) => tanh(a),
            ([a], gg) => [wrong(tanh(a), gg)],
            [x],
            g,
          ),
        ).toBeGreaterThan(1e-2)
      }),
    )
  })
  it('checks each input of a scalar loss separately', () => {
    const x = { shape: [2], data: Float64Array.of(1, 2) }
    const errs = gradientErrors(([a]) => a.data[0] * a.data[1], [x], [{ shape: [2], data: Float64Array.of(2, 1) }])
    expect(errs[0]).toBeLessThan(1e-9)
  })
})

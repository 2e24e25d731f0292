import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addScaled, moments } from '../ops.ts'
import { updateMeasured } from './sgd.ts'

const value = fc.oneof(
  { weight: 20, arbitrary: fc.double({ min: -1e3, max: 1e3, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0) },
)
const pair = fc
  .integer({ min: 0, max: 41 })
  .chain((n) =>
    fc.tuple(fc.array(value, { minLength: n, maxLength: n }), fc.array(value, { minLength: n, maxLength: n })),
  )

const same = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))

describe('updateMeasured', () => {
  it("gives moments' standard deviations of g and p (before the move) and addScaled's parameters, bit for bit", () => {
    fc.assert(
      fc.property(pair, fc.double({ min: -1, max: 1, noNaN: true }), ([ps, gs], c) => {
        const p = Float64Array.from(ps),
          g = Float64Array.from(gs)
        const expected = addScaled({ shape: [p.length], data: p }, c, { shape: [g.length], data: g }).data
        const gStd = moments(g).std,
          pStd = moments(p).std
        const stds = new Float64Array(3).fill(7)
        updateMeasured(p, g, c, stds, 1)
        expect(stds[0], 'stds outside [at, at + 1] untouched').toBe(7)
        expect(same(stds[1], gStd), `std(g) ${stds[1]} != ${gStd}`).toBe(true)
        expect(same(stds[2], pStd), `std(p) ${stds[2]} != ${pStd}`).toBe(true)
        p.forEach((v, i) => expect(same(v, expected[i]), `p[${i}] ${v} != ${expected[i]}`).toBe(true))
      }),
      { numRuns: 300 },
    )
  })
})

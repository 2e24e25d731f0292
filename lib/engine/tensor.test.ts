import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as T from './tensor.ts'
import { dims, tensorOf } from './arbitraries.ts'

describe('tensors', () => {
  it('a tensor needs exactly as many values as its shape holds', () => {
    expect(() => T.tensor([2, 3], new Float64Array(5))).toThrow('tensor: shape [2, 3] needs 6 values, got 5')
    expect(() => T.zeros([2, -1])).toThrow('full: invalid shape [2, -1]')
    expect(T.sizeOf([])).toBe(1)
  })
  it('reshape is a view with the same values in the same order; -1 is inferred', () => {
    fc.assert(
      fc.property(
        dims(6).chain(([m, n]) => tensorOf([m, n])),
        (t) => {
          const v = T.reshape(t, [-1])
          expect(v.data).toBe(t.data)
          expect(T.reshape(v, t.shape).shape).toEqual(t.shape)
          expect(T.reshape(t, [1, -1]).shape).toEqual([1, t.data.length])
        },
      ),
    )
    expect(() => T.reshape(T.zeros([2, 3]), [4, -1])).toThrow('reshape: cannot view [2, 3] (6 values) as [4, -1]')
  })
  it('concatColumns then splitColumns gives back the parts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
        (m, widths) => {
          const parts = widths.map((w, i) => T.map(T.zeros([m, w]), (_, j) => i * 100 + j))
          const joined = T.concatColumns(parts)
          expect(joined.shape).toEqual([m, widths.reduce((a, b) => a + b, 0)])
          T.splitColumns(joined, widths).forEach((p, i) =>
            expect(Array.from(p.data)).toEqual(Array.from(parts[i].data)),
          )
        },
      ),
    )
    expect(() => T.concatColumns([T.zeros([2, 1]), T.zeros([3, 1])])).toThrow(
      'concatColumns: row counts differ: [2, 1], [3, 1]',
    )
  })
  it('matrix, row, at and toArray agree', () => {
    const t = T.matrix([
      [1, 2, 3],
      [4, 5, 6],
    ])
    expect(T.at(t, 1, 2)).toBe(6)
    expect(Array.from(T.row(t, 1).data)).toEqual([4, 5, 6])
    expect(T.toArray(t)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ])
    expect(() => T.row(t, 2)).toThrow('row: row 2 is outside 0..1')
    expect(() => T.matrix([[1, 2], [3]])).toThrow('matrix: row 1 has 1 values, row 0 has 2')
  })
})

import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as ops from './ops.ts'
import { maxVjpError } from './gradcheck.ts'
import { tensorOf, dims } from './arbitraries.ts'
import { matrix, zeros, type Tensor } from './tensor.ts'

const TOL = 1e-6
const runs = { numRuns: 60 }

/** The textbook triple loop, the reference every fast matmul form is compared with. */
const naiveMatmul = (a: Tensor, b: Tensor): Tensor => {
  const [m, k] = a.shape,
    n = b.shape[1]
  const out = new Float64Array(m * n)
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) out[i * n + j] += a.data[i * k + p] * b.data[p * n + j]
  return { shape: [m, n], data: out }
}
const transpose = (t: Tensor): Tensor => {
  const [m, n] = t.shape
  const out = new Float64Array(m * n)
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * m + i] = t.data[i * n + j]
  return { shape: [n, m], data: out }
}
const close = (a: Tensor, b: Tensor, tol = 1e-12) => {
  expect(a.shape).toEqual(b.shape)
  a.data.forEach((x, i) => expect(Math.abs(x - b.data[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(b.data[i]))))
}

const mkn = fc.tuple(fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 11 }))
const matmulPair = mkn.chain(([m, k, n]) => fc.tuple(tensorOf([m, k]), tensorOf([k, n]), tensorOf([m, n])))

describe('matmul and its transposed forms', () => {
  it('A@B equals the triple loop for every shape (block edges included)', () => {
    fc.assert(
      fc.property(matmulPair, ([a, b]) => close(ops.matmul(a, b), naiveMatmul(a, b))),
      runs,
    )
  })
  it('A@B^T equals A@(B^T) and A^T@B equals (A^T)@B', () => {
    fc.assert(
      fc.property(matmulPair, ([a, b]) => {
        close(ops.matmulNT(a, transpose(b)), naiveMatmul(a, b))
        close(ops.matmulTN(transpose(a), b), naiveMatmul(a, b))
      }),
      runs,
    )
  })
  it('matmul backward matches central differences for both inputs', () => {
    fc.assert(
      fc.property(
        matmulPair,
        ([a, b, g]) =>
          maxVjpError(
            ([x, y]) => ops.matmul(x, y),
            ([x, y], gg) => ops.matmulBackward(x, y, gg),
            [a, b],
            g,
          ) < TOL,
      ),
      runs,
    )
  })
  it("A@B + bias (Linear's forward in one pass) equals add(matmul(A, B), bias) bit for bit, bias as (n) or (1, n)", () => {
    fc.assert(
      fc.property(
        matmulPair.chain(([a, b]) => fc.tuple(fc.constant(a), fc.constant(b), fc.boolean(), tensorOf([b.shape[1]]))),
        ([a, b, asRow, bias]) => {
          const row = asRow ? { shape: [1, bias.shape[0]], data: bias.data } : bias
          const fused = ops.matmulAddRow(a, b, row)
          const apart = ops.add(ops.matmul(a, b), row)
          expect(fused.shape).toEqual(apart.shape)
          expect(Array.from(fused.data)).toEqual(Array.from(apart.data))
        },
      ),
      runs,
    )
    expect(() => ops.matmulAddRow(zeros([2, 3]), zeros([3, 4]), zeros([5]))).toThrow(
      'matmulAddRow: bias [5] is not one row of 4 for [2, 4]',
    )
    expect(() => ops.matmulAddRow(zeros([2, 3]), zeros([3, 4]), zeros([2, 4]))).toThrow(/matmulAddRow: bias \[2, 4\]/)
  })
  it('a shape mismatch names the op and both shapes', () => {
    expect(() => ops.matmul(zeros([2, 3]), zeros([4, 5]))).toThrow(
      /matmul: inner dimensions differ: \[2, 3\] @ \[4, 5\]/,
    )
    expect(() => ops.matmulNT(zeros([2, 3]), zeros([4, 5]))).toThrow(/matmulNT.*\[2, 3\].*\[4, 5\]/)
    expect(() => ops.matmulTN(zeros([2, 3]), zeros([4, 5]))).toThrow(/matmulTN.*\[2, 3\].*\[4, 5\]/)
    expect(() => ops.matmul(zeros([6]), zeros([6, 1]))).toThrow(/matmul: left must be 2-D, got shape \[6\]/)
  })
})

/** A second operand that broadcasts against an (m, n) first operand in each way the nets use. */
const broadcastPair = (positive: boolean) =>
  dims(5).chain(([m, n]) =>
    fc.constantFrom<readonly number[]>([m, n], [1, n], [m, 1], [n], [1, 1]).chain((bShape) =>
      fc.tuple(
        tensorOf([m, n]),
        tensorOf(bShape).map((b) => (positive ? { ...b, data: b.data.map((x) => 0.5 + Math.abs(x)) } : b)),
        tensorOf([m, n]),
      ),
    ),
  )

describe('broadcasting arithmetic', () => {
  const cases = [
    ['add', ops.add, ops.addBackward, false],
    ['sub', ops.sub, ops.subBackward, false],
    ['mul', ops.mul, ops.mulBackward, false],
    ['div', ops.div, ops.divBackward, true],
  ] as const
  for (const [name, f, back, positive] of cases) {
    it(`${name} backward matches central differences, gradients summed over broadcast rows and columns`, () => {
      fc.assert(
        fc.property(broadcastPair(positive), ([a, b, g]) => {
          const out = f(a, b)
          expect(out.shape).toEqual(a.shape)
          const grads = back(a, b, g)
          expect(grads[1].shape).toEqual(b.shape)
          return (
            maxVjpError(
              ([x, y]) => f(x, y),
              ([x, y], gg) => back(x, y, gg),
              [a, b],
              g,
            ) < TOL
          )
        }),
        runs,
      )
    })
  }
  it('a bias row is added to every row', () => {
    expect(
      Array.from(
        ops.add(
          matrix([
            [1, 2],
            [3, 4],
          ]),
          matrix([[10, 20]]),
        ).data,
      ),
    ).toEqual([11, 22, 13, 24])
  })
  it('incompatible shapes name the op and both shapes', () => {
    expect(() => ops.add(zeros([3, 4]), zeros([2, 4]))).toThrow('add: cannot broadcast [3, 4] with [2, 4]')
    expect(() => ops.mul(zeros([3, 4]), zeros([5]))).toThrow('mul: cannot broadcast [3, 4] with [5]')
  })
  it('addScaled is a + c*b and refuses different shapes', () => {
    expect(Array.from(ops.addScaled(matrix([[1, 2]]), -0.5, matrix([[2, 4]])).data)).toEqual([0, 0])
    expect(() => ops.addScaled(zeros([1, 2]), 1, zeros([2, 1]))).toThrow(/addScaled: shapes must match/)
  })
})

describe('reductions along an axis', () => {
  const axisCase = dims(6).chain(([m, n]) =>
    fc
      .constantFrom<0 | 1>(0, 1)
      .chain((axis) => fc.tuple(tensorOf([m, n]), fc.constant(axis), tensorOf(axis === 0 ? [1, n] : [m, 1]))),
  )
  it('mean backward matches central differences', () => {
    fc.assert(
      fc.property(
        axisCase,
        ([x, axis, g]) =>
          maxVjpError(
            ([t]) => ops.mean(t, axis),
            ([t], gg) => [ops.meanBackward(t, axis, gg)],
            [x],
            g,
          ) < TOL,
      ),
      runs,
    )
  })
  it('variance backward (biased and unbiased) matches central differences', () => {
    const wide = fc
      .tuple(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 2, max: 6 }))
      .chain(([m, n]) =>
        fc
          .constantFrom<0 | 1>(0, 1)
          .chain((axis) =>
            fc.tuple(
              tensorOf([m, n]),
              fc.constant(axis),
              tensorOf(axis === 0 ? [1, n] : [m, 1]),
              fc.constantFrom<0 | 1>(0, 1),
            ),
          ),
      )
    fc.assert(
      fc.property(wide, ([x, axis, g, correction]) => {
        return (
          maxVjpError(
            ([t]) => ops.variance(t, axis, { correction }),
            ([t], gg) => [ops.varianceBackward(t, axis, gg, correction)],
            [x],
            g,
          ) < TOL
        )
      }),
      runs,
    )
  })
  it('biased variance divides by N, unbiased by N - 1', () => {
    const x = matrix([[1], [2], [3], [6]])
    expect(ops.variance(x, 0).data[0]).toBeCloseTo(3.5, 12)
    expect(ops.variance(x, 0, { correction: 1 }).data[0]).toBeCloseTo(14 / 3, 12)
    expect(ops.std(x, 0, { correction: 1 }).data[0]).toBeCloseTo(Math.sqrt(14 / 3), 12)
  })
  it('keepdims keeps a size-1 axis that broadcasts back; without it the axis is dropped', () => {
    const x = matrix([
      [1, 2, 3],
      [4, 5, 6],
    ])
    expect(ops.sum(x, 0).shape).toEqual([1, 3])
    expect(ops.sum(x, 1, { keepdims: false }).shape).toEqual([2])
    expect(Array.from(ops.mean(x, 1).data)).toEqual([2, 5])
    expect(ops.meanAll(x)).toBe(3.5)
  })
  it('moments are the two-pass mean and population std of the finite values, NaN when there are none; stdAll lets a NaN show', () => {
    const finite = fc.double({ min: -1e3, max: 1e3, noNaN: true })
    const broken = fc.constantFrom(NaN, Infinity, -Infinity)
    fc.assert(
      fc.property(
        fc.array(finite, { minLength: 1, maxLength: 60 }),
        fc.array(broken, { maxLength: 5 }),
        fc.nat(),
        (xs, bad, at) => {
          const mu = xs.reduce((a, b) => a + b, 0) / xs.length
          const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mu) ** 2, 0) / xs.length)
          // the broken values anywhere among the finite ones, inside a group of four or in the tail
          const mixed = [...xs]
          bad.forEach((b, i) => mixed.splice((at + 7 * i) % (mixed.length + 1), 0, b))
          const m = ops.moments(mixed)
          expect(m.mean).toBeCloseTo(mu, 9)
          expect(m.std).toBeCloseTo(sd, 9)
          const t = { shape: [xs.length], data: Float64Array.from(xs) }
          expect(ops.stdAll(t)).toBeCloseTo(m.std, 9)
          if (bad.length > 0)
            expect(ops.stdAll({ shape: [xs.length + bad.length], data: Float64Array.from([...bad, ...xs]) })).toBeNaN()
        },
      ),
      runs,
    )
    expect(ops.moments([]).mean).toBeNaN()
    expect(ops.moments([NaN, Infinity]).std).toBeNaN()
  })
  it('a bad axis or too few values is an error naming the op', () => {
    expect(() => ops.sum(zeros([2, 2]), 2 as 0)).toThrow('sum: axis must be 0 or 1, got 2')
    expect(() => ops.variance(zeros([1, 3]), 0, { correction: 1 })).toThrow(/variance: needs more than 1 value/)
  })
})

describe('elementwise functions', () => {
  const unary = (range: number, shift = 0) =>
    dims(6).chain(([m, n]) =>
      fc.tuple(
        tensorOf([m, n], range).map((t) => ({ ...t, data: t.data.map((x) => x + shift) })),
        tensorOf([m, n]),
      ),
    )
  it('tanh backward (1 - t^2 times the incoming gradient) matches central differences', () => {
    fc.assert(
      fc.property(
        unary(4),
        ([x, g]) =>
          maxVjpError(
            ([t]) => ops.tanh(t),
            ([t], gg) => [ops.tanhBackward(ops.tanh(t), gg)],
            [x],
            g,
          ) < TOL,
      ),
      runs,
    )
  })
  it('relu backward matches central differences away from the kink at 0', () => {
    const awayFromKink = unary(3).map(
      ([x, g]) => [{ ...x, data: x.data.map((v) => v + Math.sign(v || 1) * 0.01) }, g] as const,
    )
    fc.assert(
      fc.property(
        awayFromKink,
        ([x, g]) =>
          maxVjpError(
            ([t]) => ops.relu(t),
            ([t], gg) => [ops.reluBackward(t, gg)],
            [x],
            g,
          ) < TOL,
      ),
      runs,
    )
  })
  it('sqrt backward matches central differences', () => {
    fc.assert(
      fc.property(
        unary(1.5, 2),
        ([x, g]) =>
          maxVjpError(
            ([t]) => ops.sqrt(t),
            ([t], gg) => [ops.sqrtBackward(ops.sqrt(t), gg)],
            [x],
            g,
          ) < TOL,
      ),
      runs,
    )
  })
  it('tanh saturates: its local gradient at |x| = 5 is below 2e-4', () => {
    const t = ops.tanh(matrix([[5, -5]]))
    expect(Math.max(...ops.tanhBackward(t, matrix([[1, 1]])).data)).toBeLessThan(2e-4)
  })
})

describe('gather (the embedding lookup)', () => {
  const lookup = fc
    .tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 12 }))
    .chain(([v, d, count]) =>
      fc.tuple(
        tensorOf([v, d]),
        fc.array(fc.integer({ min: 0, max: v - 1 }), { minLength: count, maxLength: count }),
        tensorOf([count, d]),
      ),
    )
  it('row r of the result is row indices[r] of the table', () => {
    fc.assert(
      fc.property(lookup, ([table, ix]) => {
        const out = ops.gather(table, ix)
        const d = table.shape[1]
        ix.forEach((v, r) =>
          expect(Array.from(out.data.subarray(r * d, (r + 1) * d))).toEqual(
            Array.from(table.data.subarray(v * d, (v + 1) * d)),
          ),
        )
      }),
      runs,
    )
  })
  it('its backward scatter-adds (repeated indices accumulate) and matches central differences', () => {
    fc.assert(
      fc.property(
        lookup,
        ([table, ix, g]) =>
          maxVjpError(
            ([t]) => ops.gather(t, ix),
            ([t], gg) => [ops.gatherBackward(t.shape, ix, gg)],
            [table],
            g,
          ) < TOL,
      ),
      runs,
    )
  })
  it('an index outside the table is an error saying which and where', () => {
    expect(() => ops.gather(zeros([27, 10]), [0, 27])).toThrow(
      "gather: index 27 at position 1 is outside the table's 27 rows",
    )
  })
})

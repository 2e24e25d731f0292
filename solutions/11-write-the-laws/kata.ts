/**
 * Reference answers for kata 11 (write the laws). Each export has the type katas/11-write-the-
 * laws/types.ts gives it, as the learner's must: the answer can be copied into katas/11-write-the-
 * laws/kata.ts as it is.
 */
import fc from 'fast-check'
import type { Kata } from '../../katas/11-write-the-laws/types.ts'
import { tensorOf } from '../../lib/engine/arbitraries.ts'
import { map, matrix, type Tensor } from '../../lib/engine/tensor.ts'

const close = (a: number, b: number, tol = 1e-9): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b))
const rows = (t: Tensor): number[][] =>
  Array.from({ length: t.shape[0] }, (_, i) => Array.from(t.data.subarray(i * t.shape[1], (i + 1) * t.shape[1])))
const sameShape = (a: Tensor, b: Tensor): boolean => a.shape.join() === b.shape.join()
/** Logits of 2 to 5 rows and 2 to 6 columns, entries in ±range. */
const logits = (range: number) =>
  fc.tuple(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 2, max: 6 })).chain(([n, v]) => tensorOf([n, v], range))

export const softmaxLaws: Kata['softmaxLaws'] = () => [
  {
    // the README's worked example
    name: 'every row is a distribution: entries in [0, 1] that sum to 1',
    property: (f) =>
      fc.property(logits(5), (x) => {
        const p = f(x)
        return sameShape(p, x) && rows(p).every((r) => r.every((q) => q >= 0 && q <= 1) && close(sum(r), 1))
      }),
  },
  {
    name: 'p_i / p_j = exp(x_i − x_j) within a row',
    property: (f) =>
      fc.property(logits(5), (x) => {
        const p = rows(f(x)),
          xs = rows(x)
        return xs.every((r, i) => r.every((xi, a) => close(p[i][a] / p[i][0], Math.exp(xi - r[0]), 1e-9)))
      }),
  },
  {
    name: 'adding a different constant to each row, even ±1000, changes nothing (and nothing overflows)',
    property: (f) =>
      fc.property(
        logits(5),
        fc.array(fc.double({ min: -1000, max: 1000, noNaN: true }), { minLength: 5, maxLength: 5 }),
        (x, c) => {
          const v = x.shape[1]
          const shifted = map(x, (a, k) => a + c[Math.floor(k / v)])
          const p = f(x).data,
            q = f(shifted).data
          return p.every((a, k) => Number.isFinite(q[k]) && Math.abs(a - q[k]) <= 1e-9)
        },
      ),
  },
]

const sum = (r: readonly number[]): number => r.reduce((a, b) => a + b, 0)

export const tanhLocalGradientLaws: Kata['tanhLocalGradientLaws'] = () => [
  {
    name: 'it is the slope of tanh: at t = tanh(x) it matches (tanh(x + h) − tanh(x − h)) / 2h',
    property: (f) =>
      fc.property(fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: 1, maxLength: 8 }), (xs) => {
        const h = 1e-5
        const g = f(matrix([xs.map(Math.tanh)])).data
        return xs.every((x, k) => Math.abs(g[k] - (Math.tanh(x + h) - Math.tanh(x - h)) / (2 * h)) <= 1e-8)
      }),
  },
  {
    name: 'even, between 0 and 1, exactly 1 at t = 0 and 0 at t = ±1',
    property: (f) =>
      fc.property(fc.double({ min: -1, max: 1, noNaN: true }), (t) => {
        const [a, b, zero, one, minusOne] = f(matrix([[t, -t, 0, 1, -1]])).data
        return a === b && a >= 0 && a <= 1 && zero === 1 && one === 0 && minusOne === 0
      }),
  },
]

/** x [N, D] with N from 2 to 6, gamma and beta [D], eps from 1e-5 to 1. */
const batchNormInputs = fc
  .tuple(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 4 }))
  .chain(([n, d]) =>
    fc.tuple(
      tensorOf([n, d], 3),
      fc.array(fc.double({ min: 0.2, max: 3, noNaN: true }), { minLength: d, maxLength: d }),
      fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: d, maxLength: d }),
      fc.constantFrom(1e-5, 0.1, 1),
    ),
  )
const column = (t: Tensor, j: number): number[] => rows(t).map((r) => r[j])
const meanOf = (xs: readonly number[]): number => sum(xs) / xs.length
const biasedVar = (xs: readonly number[]): number => meanOf(xs.map((x) => (x - meanOf(xs)) ** 2))

export const batchNormTrainLaws: Kata['batchNormTrainLaws'] = () => [
  {
    name: 'each column comes out with mean beta_j and biased variance gamma_j² var_j / (var_j + eps)',
    property: (f) =>
      fc.property(batchNormInputs, ([x, gamma, beta, eps]) => {
        const out = f(x, matrix([gamma]), matrix([beta]), eps)
        return gamma.every((g, j) => {
          const v = biasedVar(column(x, j))
          return (
            close(meanOf(column(out, j)), beta[j], 1e-9) &&
            close(biasedVar(column(out, j)), (g * g * v) / (v + eps), 1e-9)
          )
        })
      }),
  },
  {
    name: 'a column whose values are all equal comes out as beta (eps keeps 0 / 0 away)',
    property: (f) =>
      fc.property(batchNormInputs, fc.double({ min: -3, max: 3, noNaN: true }), ([x, gamma, beta, eps], c) => {
        const flat = map(x, (a, k) => (k % x.shape[1] === 0 ? c : a))
        const out = f(flat, matrix([gamma]), matrix([beta]), eps)
        return column(out, 0).every((o) => close(o, beta[0], 1e-9))
      }),
  },
]

export const kaimingStdLaws: Kata['kaimingStdLaws'] = () => [
  {
    name: 'std × √fanIn is the gain',
    property: (f) =>
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0.1, max: 3, noNaN: true }), (fanIn, gain) =>
        close(f(fanIn, gain) * Math.sqrt(fanIn), gain),
      ),
  },
  {
    name: 'twice the gain gives twice the std; four times the fan-in halves it',
    property: (f) =>
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        (fanIn, gain) => close(f(fanIn, 2 * gain), 2 * f(fanIn, gain)) && close(f(4 * fanIn, gain), f(fanIn, gain) / 2),
      ),
  },
]

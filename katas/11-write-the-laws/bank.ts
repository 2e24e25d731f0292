/**
 * The implementations kata 11's laws are graded on: the reference of each function, and a bank
 * of broken ones, each with what is broken in it (the message a learner sees when their laws let
 * it through). Every broken one differs from the reference on some input a good law generates.
 */
import { tanhBackward } from '../../lib/engine/ops.ts'
import { map, ones, type Tensor } from '../../lib/engine/tensor.ts'
import { kaimingStd } from '../../lib/model/init.ts'
import { softmax } from '../../lib/model/loss.ts'
import type { BatchNormTrain, KaimingStd, Softmax, TanhLocalGradient } from './types.ts'

export interface Broken<F> {
  /** A short name for the page and the check's title. */
  readonly name: string
  /** What is broken in it, and which law catches it. */
  readonly what: string
  readonly f: F
}

// ---------------------------------------------------------------------------------------------
// The references

/** Softmax along each row of x, from a per-row exp: the skeleton of the broken softmaxes too. */
const rowSoftmax =
  (rowOf: (row: Float64Array, all: Float64Array) => Float64Array) =>
  (x: Tensor): Tensor => {
    const [n, v] = x.shape
    const out = new Float64Array(n * v)
    for (let i = 0; i < n; i++) out.set(rowOf(x.data.slice(i * v, (i + 1) * v), x.data), i * v)
    return { shape: [n, v], data: out }
  }
const normalised = (e: Float64Array): Float64Array => {
  const s = e.reduce((a, b) => a + b, 0)
  return e.map((x) => x / s)
}

const batchNormWith =
  (opts: {
    correction?: number
    epsOutside?: boolean
    centre?: boolean
    axis?: 0 | 1
    affine?: 'ok' | 'no-beta' | 'swapped'
  }) =>
  (x: Tensor, gamma: Tensor, beta: Tensor, eps: number): Tensor => {
    const [n, d] = x.shape
    const out = new Float64Array(n * d)
    const byColumn = (opts.axis ?? 0) === 0
    const groups = byColumn ? d : n,
      size = byColumn ? n : d
    const at = (g: number, k: number) => (byColumn ? k * d + g : g * d + k)
    for (let g = 0; g < groups; g++) {
      let mean = 0
      for (let k = 0; k < size; k++) mean += x.data[at(g, k)]
      mean /= size
      let v = 0
      for (let k = 0; k < size; k++) v += (x.data[at(g, k)] - mean) ** 2
      v /= size - (opts.correction ?? 0)
      const denom = opts.epsOutside === true ? Math.sqrt(v) + eps : Math.sqrt(v + eps)
      for (let k = 0; k < size; k++) {
        const i = at(g, k),
          j = i % d
        const xhat = (x.data[i] - (opts.centre === false ? 0 : mean)) / denom
        const affine = opts.affine ?? 'ok'
        out[i] =
          affine === 'swapped'
            ? beta.data[j] * xhat + gamma.data[j]
            : gamma.data[j] * xhat + (affine === 'no-beta' ? 0 : beta.data[j])
      }
    }
    return { shape: [n, d], data: out }
  }

export const references = {
  softmax: softmax as Softmax,
  tanhLocalGradient: ((t) => tanhBackward(t, ones(t.shape))) as TanhLocalGradient,
  batchNormTrain: batchNormWith({}) as BatchNormTrain,
  kaimingStd: ((fanIn, gain) => kaimingStd(fanIn, gain)) as KaimingStd,
}

// ---------------------------------------------------------------------------------------------
// The bank

const softmaxBank: ReadonlyArray<Broken<Softmax>> = [
  {
    name: 'no max subtracted',
    what: "softmax without subtracting the row's maximum: exp(1000) is Infinity and the row becomes NaN; a law over logits as large as ±1000 (rows that still sum to 1, or no NaN) catches it",
    f: rowSoftmax((r) => normalised(r.map(Math.exp))),
  },
  {
    name: 'normalised down the columns',
    what: 'normalises each column (over the batch) instead of each row: the rows no longer sum to 1 once there are 2 rows or more',
    f: (x) => {
      const [n, v] = x.shape
      const e = x.data.map(Math.exp),
        out = new Float64Array(n * v)
      for (let j = 0; j < v; j++) {
        let s = 0
        for (let i = 0; i < n; i++) s += e[i * v + j]
        for (let i = 0; i < n; i++) out[i * v + j] = e[i * v + j] / s
      }
      return { shape: [n, v], data: out }
    },
  },
  {
    name: 'normalised over the whole batch',
    what: 'divides by the sum over the whole matrix instead of each row: the rows sum to less than 1 once there are 2 rows or more',
    f: (x) => {
      const m = Math.max(...x.data)
      const e = x.data.map((a) => Math.exp(a - m))
      const s = e.reduce((a, b) => a + b, 0)
      return { shape: x.shape, data: e.map((a) => a / s) }
    },
  },
  {
    name: 'softmax of 2x',
    what: 'computes softmax(2x): rows sum to 1, every entry is in [0, 1] and the order is right, but p_i / p_j should be exp(x_i − x_j) (or check a known value: softmax([0, ln 2]) = [1/3, 2/3])',
    f: rowSoftmax((r) => {
      const m = Math.max(...r)
      return normalised(r.map((a) => Math.exp(2 * (a - m))))
    }),
  },
  {
    name: 'last column left at 0',
    what: 'a loop that stops one short: the last column is left at 0 and the others are normalised among themselves, so rows still sum to 1; but every probability of a finite logit is positive, and p_i / p_j = exp(x_i − x_j)',
    f: rowSoftmax((r) => {
      const head = r.slice(0, r.length - 1)
      const m = Math.max(...head)
      const out = new Float64Array(r.length)
      out.set(head.length === 0 ? [] : normalised(head.map((a) => Math.exp(a - m))))
      if (r.length === 1) out[0] = 1
      return out
    }),
  },
  {
    name: "the batch's maximum, not the row's",
    what: "subtracts the maximum of the whole batch instead of each row's: a row far below another (say 1000 apart) underflows to 0 / 0 = NaN; a law that adds a different large constant to each row catches it",
    f: rowSoftmax((r, all) => {
      const m = Math.max(...all)
      return normalised(r.map((a) => Math.exp(a - m)))
    }),
  },
]

const tanhBank: ReadonlyArray<Broken<TanhLocalGradient>> = [
  {
    name: '1 − t',
    what: "1 − t instead of 1 − t²: above 1 for negative t, and not the same at t and −t; tanh's slope is symmetric and never above 1",
    f: (t) => map(t, (v) => 1 - v),
  },
  {
    name: 'tanh applied again',
    what: 'applies tanh again, 1 − tanh(t)²: it is given t = tanh(x), the output, so the gradient is 1 − t²; at t = ±1 (a saturated unit) it must be 0, and it must match the slope (tanh(x + h) − tanh(x − h)) / 2h at t = tanh(x)',
    f: (t) => map(t, (v) => 1 - Math.tanh(v) ** 2),
  },
  {
    name: 't² − 1',
    what: 't² − 1, the sign flipped: a gradient that is negative everywhere; tanh is increasing, its slope is never below 0',
    f: (t) => map(t, (v) => v * v - 1),
  },
  {
    name: 't (1 − t)',
    what: "t (1 − t), the sigmoid's local gradient: 0 at t = 0 where tanh's slope is 1",
    f: (t) => map(t, (v) => v * (1 - v)),
  },
  {
    name: 'saturated units pass everything',
    what: 'returns 1 where |t| > 0.97: a saturated unit passes the whole gradient instead of almost none; the slope must shrink towards 0 as |t| goes to 1',
    f: (t) => map(t, (v) => (Math.abs(v) > 0.97 ? 1 : 1 - v * v)),
  },
  {
    name: '2 (1 − t²)',
    what: '2 (1 − t²), the slope of tanh(2x): at t = 0 the slope of tanh is exactly 1',
    f: (t) => map(t, (v) => 2 * (1 - v * v)),
  },
]

const batchNormBank: ReadonlyArray<Broken<BatchNormTrain>> = [
  {
    name: 'unbiased variance',
    what: 'normalises with the unbiased variance (dividing by N − 1): with gamma = 1, beta = 0 and a small eps each column of the output should have biased variance var / (var + eps), about 1; with N − 1 it is (N − 1) / N of that, far off for a small batch',
    f: batchNormWith({ correction: 1 }),
  },
  {
    name: 'eps outside the root',
    what: 'eps outside the root, (x − mean) / (√var + eps) instead of / √(var + eps): invisible with eps = 1e-5, plain with eps = 1 (eps is an argument: generate it)',
    f: batchNormWith({ epsOutside: true }),
  },
  {
    name: 'normalises each row',
    what: "normalises each row (over the features) instead of each column (over the batch): then each column's mean is no longer beta",
    f: batchNormWith({ axis: 1 }),
  },
  {
    name: 'beta forgotten',
    what: 'gamma · xhat without + beta: each column of the output should have mean beta_j',
    f: batchNormWith({ affine: 'no-beta' }),
  },
  {
    name: 'gamma and beta swapped',
    what: "beta · xhat + gamma: each column's mean should be beta_j and its std |gamma_j| (for a small eps)",
    f: batchNormWith({ affine: 'swapped' }),
  },
  {
    name: 'mean not subtracted',
    what: "divides x by the column's std without subtracting its mean first: each column of the output should have mean beta_j",
    f: batchNormWith({ centre: false }),
  },
]

const kaimingBank: ReadonlyArray<Broken<KaimingStd>> = [
  {
    name: 'gain / fanIn',
    what: 'gain / fanIn, the root forgotten: std · √fanIn should be the gain, and 4 × the fan-in should halve the std, not quarter it',
    f: (fanIn, gain) => gain / fanIn,
  },
  {
    name: 'gain · √fanIn',
    what: 'gain · √fanIn, multiplied instead of divided: the std should shrink as the fan-in grows',
    f: (fanIn, gain) => gain * Math.sqrt(fanIn),
  },
  {
    name: 'gain forgotten',
    what: "1 / √fanIn whatever the gain: tanh's 5/3 (or ReLU's √2) must scale the std; a law with a gain other than 1 catches it",
    f: (fanIn) => 1 / Math.sqrt(fanIn),
  },
  {
    name: 'gain squared',
    what: 'gain² / √fanIn: right for a gain of 1 only; doubling the gain should double the std',
    f: (fanIn, gain) => (gain * gain) / Math.sqrt(fanIn),
  },
  {
    name: '√(gain / fanIn)',
    what: '√(gain / fanIn): the gain under the root, right for a gain of 1 only; doubling the gain should double the std',
    f: (fanIn, gain) => Math.sqrt(gain / fanIn),
  },
  {
    name: 'fan-in off by one',
    what: 'gain / √(fanIn + 1), a fan-in off by one: std · √fanIn should be exactly the gain (largest off at a small fan-in)',
    f: (fanIn, gain) => gain / Math.sqrt(fanIn + 1),
  },
]

export const bank = {
  softmax: softmaxBank,
  tanhLocalGradient: tanhBank,
  batchNormTrain: batchNormBank,
  kaimingStd: kaimingBank,
}

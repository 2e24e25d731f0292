/**
 * Forward ops, each next to its gradient function (its vector-Jacobian product).
 *
 * A backward function takes what the forward saw (inputs, sometimes its output) and `g`, the
 * gradient of the loss with respect to the op's output, and returns the gradient with respect to
 * each input: the chain rule one op at a time, as micrograd keeps each op beside its `_backward`.
 * Every pair is checked against central differences in `ops.test.ts`.
 */
import { gemm } from './kernels/gemm.ts'
import { tanhInto } from './kernels/tanh.ts'
import {
  ShapeError,
  asMatrix,
  expectMatrix,
  expectSameShape,
  sameShape,
  showShape,
  type Shape,
  type Tensor,
} from './tensor.ts'

// ---------------------------------------------------------------------------------------------
// Matrix multiplication: A@B, A@B^T and A^T@B, so that backward never builds a transpose.
// The loops are in kernels/gemm.ts.

/** A(m,k) @ B(k,n). */
export const matmul = (a: Tensor, b: Tensor): Tensor => {
  const [m, k] = expectMatrix('matmul', a, 'left')
  const [k2, n] = expectMatrix('matmul', b, 'right')
  if (k !== k2) throw new ShapeError('matmul', `inner dimensions differ: ${showShape(a.shape)} @ ${showShape(b.shape)}`)
  return { shape: [m, n], data: gemm(a.data, k, 1, b.data, n, 1, m, k, n) }
}

/** A(m,k) @ B(n,k)^T: the gradient with respect to the left input of a matmul. */
export const matmulNT = (a: Tensor, b: Tensor): Tensor => {
  const [m, k] = expectMatrix('matmulNT', a, 'left')
  const [n, k2] = expectMatrix('matmulNT', b, 'right')
  if (k !== k2)
    throw new ShapeError(
      'matmulNT',
      `A @ B^T needs equal column counts: ${showShape(a.shape)} and ${showShape(b.shape)}`,
    )
  return { shape: [m, n], data: gemm(a.data, k, 1, b.data, 1, k, m, k, n) }
}

/** A(k,m)^T @ B(k,n): the gradient with respect to the right input of a matmul. */
export const matmulTN = (a: Tensor, b: Tensor): Tensor => {
  const [k, m] = expectMatrix('matmulTN', a, 'left')
  const [k2, n] = expectMatrix('matmulTN', b, 'right')
  if (k !== k2)
    throw new ShapeError('matmulTN', `A^T @ B needs equal row counts: ${showShape(a.shape)} and ${showShape(b.shape)}`)
  return { shape: [m, n], data: gemm(a.data, 1, m, b.data, n, 1, m, k, n) }
}

/**
 * A(m,k) @ B(k,n) + bias, the bias (n) or (1,n) added to every row: a Linear layer's forward in one
 * pass over the output, equal bit for bit to add(matmul(a, b), bias). Its gradient is matmul's and
 * add's: the sum passes g to both terms.
 */
export const matmulAddRow = (a: Tensor, b: Tensor, bias: Tensor): Tensor => {
  const [m, k] = expectMatrix('matmulAddRow', a, 'left')
  const [k2, n] = expectMatrix('matmulAddRow', b, 'right')
  if (k !== k2)
    throw new ShapeError('matmulAddRow', `inner dimensions differ: ${showShape(a.shape)} @ ${showShape(b.shape)}`)
  if (bias.data.length !== n || (bias.shape.length === 2 && bias.shape[0] !== 1))
    throw new ShapeError('matmulAddRow', `bias ${showShape(bias.shape)} is not one row of ${n} for [${m}, ${n}]`)
  // the kernel adds the bias to each sum as it stores it
  return { shape: [m, n], data: gemm(a.data, k, 1, b.data, n, 1, m, k, n, bias.data) }
}

/** For C = A@B: dA = G@B^T, dB = A^T@G. */
export const matmulBackward = (a: Tensor, b: Tensor, g: Tensor): readonly [Tensor, Tensor] => [
  matmulNT(g, b),
  matmulTN(a, g),
]

// ---------------------------------------------------------------------------------------------
// Elementwise arithmetic with broadcasting of size-1 dimensions (a bias row, a per-row statistic)

type BinaryOp = 'add' | 'sub' | 'mul' | 'div'

interface Broadcast {
  readonly shape: Shape
  readonly m: number
  readonly n: number
  // element (i, j) of each operand sits at i*rowStride + j*colStride (stride 0 repeats it)
  readonly ar: number
  readonly ac: number
  readonly br: number
  readonly bc: number
}

const broadcast = (op: string, a: Tensor, b: Tensor): Broadcast => {
  const [am, an] = asMatrix(op, a)
  const [bm, bn] = asMatrix(op, b)
  const ok = (x: number, y: number) => x === y || x === 1 || y === 1
  if (!ok(am, bm) || !ok(an, bn)) {
    throw new ShapeError(op, `cannot broadcast ${showShape(a.shape)} with ${showShape(b.shape)}`)
  }
  const m = Math.max(am, bm)
  const n = Math.max(an, bn)
  const shape = sameShape(a.shape, b.shape) ? a.shape : a.shape.length === 2 || b.shape.length === 2 ? [m, n] : [n]
  return {
    shape,
    m,
    n,
    ar: am === 1 ? 0 : an,
    ac: an === 1 ? 0 : 1,
    br: bm === 1 ? 0 : bn,
    bc: bn === 1 ? 0 : 1,
  }
}

const zipWith = (op: BinaryOp, a: Tensor, b: Tensor): Tensor => {
  const { shape, m, n, ar, ac, br, bc } = broadcast(op, a, b)
  const x = a.data,
    y = b.data
  const out = new Float64Array(m * n)
  // one loop per op keeps the inner loop free of a branch
  for (let i = 0; i < m; i++) {
    const o = i * n,
      ai = i * ar,
      bi = i * br
    switch (op) {
      case 'add':
        for (let j = 0; j < n; j++) out[o + j] = x[ai + j * ac] + y[bi + j * bc]
        break
      case 'sub':
        for (let j = 0; j < n; j++) out[o + j] = x[ai + j * ac] - y[bi + j * bc]
        break
      case 'mul':
        for (let j = 0; j < n; j++) out[o + j] = x[ai + j * ac] * y[bi + j * bc]
        break
      case 'div':
        for (let j = 0; j < n; j++) out[o + j] = x[ai + j * ac] / y[bi + j * bc]
        break
    }
  }
  return { shape, data: out }
}

/** Sums a broadcast gradient back down to the shape of the operand that was broadcast. */
const unbroadcast = (g: Tensor, shape: Shape): Tensor => {
  if (sameShape(g.shape, shape)) return g
  const [gm, gn] = asMatrix('unbroadcast', g)
  const [m, n] = asMatrix('unbroadcast', { shape, data: new Float64Array(0) })
  if ((m !== gm && m !== 1) || (n !== gn && n !== 1)) {
    throw new ShapeError('unbroadcast', `gradient ${showShape(g.shape)} does not broadcast from ${showShape(shape)}`)
  }
  const out = new Float64Array(m * n)
  const gd = g.data
  if (m === 1 && n === gn) {
    // a row broadcast over the rows (a bias): column sums, added in row order as below
    for (let i = 0; i < gm; i++) for (let j = 0, o = i * gn; j < gn; j++) out[j] += gd[o + j]
  } else {
    const rs = m === 1 ? 0 : n,
      cs = n === 1 ? 0 : 1
    for (let i = 0; i < gm; i++) for (let j = 0; j < gn; j++) out[i * rs + j * cs] += gd[i * gn + j]
  }
  return { shape: [...shape], data: out }
}

export const add = (a: Tensor, b: Tensor): Tensor => zipWith('add', a, b)
export const sub = (a: Tensor, b: Tensor): Tensor => zipWith('sub', a, b)
export const mul = (a: Tensor, b: Tensor): Tensor => zipWith('mul', a, b)
export const div = (a: Tensor, b: Tensor): Tensor => zipWith('div', a, b)

export const addBackward = (a: Tensor, b: Tensor, g: Tensor): readonly [Tensor, Tensor] => [
  unbroadcast(g, a.shape),
  unbroadcast(g, b.shape),
]
export const subBackward = (a: Tensor, b: Tensor, g: Tensor): readonly [Tensor, Tensor] => [
  unbroadcast(g, a.shape),
  unbroadcast(scale(g, -1), b.shape),
]
export const mulBackward = (a: Tensor, b: Tensor, g: Tensor): readonly [Tensor, Tensor] => [
  unbroadcast(mul(g, b), a.shape),
  unbroadcast(mul(g, a), b.shape),
]
/** d(a/b) = g/b for a and -g*a/b^2 for b. */
export const divBackward = (a: Tensor, b: Tensor, g: Tensor): readonly [Tensor, Tensor] => [
  unbroadcast(div(g, b), a.shape),
  unbroadcast(scale(div(mul(g, a), mul(b, b)), -1), b.shape),
]

/** c * t. */
export const scale = (t: Tensor, c: number): Tensor => {
  const x = t.data
  const out = new Float64Array(x.length)
  for (let i = 0; i < out.length; i++) out[i] = x[i] * c
  return { shape: t.shape, data: out }
}

/** a + c * b, elementwise on equal shapes (an SGD update is addScaled(p, -lr, grad)). */
export const addScaled = (a: Tensor, c: number, b: Tensor): Tensor => {
  expectSameShape('addScaled', a, b)
  const x = a.data,
    y = b.data
  const out = new Float64Array(x.length)
  for (let i = 0; i < out.length; i++) out[i] = x[i] + c * y[i]
  return { shape: a.shape, data: out }
}

// ---------------------------------------------------------------------------------------------
// Reductions along an axis of a matrix (axis 0: over rows, per column; axis 1: per row)

export type Axis = 0 | 1

export interface ReduceOptions {
  /** Keep the reduced axis with size 1 (torch's keepdim=True), so the result broadcasts back. */
  readonly keepdims?: boolean
}

export interface VarianceOptions extends ReduceOptions {
  /** 0: biased (divide by N, what BatchNorm normalises with); 1: unbiased (N - 1, torch.var's default). */
  readonly correction?: 0 | 1
}

const reducedShape = (m: number, n: number, axis: Axis, keepdims: boolean): Shape =>
  axis === 0 ? (keepdims ? [1, n] : [n]) : keepdims ? [m, 1] : [m]

const checkAxis = (op: string, axis: number): void => {
  if (axis !== 0 && axis !== 1) throw new ShapeError(op, `axis must be 0 or 1, got ${axis}`)
}

/** Sum along an axis. */
export const sum = (t: Tensor, axis: Axis, { keepdims = true }: ReduceOptions = {}): Tensor => {
  checkAxis('sum', axis)
  const [m, n] = expectMatrix('sum', t)
  const x = t.data
  const out = new Float64Array(axis === 0 ? n : m)
  if (axis === 0) {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j] += x[i * n + j]
  } else {
    for (let i = 0; i < m; i++) {
      let s = 0
      for (let j = 0; j < n; j++) s += x[i * n + j]
      out[i] = s
    }
  }
  return { shape: reducedShape(m, n, axis, keepdims), data: out }
}

/**
 * Mean and standard deviation (population, divide by N) of the finite values; NaN if none. The
 * lecture's `t.mean()` and `t.std()` of a whole tensor: every instrument, ratio and page reads it.
 */
export interface Moments {
  readonly mean: number
  readonly std: number
}

export const moments = (values: ArrayLike<number>): Moments => {
  // Four running sums, each over every fourth value: four independent additions a step instead of
  // one chain (about three times faster on the update:data ratios taken every training step), and
  // a smaller rounding error than one long sum. `v - v === 0` holds exactly for finite v.
  const x = values,
    len = x.length
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0,
    n = 0,
    i = 0
  for (; i + 4 <= len; i += 4) {
    const a = x[i],
      b = x[i + 1],
      c = x[i + 2],
      d = x[i + 3]
    if (a - a + (b - b) + (c - c) + (d - d) === 0) {
      s0 += a
      s1 += b
      s2 += c
      s3 += d
      n += 4
    } else {
      if (a - a === 0) {
        s0 += a
        n++
      }
      if (b - b === 0) {
        s1 += b
        n++
      }
      if (c - c === 0) {
        s2 += c
        n++
      }
      if (d - d === 0) {
        s3 += d
        n++
      }
    }
  }
  for (; i < len; i++)
    if (x[i] - x[i] === 0) {
      s0 += x[i]
      n++
    }
  if (n === 0) return { mean: NaN, std: NaN }
  const mean = (s0 + s1 + (s2 + s3)) / n
  s0 = s1 = s2 = s3 = 0
  for (i = 0; i + 4 <= len; i += 4) {
    const a = x[i] - mean,
      b = x[i + 1] - mean,
      c = x[i + 2] - mean,
      d = x[i + 3] - mean
    if (a - a + (b - b) + (c - c) + (d - d) === 0) {
      s0 += a * a
      s1 += b * b
      s2 += c * c
      s3 += d * d
    } else {
      if (a - a === 0) s0 += a * a
      if (b - b === 0) s1 += b * b
      if (c - c === 0) s2 += c * c
      if (d - d === 0) s3 += d * d
    }
  }
  for (; i < len; i++) {
    const a = x[i] - mean
    if (a - a === 0) s0 += a * a
  }
  return { mean, std: Math.sqrt((s0 + s1 + (s2 + s3)) / n) }
}

/**
 * Mean of every element, as torch's `t.mean()`: a NaN or an infinity anywhere shows in the result
 * (a kata check must see a learner's NaN; the instruments' `moments` skip them to chart what is left).
 */
export const meanAll = (t: Tensor): number => {
  const x = t.data
  let s = 0
  for (let i = 0; i < x.length; i++) s += x[i]
  return s / x.length
}

/** Population standard deviation of every element (divide by N), NaN-propagating like `meanAll`. */
export const stdAll = (t: Tensor): number => {
  const x = t.data
  const mu = meanAll(t)
  let ss = 0
  for (let i = 0; i < x.length; i++) ss += (x[i] - mu) * (x[i] - mu)
  return Math.sqrt(ss / x.length)
}

const countAlong = (t: Tensor, axis: Axis): number => (axis === 0 ? t.shape[0] : t.shape[1])

/** Mean along an axis. */
export const mean = (t: Tensor, axis: Axis, options: ReduceOptions = {}): Tensor =>
  scale(sum(t, axis, options), 1 / countAlong(t, axis))

/** Variance along an axis; biased (correction 0) unless told otherwise. */
export const variance = (t: Tensor, axis: Axis, { keepdims = true, correction = 0 }: VarianceOptions = {}): Tensor => {
  const count = countAlong(t, axis)
  if (count - correction <= 0)
    throw new ShapeError(
      'variance',
      `needs more than ${correction} value(s) along axis ${axis}, shape ${showShape(t.shape)}`,
    )
  const centred = sub(t, mean(t, axis))
  return scale(sum(mul(centred, centred), axis, { keepdims }), 1 / (count - correction))
}

/** Standard deviation along an axis; biased unless correction is 1. */
export const std = (t: Tensor, axis: Axis, options: VarianceOptions = {}): Tensor => sqrt(variance(t, axis, options))

/** Spreads a reduced gradient back over the axis it was reduced along. */
const expandAlong = (g: Tensor, shape: Shape, axis: Axis): Tensor => {
  const [m, n] = expectMatrix('reduce backward', { shape, data: new Float64Array(0) })
  const rows = axis === 0 ? 1 : m,
    cols = axis === 0 ? n : 1
  return add({ shape, data: new Float64Array(m * n) }, { shape: [rows, cols], data: g.data })
}

export const meanBackward = (t: Tensor, axis: Axis, g: Tensor): Tensor =>
  scale(expandAlong(g, t.shape, axis), 1 / countAlong(t, axis))

/** d var / dx_i = 2 (x_i - mean) / (N - correction). */
export const varianceBackward = (t: Tensor, axis: Axis, g: Tensor, correction: 0 | 1 = 0): Tensor => {
  const centred = sub(t, mean(t, axis))
  return scale(mul(centred, expandAlong(g, t.shape, axis)), 2 / (countAlong(t, axis) - correction))
}

// ---------------------------------------------------------------------------------------------
// Elementwise functions

const mapData = (t: Tensor, f: (x: Float64Array, out: Float64Array) => void): Tensor => {
  const out = new Float64Array(t.data.length)
  f(t.data, out)
  return { shape: t.shape, data: out }
}

const zipData = (
  op: string,
  a: Tensor,
  b: Tensor,
  f: (x: Float64Array, y: Float64Array, out: Float64Array) => void,
): Tensor => {
  expectSameShape(op, a, b)
  const out = new Float64Array(a.data.length)
  f(a.data, b.data, out)
  return { shape: a.shape, data: out }
}

/** tanh elementwise, by kernels/tanh.ts: within 4 ulps of Math.tanh, without its value-dependent branches. */
export const tanh = (t: Tensor): Tensor => mapData(t, tanhInto)
/** The local gradient of tanh is 1 - t^2, read off the output t: near 0 when the unit saturates. */
export const tanhBackward = (out: Tensor, g: Tensor): Tensor =>
  zipData('tanhBackward', out, g, (t, gg, o) => {
    for (let i = 0; i < t.length; i++) o[i] = (1 - t[i] * t[i]) * gg[i]
  })

export const relu = (t: Tensor): Tensor =>
  mapData(t, (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = x[i] > 0 ? x[i] : 0
  })
/** ReLU passes the gradient where its input was positive and stops it everywhere else. */
export const reluBackward = (input: Tensor, g: Tensor): Tensor =>
  zipData('reluBackward', input, g, (x, gg, o) => {
    for (let i = 0; i < x.length; i++) o[i] = x[i] > 0 ? gg[i] : 0
  })

export const sqrt = (t: Tensor): Tensor =>
  mapData(t, (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.sqrt(x[i])
  })
export const sqrtBackward = (out: Tensor, g: Tensor): Tensor =>
  zipData('sqrtBackward', out, g, (s, gg, o) => {
    for (let i = 0; i < s.length; i++) o[i] = gg[i] / (2 * s[i])
  })

// ---------------------------------------------------------------------------------------------
// Gather: the embedding lookup C[X]

export type Indices = Int32Array | Uint8Array | readonly number[]

/** Rows `indices` of a table (V, d), stacked into (indices.length, d). */
export const gather = (table: Tensor, indices: Indices): Tensor => {
  const [v, d] = expectMatrix('gather', table, 'table')
  const out = new Float64Array(indices.length * d)
  for (let r = 0; r < indices.length; r++) {
    const ix = indices[r]
    if (!(ix >= 0 && ix < v && Number.isInteger(ix))) {
      throw new ShapeError('gather', `index ${ix} at position ${r} is outside the table's ${v} rows`)
    }
    const src = ix * d,
      dst = r * d
    for (let c = 0; c < d; c++) out[dst + c] = table.data[src + c]
  }
  return { shape: [indices.length, d], data: out }
}

/** The gradient of gather: each row's gradient is added back into the row it was read from. */
export const gatherBackward = (tableShape: Shape, indices: Indices, g: Tensor): Tensor => {
  const [v, d] = expectMatrix('gatherBackward', { shape: tableShape, data: new Float64Array(0) }, 'table')
  if (g.data.length !== indices.length * d) {
    throw new ShapeError(
      'gatherBackward',
      `gradient ${showShape(g.shape)} does not match ${indices.length} rows of width ${d}`,
    )
  }
  const out = new Float64Array(v * d)
  for (let r = 0; r < indices.length; r++) {
    const dst = indices[r] * d,
      src = r * d
    for (let c = 0; c < d; c++) out[dst + c] += g.data[src + c]
  }
  return { shape: [v, d], data: out }
}

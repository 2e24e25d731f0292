/**
 * Tensor: a shape and a flat, row-major Float64Array.
 *
 * A tensor is a value: no function in `lib/` mutates a tensor it was given or one it has returned.
 * Views such as `reshape` share the buffer, which is safe because nobody writes to it.
 */

export type Shape = readonly number[]

export interface Tensor {
  readonly shape: Shape
  readonly data: Float64Array
}

/** An error a person can hit (a shape mismatch, a bad argument): says which op and which shapes. */
export class ShapeError extends Error {
  constructor(op: string, detail: string) {
    super(`${op}: ${detail}`)
    this.name = 'ShapeError'
  }
}

export const showShape = (shape: Shape): string => `[${shape.join(', ')}]`

/** Number of elements a shape holds. */
export const sizeOf = (shape: Shape): number => {
  let n = 1
  for (const d of shape) n *= d
  return n
}

const checkShape = (op: string, shape: Shape): void => {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0)
      throw new ShapeError(op, `invalid shape ${showShape(shape)}: dimensions must be non-negative integers`)
  }
}

// ---------------------------------------------------------------------------------------------
// Constructors

/** Wraps a buffer with a shape; the buffer is owned by the tensor from then on. */
export const tensor = (shape: Shape, data: Float64Array): Tensor => {
  checkShape('tensor', shape)
  if (data.length !== sizeOf(shape)) {
    throw new ShapeError('tensor', `shape ${showShape(shape)} needs ${sizeOf(shape)} values, got ${data.length}`)
  }
  return { shape: [...shape], data }
}

export const full = (shape: Shape, value: number): Tensor => {
  checkShape('full', shape)
  return { shape: [...shape], data: new Float64Array(sizeOf(shape)).fill(value) }
}

export const zeros = (shape: Shape): Tensor => full(shape, 0)
export const ones = (shape: Shape): Tensor => full(shape, 1)

/** A 1-D tensor from numbers. */
export const vector = (values: ArrayLike<number>): Tensor => ({
  shape: [values.length],
  data: Float64Array.from(values),
})

/** A 2-D tensor from rows of numbers; every row must have the same length. */
export const matrix = (rows: ReadonlyArray<ArrayLike<number>>): Tensor => {
  const m = rows.length
  const n = m === 0 ? 0 : rows[0].length
  const data = new Float64Array(m * n)
  rows.forEach((row, i) => {
    if (row.length !== n) throw new ShapeError('matrix', `row ${i} has ${row.length} values, row 0 has ${n}`)
    for (let j = 0; j < n; j++) data[i * n + j] = row[j]
  })
  return { shape: [m, n], data }
}

/** A tensor of the same shape whose elements are `f(x)`; not for hot loops (it calls f per element). */
export const map = (t: Tensor, f: (x: number, i: number) => number): Tensor => {
  const out = new Float64Array(t.data.length)
  for (let i = 0; i < out.length; i++) out[i] = f(t.data[i], i)
  return { shape: t.shape, data: out }
}

// ---------------------------------------------------------------------------------------------
// Views and indexing

/** Same data under another shape (a view: `-1` stands for the one dimension left to infer). */
export const reshape = (t: Tensor, shape: Shape): Tensor => {
  const known = shape.filter((d) => d !== -1)
  const inferred = shape.length - known.length
  if (inferred > 1) throw new ShapeError('reshape', `at most one -1 allowed, got ${showShape(shape)}`)
  checkShape('reshape', known)
  const rest = sizeOf(known)
  const resolved =
    inferred === 1 ? shape.map((d) => (d === -1 ? (rest === 0 ? 0 : t.data.length / rest) : d)) : [...shape]
  if (sizeOf(resolved) !== t.data.length || resolved.some((d) => !Number.isInteger(d))) {
    throw new ShapeError(
      'reshape',
      `cannot view ${showShape(t.shape)} (${t.data.length} values) as ${showShape(shape)}`,
    )
  }
  return { shape: resolved, data: t.data }
}

/** Rows and columns of a tensor read as a matrix: a vector [n] is one row [1, n]. */
export const asMatrix = (op: string, t: Tensor): readonly [number, number] => {
  if (t.shape.length === 2) return [t.shape[0], t.shape[1]]
  if (t.shape.length === 1) return [1, t.shape[0]]
  if (t.shape.length === 0) return [1, 1]
  throw new ShapeError(op, `expected a matrix or a vector, got shape ${showShape(t.shape)}`)
}

export const expectMatrix = (op: string, t: Tensor, name = 'input'): readonly [number, number] => {
  if (t.shape.length !== 2) throw new ShapeError(op, `${name} must be 2-D, got shape ${showShape(t.shape)}`)
  return [t.shape[0], t.shape[1]]
}

export const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i])

export const expectSameShape = (op: string, a: Tensor, b: Tensor): void => {
  if (!sameShape(a.shape, b.shape)) {
    throw new ShapeError(op, `shapes must match, got ${showShape(a.shape)} and ${showShape(b.shape)}`)
  }
}

/** Element (i, j) of a matrix. */
export const at = (t: Tensor, i: number, j: number): number => t.data[i * t.shape[1] + j]

/** Row i of a matrix as a vector (a copy). */
export const row = (t: Tensor, i: number): Tensor => {
  const [m, n] = expectMatrix('row', t)
  if (!Number.isInteger(i) || i < 0 || i >= m) throw new ShapeError('row', `row ${i} is outside 0..${m - 1}`)
  return { shape: [n], data: t.data.slice(i * n, (i + 1) * n) }
}

/** Nested arrays, for printing and tests. */
export const toArray = (t: Tensor): number[] | number[][] => {
  if (t.shape.length <= 1) return Array.from(t.data)
  const [m, n] = expectMatrix('toArray', t)
  return Array.from({ length: m }, (_, i) => Array.from(t.data.subarray(i * n, (i + 1) * n)))
}

/** Concatenates matrices with the same number of rows side by side (axis 1). */
export const concatColumns = (parts: readonly Tensor[]): Tensor => {
  if (parts.length === 0) throw new ShapeError('concatColumns', 'needs at least one tensor')
  const m = expectMatrix('concatColumns', parts[0])[0]
  let total = 0
  for (const p of parts) {
    const [pm, pn] = expectMatrix('concatColumns', p)
    if (pm !== m)
      throw new ShapeError('concatColumns', `row counts differ: ${parts.map((q) => showShape(q.shape)).join(', ')}`)
    total += pn
  }
  const out = new Float64Array(m * total)
  let offset = 0
  for (const p of parts) {
    const pn = p.shape[1]
    for (let i = 0; i < m; i++) out.set(p.data.subarray(i * pn, (i + 1) * pn), i * total + offset)
    offset += pn
  }
  return { shape: [m, total], data: out }
}

/** Splits a matrix into column blocks of the given widths: the gradient of concatColumns. */
export const splitColumns = (t: Tensor, widths: readonly number[]): Tensor[] => {
  const [m, n] = expectMatrix('splitColumns', t)
  const total = widths.reduce((s, w) => s + w, 0)
  if (total !== n) throw new ShapeError('splitColumns', `widths ${showShape(widths)} add up to ${total}, not ${n}`)
  let offset = 0
  return widths.map((w) => {
    const out = new Float64Array(m * w)
    for (let i = 0; i < m; i++) out.set(t.data.subarray(i * n + offset, i * n + offset + w), i * w)
    offset += w
    return { shape: [m, w], data: out }
  })
}

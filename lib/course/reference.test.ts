import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { NotImplementedYet, notImplemented } from './kata.ts'
import { anyMatrix, anyVector } from './law-inputs.ts'
import { agreesWithReference, deepCopy, firstDifference, LawFailure, leavesInputsAlone, show } from './reference.ts'

const tol = { relative: 1e-9, absolute: 1e-12 }
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

describe('agreesWithReference', () => {
  it('passes when the two agree on every input, within the tolerance', () => {
    const ints = fc.tuple(fc.array(fc.integer({ min: -9, max: 9 })))
    expect(() =>
      agreesWithReference('sum', (xs: number[]) => sum(xs) + 1e-13, sum, ints, { argNames: ['xs'] }),
    ).not.toThrow()
  })
  it('fails with the smallest counterexample it finds, both outputs and the argument names, in one line', () => {
    const wrong = (xs: number[]) => (xs.length > 1 ? sum(xs.slice(1)) : sum(xs))
    const run = () =>
      agreesWithReference('sum', wrong, sum, fc.tuple(fc.array(fc.integer({ min: -9, max: 9 }))), { argNames: ['xs'] })
    expect(run).toThrow(LawFailure)
    expect(run).toThrow(/^sum: for xs \[(-1|1), 0\]: yours 0, the reference (-1|1) \[seed -?\d+\]$/)
  })
  it("a stub's not-implemented error comes through as it is, so the learner reads that, not a law", () => {
    const stub = (_: number): number => notImplemented('01-initial-loss', 'f')
    expect(() => agreesWithReference('f', stub, (x: number) => x, fc.tuple(fc.integer()), { argNames: ['x'] })).toThrow(
      NotImplementedYet,
    )
  })
  it('an input the reference refuses must be refused; one it accepts must not be', () => {
    const refuses = (x: number) => {
      if (x < 0) throw new Error('x must be at least 0')
      return x
    }
    const run = (yours: (x: number) => number) => () =>
      agreesWithReference('f', yours, refuses, fc.tuple(fc.integer({ min: -5, max: 5 })), { argNames: ['x'] })
    expect(run((x) => x)).toThrow(/yours -1, the reference refuses it \(x must be at least 0\)/)
    expect(run(refuses)).not.toThrow()
    expect(
      run(() => {
        throw new Error('no')
      }),
    ).toThrow(/yours throws "no", the reference 0/)
  })
  it('each call gets its own copy: a function that writes into its input cannot change what the other sees', () => {
    const inPlace = (t: { data: Float64Array }) => {
      t.data.fill(7)
      return 1
    }
    expect(() =>
      agreesWithReference('f', inPlace, (t) => (t.data.length > 0 ? 1 : 1), fc.tuple(anyMatrix()), { argNames: ['t'] }),
    ).not.toThrow()
  })
})

describe('firstDifference', () => {
  it('+0 and -0 are one zero, NaN equals NaN, infinities only themselves', () => {
    expect(firstDifference(-0, 0, tol)).toBeUndefined()
    expect(firstDifference(Number.NaN, Number.NaN, tol)).toBeUndefined()
    expect(firstDifference(Number.POSITIVE_INFINITY, 1e308, tol)).toBe('')
    expect(firstDifference(1, Number.NaN, tol)).toBe('')
  })
  it('names the path of the first difference in a structure, and a missing or extra field', () => {
    const t = { shape: [2], data: Float64Array.of(1, 2) }
    expect(firstDifference({ a: t, b: 'x' }, { a: { shape: [2], data: Float64Array.of(1, 3) }, b: 'x' }, tol)).toBe(
      '.a.data[1]',
    )
    expect(firstDifference({ a: 1, extra: 2 }, { a: 1 }, tol)).toBe('.extra')
    expect(firstDifference([1, 2], [1, 2, 3], tol)).toBe('.length')
    expect(firstDifference('healthy', 'saturated', tol)).toBe('')
  })
  it('law: a value always agrees with its deep copy', () => {
    fc.assert(
      fc.property(
        fc.tuple(anyMatrix(), fc.anything()),
        (x) => firstDifference(deepCopy(x), x, { relative: 0, absolute: 0 }) === undefined,
      ),
    )
  })
})

describe('leavesInputsAlone', () => {
  it('names the argument written into, where, and what it held', () => {
    const inPlace = (_a: number, t: { shape: readonly number[]; data: Float64Array }) => {
      t.data[0] = 99
      return t
    }
    expect(() =>
      leavesInputsAlone('f', inPlace, fc.tuple(fc.integer(), anyMatrix()), { argNames: ['n', 'logits'] }),
    ).toThrow(/f changed its argument `logits` in place \(at logits\.data\[0\]: .* became 99\)/)
  })
  it('passes a function that returns a new value', () => {
    const pure = (t: { shape: readonly number[]; data: Float64Array }) => ({
      shape: t.shape,
      data: t.data.map((x) => 2 * x),
    })
    expect(() => leavesInputsAlone('f', pure, fc.tuple(anyVector()), { argNames: ['t'] })).not.toThrow()
  })
})

describe('show', () => {
  it('writes tensors as rows, numbers to five digits, long lists cut', () => {
    expect(show({ shape: [2, 2], data: Float64Array.of(1, 2.123456, -0, 4) })).toBe('[[1, 2.1235], [0, 4]]')
    expect(show({ shape: [1, 2], data: Float64Array.of(1000, 0) })).toBe('[[1000, 0]]')
    expect(show(Array.from({ length: 20 }, (_, i) => i))).toMatch(/, … 8 more\]$/)
  })
})

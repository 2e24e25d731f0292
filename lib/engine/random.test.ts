import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { pipe } from 'fp-ts/function'
import * as S from 'fp-ts/State'
import * as R from './random.ts'

const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 })
const runs = { numRuns: 30 }

describe('seeded random numbers', () => {
  it('the same seed gives the same numbers; different seeds give different ones', () => {
    fc.assert(
      fc.property(seed, (s) => {
        expect(Array.from(R.evalRng(R.randn(50), s))).toEqual(Array.from(R.evalRng(R.randn(50), s)))
        expect(Array.from(R.evalRng(R.uniform(8), s))).not.toEqual(Array.from(R.evalRng(R.uniform(8), s + 1)))
      }),
      runs,
    )
  })
  it('the first numbers of seed 42 are fixed, on every machine', () => {
    // sfc32 needs only 32-bit integer arithmetic, so these bits are the same wherever JS runs
    const first = R.evalRng(R.nextUint32, 42)
    expect(first).toBe(R.nextUint32(R.seedRng(42))[0])
    expect(Array.from(R.evalRng(R.randint(0, 1000, 5), 42))).toEqual([791, 785, 239, 702, 244])
    expect(R.evalRng(R.randn(1), 42)[0]).toBe(0.3930365842365487)
  })
  it('threading the state gives fresh numbers at each draw, and the state is never mutated', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const start = R.seedRng(s)
        const copy = { ...start }
        const [[a, b]] = pipe(
          R.uniform(4),
          S.bindTo('a'),
          S.bind('b', () => R.uniform(4)),
          S.map(({ a, b }) => [a, b] as const),
        )(start)
        expect(start).toEqual(copy)
        expect(Array.from(a)).not.toEqual(Array.from(b))
      }),
      runs,
    )
  })
  it('randn has mean 0 and variance 1 within sampling tolerance (6 standard errors)', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const n = 20_000
        const x = R.evalRng(R.randn(n), s)
        const mean = x.reduce((a, b) => a + b, 0) / n
        const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)
        // standard errors: of the mean 1/sqrt(n); of the variance sqrt(2/(n-1)) for normal samples
        expect(Math.abs(mean)).toBeLessThan(6 / Math.sqrt(n))
        expect(Math.abs(variance - 1)).toBeLessThan(6 * Math.sqrt(2 / (n - 1)))
      }),
      { numRuns: 10 },
    )
  })
  it('uniform numbers lie in [0, 1) with mean 1/2', () => {
    const x = R.evalRng(R.uniform(20_000), 7)
    expect(x.every((v) => v >= 0 && v < 1)).toBe(true)
    expect(Math.abs(x.reduce((a, b) => a + b, 0) / x.length - 0.5)).toBeLessThan(6 * Math.sqrt(1 / 12 / x.length))
  })
  it('randint stays in [low, high) and reaches every value', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: -50, max: 50 }), fc.integer({ min: 1, max: 30 }), (s, low, span) => {
        const x = R.evalRng(R.randint(low, low + span, 40 * span), s)
        expect(x.every((v) => v >= low && v < low + span)).toBe(true)
        expect(new Set(x).size).toBe(span)
      }),
      runs,
    )
  })
  it('randint refuses an empty or non-integer range, naming it', () => {
    expect(() => R.randint(3, 3, 1)).toThrow('randint: needs integers low < high (at most 2^31 apart), got [3, 3)')
  })
  it('shuffle returns a permutation and leaves its input alone', () => {
    fc.assert(
      fc.property(seed, fc.array(fc.integer(), { maxLength: 50 }), (s, xs) => {
        const before = [...xs]
        const out = R.evalRng(R.shuffle(xs), s)
        expect(xs).toEqual(before)
        expect([...out].sort((a, b) => a - b)).toEqual([...xs].sort((a, b) => a - b))
      }),
      runs,
    )
  })
  it('categorical draws index i with probability proportional to its weight', () => {
    const weights = [1, 0, 3]
    const counts = [0, 0, 0]
    let state = R.seedRng(3)
    for (let i = 0; i < 4000; i++) {
      const [k, next] = R.categorical(weights)(state)
      counts[k]++
      state = next
    }
    expect(counts[1]).toBe(0)
    expect(Math.abs(counts[2] / 4000 - 0.75)).toBeLessThan(6 * Math.sqrt((0.75 * 0.25) / 4000))
  })
})

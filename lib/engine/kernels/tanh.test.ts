import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { tanhInto } from './tanh.ts'

const tanhOf = (xs: readonly number[]): Float64Array => {
  const out = new Float64Array(xs.length)
  tanhInto(Float64Array.from(xs), out)
  return out
}

/** How many doubles apart two finite doubles are (0 when equal, also for ±0). */
const ulpsApart = (a: number, b: number): number => {
  if (a === b) return 0
  const view = new DataView(new ArrayBuffer(8))
  const ordered = (v: number): bigint => {
    view.setFloat64(0, v)
    const bits = view.getBigInt64(0)
    // negative doubles count down from -0: map them below the positive ones
    return bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits
  }
  const d = ordered(a) - ordered(b)
  return Number(d < 0n ? -d : d)
}

/** Doubles at every scale tanh sees: tiny (to subnormal), around 1, saturated, and any at all. */
const anyScale = fc.oneof(
  fc.double({ min: -3, max: 3, noNaN: true }),
  fc.double({ min: -40, max: 40, noNaN: true }),
  fc.double({ min: -1e-8, max: 1e-8, noNaN: true }),
  fc.double({ noNaN: true }),
)

describe('tanhInto (the tanh of every tanh layer)', () => {
  it('is within 4 ulps of Math.tanh at any scale', () => {
    fc.assert(
      fc.property(fc.array(anyScale, { minLength: 1, maxLength: 64 }), (xs) => {
        const out = tanhOf(xs)
        xs.forEach((x, i) => expect(ulpsApart(out[i], Math.tanh(x)), `tanh(${x})`).toBeLessThanOrEqual(4))
      }),
    )
  })

  it('is within 4 ulps of Math.tanh on a dense sweep of [-21, 21], and equal to it on most points', () => {
    const n = 420_001
    const xs = Float64Array.from({ length: n }, (_, i) => -21 + (42 * i) / (n - 1) + 1e-7 * Math.sin(i))
    const out = new Float64Array(n)
    tanhInto(xs, out)
    let worst = 0,
      equal = 0
    for (let i = 0; i < n; i++) {
      const d = ulpsApart(out[i], Math.tanh(xs[i]))
      worst = Math.max(worst, d)
      if (d === 0) equal++
    }
    expect(worst).toBeLessThanOrEqual(4)
    expect(equal / n).toBeGreaterThan(0.6)
  })

  it('keeps the special values: ±0, NaN, ±Infinity, subnormals, exactly ±1 from |x| = 20 on', () => {
    const out = tanhOf([0, -0, Number.NaN, Infinity, -Infinity, 5e-324, -5e-324, 20, -20, 1e300, -1e300])
    expect(Object.is(out[0], 0)).toBe(true)
    expect(Object.is(out[1], -0)).toBe(true)
    expect(out[2]).toBeNaN()
    expect([...out.subarray(3)]).toEqual([1, -1, 5e-324, -5e-324, 1, -1, 1, -1])
  })

  it('is odd to within 4 ulps and never leaves [-1, 1]', () => {
    fc.assert(
      fc.property(fc.array(anyScale, { minLength: 1, maxLength: 64 }), (xs) => {
        const pos = tanhOf(xs),
          neg = tanhOf(xs.map((x) => -x))
        xs.forEach((_, i) => {
          expect(ulpsApart(neg[i], -pos[i])).toBeLessThanOrEqual(4)
          expect(Math.abs(pos[i])).toBeLessThanOrEqual(1)
        })
      }),
    )
  })

  it('reads and writes only its own arrays: a subarray is filled and its neighbours are left alone', () => {
    const x = Float64Array.from([9, 0.5, -0.25, 9])
    const out = new Float64Array([7, 7, 7, 7])
    tanhInto(x.subarray(1, 3), out.subarray(1, 3))
    expect([out[0], out[3]]).toEqual([7, 7])
    expect(ulpsApart(out[1], Math.tanh(0.5))).toBeLessThanOrEqual(4)
  })
})

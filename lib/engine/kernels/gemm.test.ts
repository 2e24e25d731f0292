import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { gemm, gemmPlain, gemmSimd, type Gemm } from './gemm.ts'
import { assembleGemm, generatedPath, watPath } from './build.ts'
import { uniformValue } from '../arbitraries.ts'

/** A@B, A@B^T and A^T@B as the kernels see them: the stored operands and their strides. */
type Form = 'NN' | 'NT' | 'TN'
const call = (
  kernel: Gemm,
  form: Form,
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
): Float64Array =>
  form === 'NN'
    ? kernel(a, k, 1, b, n, 1, m, k, n)
    : form === 'NT'
      ? kernel(a, k, 1, b, 1, k, m, k, n)
      : kernel(a, 1, m, b, n, 1, m, k, n)

const problem = (max: number) =>
  fc
    .record({
      form: fc.constantFrom<Form>('NN', 'NT', 'TN'),
      m: fc.integer({ min: 0, max }),
      k: fc.integer({ min: 0, max }),
      n: fc.integer({ min: 0, max }),
    })
    .chain(({ form, m, k, n }) =>
      fc.record({
        form: fc.constant(form),
        m: fc.constant(m),
        k: fc.constant(k),
        n: fc.constant(n),
        a: fc.array(uniformValue(3), { minLength: m * k, maxLength: m * k }).map((xs) => Float64Array.from(xs)),
        b: fc.array(uniformValue(3), { minLength: k * n, maxLength: k * n }).map((xs) => Float64Array.from(xs)),
      }),
    )

/** The textbook triple loop over the same strides. */
const naive: Gemm = (a, ar, ac, b, br, bc, m, k, n) => {
  const c = new Float64Array(m * n)
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) c[i * n + j] += a[i * ar + p * ac] * b[p * br + j * bc]
  return c
}

const sameBits = (x: Float64Array, y: Float64Array) => {
  expect(x.length).toBe(y.length)
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) expect.fail(`element ${i}: ${x[i]} != ${y[i]}`)
}

describe('matmul kernels', () => {
  it('WebAssembly SIMD is available, so lib/ops runs the SIMD kernel (else every step is ~3x slower)', () => {
    expect(gemmSimd).toBeDefined()
    expect(gemm).toBe(gemmSimd)
  })
  it('the plain kernel sums in the same order as the triple loop, bit for bit, for all three forms', () => {
    fc.assert(
      fc.property(problem(13), ({ form, a, b, m, k, n }) =>
        sameBits(call(gemmPlain, form, a, b, m, k, n), call(naive, form, a, b, m, k, n)),
      ),
      { numRuns: 200 },
    )
  })
  it('the SIMD kernel gives the same bits as the plain one: any shape (padding and empty sizes), any form', () => {
    fc.assert(
      fc.property(problem(21), ({ form, a, b, m, k, n }) => {
        const before = [a.slice(), b.slice()]
        sameBits(call(gemmSimd!, form, a, b, m, k, n), call(gemmPlain, form, a, b, m, k, n))
        sameBits(a, before[0]) // inputs untouched
        sameBits(b, before[1])
      }),
      { numRuns: 300 },
    )
  })
  it('with a bias, both kernels give the bits of the sum plus the bias, added after it, for any shape and form', () => {
    fc.assert(
      fc.property(
        problem(21).chain((p) =>
          fc.record({
            p: fc.constant(p),
            bias: fc.array(uniformValue(3), { minLength: p.n, maxLength: p.n }).map((xs) => Float64Array.from(xs)),
          }),
        ),
        ({ p: { form, a, b, m, k, n }, bias }) => {
          const plain = call(gemmPlain, form, a, b, m, k, n)
          for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) plain[i * n + j] += bias[j]
          const withBias = (g: Gemm) =>
            form === 'NN'
              ? g(a, k, 1, b, n, 1, m, k, n, bias)
              : form === 'NT'
                ? g(a, k, 1, b, 1, k, m, k, n, bias)
                : g(a, 1, m, b, n, 1, m, k, n, bias)
          sameBits(withBias(gemmPlain), plain)
          sameBits(withBias(gemmSimd!), plain)
        },
      ),
      { numRuns: 200 },
    )
  })
  it('keeps giving the same bits after its memory grows for a large product and shrinks back to small ones', () => {
    const rand = (len: number, s: number) => Float64Array.from({ length: len }, (_, i) => Math.sin(i * 12.9898 + s) * 2)
    const m = 150,
      k = 301,
      n = 97 // about 0.7 MB of operands: more than the initial 64 KiB
    const a = rand(m * k, 1),
      b = rand(k * n, 2)
    for (const form of ['NN', 'NT', 'TN'] as const)
      sameBits(call(gemmSimd!, form, a, b, m, k, n), call(gemmPlain, form, a, b, m, k, n))
    const small = rand(6, 3)
    sameBits(call(gemmSimd!, 'NN', small, small, 2, 3, 2), call(gemmPlain, 'NN', small, small, 2, 3, 2))
  })
  it('propagates NaN and infinity where they belong, and padding never leaks into the result', () => {
    const a = Float64Array.from([1, NaN, 2, 3, Infinity, 0, 4, 5, 6])
    const b = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9])
    sameBits(call(gemmSimd!, 'NN', a, b, 3, 3, 3), call(gemmPlain, 'NN', a, b, 3, 3, 3))
    // a row of all-NaN in one product must not reach the next product through the scratch memory
    const clean = Float64Array.from([1, 2, 3, 4, 5])
    expect(Array.from(call(gemmSimd!, 'NN', clean, clean, 5, 1, 5)).every(Number.isFinite)).toBe(true)
  })
  it('the committed gemm-wasm.ts is gemm.wat assembled (run `npm run build:kernels` after editing gemm.wat)', async () => {
    expect(readFileSync(generatedPath, 'utf8')).toBe(await assembleGemm(readFileSync(watPath, 'utf8')))
  })
})

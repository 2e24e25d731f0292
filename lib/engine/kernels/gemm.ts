/**
 * The matmul kernels: C(m,n) = sum_p A(i,p) B(p,j), where A(i,p) = a[i*ar + p*ac] and
 * B(p,j) = b[p*br + j*bc]. The strides let one kernel serve A@B, A@B^T and A^T@B.
 *
 * Two implementations give the same bits:
 * - `gemmPlain`, plain TypeScript loops: the readable reference, and the fallback;
 * - `gemmSimd`, the same loop in WebAssembly with 128-bit SIMD (gemm.wat), two columns of C per
 *   instruction: about three times faster here, and what lets a training step keep up with
 *   PyTorch's eager mode (see the README's Speed section).
 * `gemm` is the SIMD kernel where WebAssembly SIMD is available (Node 16.4+, current browsers),
 * the plain one elsewhere. Both are pure: they read their inputs and return a new array.
 *
 * The same WebAssembly module holds BatchNorm's loops (`batchNormForwardSimd`,
 * `batchNormBackwardSimd`, at the end of this file), which layers/batchnorm.ts runs where it can.
 */
import { gemmWasmBase64 } from './gemm-wasm.ts'

export type Gemm = (
  a: Float64Array,
  ar: number,
  ac: number,
  b: Float64Array,
  br: number,
  bc: number,
  m: number,
  k: number,
  n: number,
  /** Added to every row of C after the sums (a Linear layer's bias), as `C + bias` would. */
  bias?: Float64Array,
) => Float64Array

/** The plain kernel: a 4x4 block of C lives in registers while p runs, so each loaded value is used four times. */
export const gemmPlain: Gemm = (a, ar, ac, b, br, bc, m, k, n, bias) => {
  const c = new Float64Array(m * n)
  const ar2 = 2 * ar,
    ar3 = 3 * ar,
    bc2 = 2 * bc,
    bc3 = 3 * bc
  let i = 0
  for (; i + 4 <= m; i += 4) {
    let j = 0
    for (; j + 4 <= n; j += 4) {
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0,
        c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0
      // pa walks down column p of the 4 rows of A, pb along row p of the 4 columns of B
      for (let p = 0, pa = i * ar, pb = j * bc; p < k; p++, pa += ac, pb += br) {
        const b0 = b[pb],
          b1 = b[pb + bc],
          b2 = b[pb + bc2],
          b3 = b[pb + bc3]
        let x = a[pa]
        c00 += x * b0
        c01 += x * b1
        c02 += x * b2
        c03 += x * b3
        x = a[pa + ar]
        c10 += x * b0
        c11 += x * b1
        c12 += x * b2
        c13 += x * b3
        x = a[pa + ar2]
        c20 += x * b0
        c21 += x * b1
        c22 += x * b2
        c23 += x * b3
        x = a[pa + ar3]
        c30 += x * b0
        c31 += x * b1
        c32 += x * b2
        c33 += x * b3
      }
      let o = i * n + j
      c[o] = c00
      c[o + 1] = c01
      c[o + 2] = c02
      c[o + 3] = c03
      o += n
      c[o] = c10
      c[o + 1] = c11
      c[o + 2] = c12
      c[o + 3] = c13
      o += n
      c[o] = c20
      c[o + 1] = c21
      c[o + 2] = c22
      c[o + 3] = c23
      o += n
      c[o] = c30
      c[o + 1] = c31
      c[o + 2] = c32
      c[o + 3] = c33
    }
    for (; j < n; j++) {
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0
      for (let p = 0, pa = i * ar, pb = j * bc; p < k; p++, pa += ac, pb += br) {
        const bv = b[pb]
        s0 += a[pa] * bv
        s1 += a[pa + ar] * bv
        s2 += a[pa + ar2] * bv
        s3 += a[pa + ar3] * bv
      }
      c[i * n + j] = s0
      c[(i + 1) * n + j] = s1
      c[(i + 2) * n + j] = s2
      c[(i + 3) * n + j] = s3
    }
  }
  for (; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0
      for (let p = 0; p < k; p++) s += a[i * ar + p * ac] * b[p * br + j * bc]
      c[i * n + j] = s
    }
  }
  if (bias !== undefined) for (let i = 0; i < m; i++) for (let j = 0, r = i * n; j < n; j++) c[r + j] += bias[j]
  return c
}

/** The assembled gemm.wat. */
export const gemmWasmBytes = (): Uint8Array => Uint8Array.from(atob(gemmWasmBase64), (ch) => ch.charCodeAt(0))

/** The part of the WebAssembly API used here (the ES2022 library that tsconfig targets does not declare it). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean
  readonly Module: new (bytes: Uint8Array) => object
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown }
}
export interface GemmExports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number }
  readonly gemm: (
    a: number,
    ars: number,
    acs: number,
    b: number,
    c: number,
    mp: number,
    k: number,
    n: number,
    bias: number,
  ) => void
  readonly transpose: (src: number, dst: number, rows: number, cols: number) => void
  readonly bn_forward: (
    x: number,
    m: number,
    n: number,
    eps: number,
    mean: number,
    variance: number,
    invStd: number,
    gamma: number,
    beta: number,
    xhat: number,
    out: number,
  ) => void
  readonly bn_backward: (
    g: number,
    xhat: number,
    invStd: number,
    gamma: number,
    m: number,
    n: number,
    dgamma: number,
    dbeta: number,
    scale: number,
    dx: number,
  ) => void
}

/** The compiled module, or undefined without WebAssembly SIMD. */
const compiled = ((): { wasm: WasmApi; module: object } | undefined => {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly
  if (wasm === undefined) return undefined
  const bytes = gemmWasmBytes()
  if (!wasm.validate(bytes)) return undefined // a runtime without SIMD
  return { wasm, module: new wasm.Module(bytes) }
})()

/**
 * A new instance of the kernel module, with a memory of its own (kernels/arena.ts keeps a training
 * step's buffers in one); undefined where WebAssembly SIMD is not available.
 */
export const newKernelInstance = (): GemmExports | undefined =>
  compiled === undefined ? undefined : (new compiled.wasm.Instance(compiled.module, {}).exports as GemmExports)

const simd = newKernelInstance()

const PAGE = 65536
const roundUp4 = (x: number): number => (x + 3) & ~3

/** The instance's memory as float64 (made anew when growing the memory replaces its buffer). */
let view: Float64Array | undefined

/**
 * The instance's memory, a scratch pad every call reuses (one instance per thread: each worker
 * loads its own), at least `doubles` long.
 */
const scratch = (w: GemmExports, doubles: number): Float64Array => {
  const bytes = doubles * 8
  if (bytes > w.memory.buffer.byteLength) w.memory.grow(Math.ceil((bytes - w.memory.buffer.byteLength) / PAGE))
  if (view === undefined || view.buffer !== w.memory.buffer) view = new Float64Array(w.memory.buffer)
  return view
}

/**
 * Builds the SIMD kernel over one instance: A is copied in as stored, B row-major (as stored for
 * A@B and A^T@B, transposed into place for A@B^T), and C is copied out with one copy.
 */
const simdKernel =
  (w: GemmExports): Gemm =>
  (a, ar, ac, b, br, bc, m, k, n, bias) => {
    if (m === 0 || n === 0) return new Float64Array(m * n)
    const mp = roundUp4(m)
    // The rows of A past m (i >= m, up to mp) read A's own values or, past its end, zeros (never
    // stale memory that could hold a NaN or a slow subnormal); only C's dropped rows see them.
    const aEnd = k === 0 ? a.length : Math.max(a.length, (mp - 1) * ar + (k - 1) * ac + 1)
    const bOff = aEnd + (aEnd & 1) // 16-byte aligned for the vector loads
    const cOff = bOff + k * n + ((k * n) & 1)
    // B^T as stored, for the kernel's transpose to pack (A@B^T with B^T's rows contiguous)
    const packs = bc !== 1 && br === 1 && bc === k
    const tOff = cOff + mp * n
    const biasOff = tOff + (packs ? k * n : 0)
    const mem = scratch(w, biasOff + (bias === undefined ? 0 : n))
    mem.set(a)
    if (aEnd > a.length) mem.fill(0, a.length, aEnd)
    if (bc === 1 && br === n) {
      mem.set(b.subarray(0, k * n), bOff)
    } else if (bc === 1) {
      for (let p = 0; p < k; p++) mem.set(b.subarray(p * br, p * br + n), bOff + p * n)
    } else if (packs) {
      mem.set(b.subarray(0, k * n), tOff)
      w.transpose(tOff * 8, bOff * 8, n, k)
    } else {
      // any other strides: walk B's storage in order, writing down the packed columns
      for (let j = 0; j < n; j++) for (let p = 0, o = bOff + j, q = j * bc; p < k; p++, o += n, q += br) mem[o] = b[q]
    }
    if (bias !== undefined) mem.set(bias.subarray(0, n), biasOff)
    w.gemm(0, ar * 8, ac * 8, bOff * 8, cOff * 8, mp, k, n, bias === undefined ? -1 : biasOff * 8)
    return mem.slice(cOff, cOff + m * n)
  }

/** The SIMD kernel, or undefined where WebAssembly SIMD is not available. */
export const gemmSimd: Gemm | undefined = simd === undefined ? undefined : simdKernel(simd)

/** The kernel lib/engine/ops.ts uses. */
export const gemm: Gemm = gemmSimd ?? gemmPlain

// ---------------------------------------------------------------------------------------------
// BatchNorm's loops (layers/batchnorm.ts) on the same instance

/** What BatchNorm's training-mode forward computes: the output, x̂ and the batch's statistics. */
export interface BatchNormForwardKernel {
  readonly out: Float64Array
  readonly xhat: Float64Array
  readonly mean: Float64Array
  readonly variance: Float64Array
  readonly invStd: Float64Array
}

/**
 * BatchNorm's training-mode forward over x (m rows of n features) in WebAssembly, two features an
 * instruction, giving the bits of the loops in layers/batchnorm.ts; undefined without SIMD.
 */
export const batchNormForwardSimd =
  simd === undefined
    ? undefined
    : (
        x: Float64Array,
        m: number,
        n: number,
        eps: number,
        gamma: Float64Array,
        beta: Float64Array,
      ): BatchNormForwardKernel => {
        const mn = m * n
        const mean = mn,
          variance = mean + n,
          invStd = variance + n,
          gammaOff = invStd + n,
          betaOff = gammaOff + n,
          xhat = betaOff + n,
          out = xhat + mn
        const mem = scratch(simd, out + mn)
        mem.set(x.subarray(0, mn))
        mem.fill(0, mean, gammaOff)
        mem.set(gamma.subarray(0, n), gammaOff)
        mem.set(beta.subarray(0, n), betaOff)
        simd.bn_forward(0, m, n, eps, mean * 8, variance * 8, invStd * 8, gammaOff * 8, betaOff * 8, xhat * 8, out * 8)
        // one copy out (one array to allocate and later collect), viewed as its five parts
        const all = mem.slice(mean, out + mn)
        const at = (from: number, length: number) => all.subarray(from - mean, from - mean + length)
        return {
          out: at(out, mn),
          xhat: at(xhat, mn),
          mean: at(mean, n),
          variance: at(variance, n),
          invStd: at(invStd, n),
        }
      }

/** BatchNorm's backward in WebAssembly, the bits of the loops in layers/batchnorm.ts; undefined without SIMD. */
export const batchNormBackwardSimd =
  simd === undefined
    ? undefined
    : (
        g: Float64Array,
        xhat: Float64Array,
        invStd: Float64Array,
        gamma: Float64Array,
        m: number,
        n: number,
      ): { dx: Float64Array; dgamma: Float64Array; dbeta: Float64Array } => {
        const mn = m * n
        const xhatOff = mn,
          invStdOff = 2 * mn,
          gammaOff = invStdOff + n,
          dgamma = gammaOff + n,
          dbeta = dgamma + n,
          scale = dbeta + n,
          dx = scale + n
        const mem = scratch(simd, dx + mn)
        mem.set(g.subarray(0, mn))
        mem.set(xhat.subarray(0, mn), xhatOff)
        mem.set(invStd.subarray(0, n), invStdOff)
        mem.set(gamma.subarray(0, n), gammaOff)
        mem.fill(0, dgamma, dx)
        simd.bn_backward(0, xhatOff * 8, invStdOff * 8, gammaOff * 8, m, n, dgamma * 8, dbeta * 8, scale * 8, dx * 8)
        const all = mem.slice(dgamma, dx + mn)
        const at = (from: number, length: number) => all.subarray(from - dgamma, from - dgamma + length)
        return { dx: at(dx, mn), dgamma: at(dgamma, n), dbeta: at(dbeta, n) }
      }

/**
 * An arena: one instance of the kernel module (gemm.wat) whose memory holds every buffer a
 * training step needs, laid out once and reused at every step. The kernels then read and write
 * those buffers where they lie: no copy into WebAssembly memory before a product and none out of
 * it after, no array allocated per op. Plain TypeScript loops work on the same memory through
 * Float64Array views of it.
 *
 * Two phases: `alloc` lays the buffers out (growing the memory as it goes), then `view` gives a
 * window on one of them. Growing the memory replaces its buffer and empties every view taken
 * before, so views are taken once the layout is done; `view` refuses to run before `seal`.
 *
 * Every buffer starts 16-byte aligned (the kernels' vector loads) and is followed by 8 zeros that
 * nothing writes: a product's kernel reads up to 3 values past a matrix's last row when it rounds
 * the rows up to a multiple of 4 (it drops what they give), and those reads find finite values.
 * The arena keeps the bits of the copying kernels in gemm.ts: the same instructions on the same
 * values in the same order (arena.test.ts checks it).
 */
import { newKernelInstance, type GemmExports } from './gemm.ts'

const PAGE = 65536
/** Zeros after every buffer: more than the 3 values a product's kernel may read past a matrix. */
const PAD = 8

/** A buffer in the arena: where it starts and how many float64 it holds, both in float64s. */
export interface Slot {
  readonly offset: number
  readonly length: number
}

/**
 * The room a matrix of `rows` x `cols` needs to be a product's C: a multiple of 4 rows (the
 * kernel computes rows in fours and stores the ones past the last too).
 */
export const matrixRoom = (rows: number, cols: number): number => roundUp4(rows) * cols

export interface Arena {
  /** Lays out a buffer of `length` float64s (zeros), with room for `room` of them; only before `seal`. */
  readonly alloc: (length: number, room?: number) => Slot
  /** Ends the layout: `view` may be called from now on, `alloc` no longer. */
  readonly seal: () => void
  /** The buffer as a Float64Array on the arena's memory (its first `length` values, or all of it). */
  readonly view: (b: Slot, length?: number) => Float64Array
  /**
   * C = A @ B (+ bias on every row): A(i,p) at a + i*ar + p*ac, B row-major k x n at b, C
   * row-major at c, all offsets and strides in float64s. C must have room for m rounded up to a
   * multiple of 4 rows; the rows past m hold what the kernel's dropped rows gave.
   */
  readonly gemm: (
    a: Slot,
    ar: number,
    ac: number,
    b: Slot,
    c: Slot,
    m: number,
    k: number,
    n: number,
    bias?: Slot,
  ) => void
  /** dst (cols x rows) = src (rows x cols) transposed. */
  readonly transpose: (src: Slot, dst: Slot, rows: number, cols: number) => void
  /** The raw module, for BatchNorm's loops (offsets in bytes: `bytes(b)`). */
  readonly kernels: GemmExports
}

/** A buffer's first byte, as the module's functions take it. */
export const bytes = (b: Slot): number => b.offset * 8

const roundUp4 = (x: number): number => (x + 3) & ~3

/** A new arena, or undefined where WebAssembly SIMD is not available. */
export const newArena = (): Arena | undefined => {
  const w = newKernelInstance()
  if (w === undefined) return undefined
  let next = 0,
    sealed = false
  const alloc = (length: number, room = length): Slot => {
    if (sealed) throw new Error('arena: alloc after seal (the views taken so far would go empty)')
    if (!(Number.isInteger(length) && length >= 0 && Number.isInteger(room) && room >= length))
      throw new RangeError(`arena: cannot allocate ${length} values in a room of ${room}`)
    const offset = next + (next & 1)
    next = offset + room + PAD
    const need = next * 8 - w.memory.buffer.byteLength
    if (need > 0) w.memory.grow(Math.ceil(need / PAGE))
    return { offset, length }
  }
  return {
    alloc,
    seal: () => {
      sealed = true
    },
    view: (b, length = b.length) => {
      if (!sealed) throw new Error('arena: view before seal (a later alloc would empty it)')
      return new Float64Array(w.memory.buffer, b.offset * 8, length)
    },
    gemm: (a, ar, ac, b, c, m, k, n, bias) => {
      if (m === 0 || n === 0) return
      w.gemm(bytes(a), ar * 8, ac * 8, bytes(b), bytes(c), roundUp4(m), k, n, bias === undefined ? -1 : bytes(bias))
    },
    transpose: (src, dst, rows, cols) => w.transpose(bytes(src), bytes(dst), rows, cols),
    kernels: w,
  }
}

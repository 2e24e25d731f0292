/**
 * A seeded pseudo-random generator whose state is a value.
 *
 * Every draw is an fp-ts `State<RngState, A>`: it takes the state and returns the result with the
 * next state, so the same seed gives the same numbers on every machine and in every order of
 * evaluation. The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counting generator), which
 * needs only 32-bit integer arithmetic and so gives identical bits wherever JavaScript runs.
 * Bulk draws (a whole weight matrix, a whole minibatch) step a local copy in a plain loop.
 */
import type { State } from 'fp-ts/State'
import { ShapeError, sizeOf, type Shape, type Tensor } from './tensor.ts'

export interface RngState {
  readonly a: number
  readonly b: number
  readonly c: number
  readonly d: number
}

/** A computation that draws random numbers. */
export type Rng<A> = State<RngState, A>

/** The mutable working copy a single draw steps through; it never escapes the draw. */
class Sfc32 {
  a: number
  b: number
  c: number
  d: number
  constructor(s: RngState) {
    this.a = s.a
    this.b = s.b
    this.c = s.c
    this.d = s.d
  }
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }
  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.next() >>> 5,
      lo = this.next() >>> 6
    return (hi * 67108864 + lo) / 9007199254740992
  }
  state(): RngState {
    return { a: this.a, b: this.b, c: this.c, d: this.d }
  }
}

const draw =
  <A>(f: (g: Sfc32) => A): Rng<A> =>
  (s) => {
    const g = new Sfc32(s)
    const value = f(g)
    return [value, g.state()]
  }

/** The generator's state for a seed (any integer; equal seeds give equal streams). */
export const seedRng = (seed: number): RngState => {
  if (!Number.isSafeInteger(seed)) throw new ShapeError('seedRng', `seed must be an integer, got ${seed}`)
  // splitmix32 spreads the seed's bits over the four words; sfc32 then runs a few rounds to mix
  let x = (seed ^ Math.floor(seed / 4294967296)) | 0
  const split = (): number => {
    x = (x + 0x9e3779b9) | 0
    let z = x
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) | 0
  }
  const g = new Sfc32({ a: split(), b: split(), c: split(), d: 1 })
  for (let i = 0; i < 15; i++) g.next()
  return g.state()
}

/** Runs a draw from a seed and keeps only its value. */
export const evalRng = <A>(rng: Rng<A>, seed: number): A => rng(seedRng(seed))[0]

/** One unsigned 32-bit integer. */
export const nextUint32: Rng<number> = draw((g) => g.next())

/** n numbers uniform in [0, 1). */
export const uniform = (n: number): Rng<Float64Array> =>
  draw((g) => {
    const out = new Float64Array(n)
    for (let i = 0; i < n; i++) out[i] = g.uniform()
    return out
  })

/** n standard normal numbers (mean 0, variance 1), by the Box-Muller transform. */
export const randn = (n: number): Rng<Float64Array> =>
  draw((g) => {
    const out = new Float64Array(n)
    for (let i = 0; i < n; i += 2) {
      const r = Math.sqrt(-2 * Math.log(1 - g.uniform()))
      const theta = 2 * Math.PI * g.uniform()
      out[i] = r * Math.cos(theta)
      if (i + 1 < n) out[i + 1] = r * Math.sin(theta)
    }
    return out
  })

/** A tensor of standard normal numbers. */
export const randnTensor =
  (shape: Shape): Rng<Tensor> =>
  (s) => {
    const [data, next] = randn(sizeOf(shape))(s)
    return [{ shape: [...shape], data }, next]
  }

/** n integers uniform in [low, high). */
export const randint = (low: number, high: number, n: number): Rng<Int32Array> => {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low || high - low > 2 ** 31) {
    throw new ShapeError('randint', `needs integers low < high (at most 2^31 apart), got [${low}, ${high})`)
  }
  return draw((g) => {
    const out = new Int32Array(n)
    const span = high - low
    for (let i = 0; i < n; i++) out[i] = low + Math.floor(g.uniform() * span)
    return out
  })
}

/** A uniformly random permutation of xs (Fisher-Yates); xs itself is left as it was. */
export const shuffle = <A>(xs: readonly A[]): Rng<A[]> =>
  draw((g) => {
    const out = [...xs]
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(g.uniform() * (i + 1))
      const t = out[i]
      out[i] = out[j]
      out[j] = t
    }
    return out
  })

/** A draw from a categorical distribution given by non-negative weights (need not sum to 1). */
export const categorical = (weights: ArrayLike<number>): Rng<number> =>
  draw((g) => {
    let total = 0
    for (let i = 0; i < weights.length; i++) total += weights[i]
    let u = g.uniform() * total
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i]
      if (u < 0) return i
    }
    return weights.length - 1
  })

/**
 * Python's `random.seed(n); random.shuffle(xs)`, bit for bit: the Mersenne Twister (MT19937)
 * seeded as CPython seeds it from an integer, and CPython's shuffle. With makemore's names.txt
 * and seed 42 this gives the lecture's own train/val/test split, so that its val losses can be
 * compared on the same names. The project's own generator (random.ts) stays the default.
 */

const N = 624
const M = 397

/** CPython's init_by_array with the key of `random.seed(seed)` for a non-negative integer: its 32-bit words, low first. */
const seededState = (seed: number): Uint32Array => {
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new RangeError(`pythonShuffle: the seed must be a whole number >= 0, got ${seed}`)
  const key: number[] = []
  for (let s = seed; s > 0; s = Math.floor(s / 2 ** 32)) key.push(s % 2 ** 32)
  if (key.length === 0) key.push(0)
  const mt = new Uint32Array(N)
  mt[0] = 19650218
  for (let i = 1; i < N; i++) mt[i] = Math.imul(1812433253, mt[i - 1] ^ (mt[i - 1] >>> 30)) + i
  let i = 1,
    j = 0
  for (let k = Math.max(N, key.length); k > 0; k--) {
    mt[i] = (mt[i] ^ Math.imul(mt[i - 1] ^ (mt[i - 1] >>> 30), 1664525)) + key[j] + j
    i++
    j++
    if (i >= N) {
      mt[0] = mt[N - 1]
      i = 1
    }
    if (j >= key.length) j = 0
  }
  for (let k = N - 1; k > 0; k--) {
    mt[i] = (mt[i] ^ Math.imul(mt[i - 1] ^ (mt[i - 1] >>> 30), 1566083941)) - i
    i++
    if (i >= N) {
      mt[0] = mt[N - 1]
      i = 1
    }
  }
  mt[0] = 0x80000000
  return mt
}

/** A generator of 32-bit words (genrand_uint32) over its own copy of the state. */
const twister = (seed: number): (() => number) => {
  const mt = seededState(seed)
  let index = N
  return () => {
    if (index >= N) {
      for (let k = 0; k < N; k++) {
        const y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff)
        mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)
      }
      index = 0
    }
    let y = mt[index++]
    y ^= y >>> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    y ^= y >>> 18
    return y >>> 0
  }
}

/** The first `count` results of `random.seed(seed); random.getrandbits(32)` (for checking against Python). */
export const pythonRandomWords = (seed: number, count: number): number[] => {
  const next = twister(seed)
  return Array.from({ length: count }, next)
}

/**
 * A shuffled copy of `xs`, as `random.seed(seed); random.shuffle(xs)` leaves a Python list:
 * for i from the end down to 1, swap xs[i] with xs[randbelow(i + 1)], where randbelow draws
 * bit_length(n) bits and draws again until the number is below n.
 */
export const pythonShuffle = <A>(xs: readonly A[], seed: number): A[] => {
  const next = twister(seed)
  const out = [...xs]
  for (let i = out.length - 1; i > 0; i--) {
    const n = i + 1
    const bits = 32 - Math.clz32(n)
    let r = next() >>> (32 - bits)
    while (r >= n) r = next() >>> (32 - bits)
    const t = out[i]
    out[i] = out[r]
    out[r] = t
  }
  return out
}

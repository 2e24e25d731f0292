import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { pythonRandomWords, pythonShuffle } from './python-random.ts'
import { splitWords } from '../model/data.ts'

// Reference values printed by CPython 3.11: random.seed(s); [random.getrandbits(32) for _ in ...]
// and random.seed(s); random.shuffle(xs).
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

describe("Python's random, bit for bit", () => {
  it("the Mersenne Twister seeded from an integer gives CPython's getrandbits(32)", () => {
    expect(pythonRandomWords(42, 3)).toEqual([2746317213, 478163327, 107420369])
    expect(pythonRandomWords(0, 2)).toEqual([3626764237, 1654615998])
  })
  it("shuffle gives CPython's order, for seeds of one and of two 32-bit words", () => {
    expect(pythonShuffle(range(10), 42)).toEqual([7, 3, 2, 8, 5, 6, 9, 4, 0, 1])
    expect(pythonShuffle(range(30), 1)).toEqual([
      26, 16, 11, 10, 23, 1, 5, 29, 7, 20, 9, 28, 17, 13, 0, 19, 22, 6, 12, 21, 14, 15, 3, 8, 2, 24, 25, 27, 18, 4,
    ])
    expect(pythonShuffle(range(5), 2 ** 40 + 3)).toEqual([4, 3, 2, 0, 1])
  })
  it('shuffle is a permutation, the same for the same seed, and leaves its input alone', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.nat(), (xs, seed) => {
        const before = [...xs]
        const a = pythonShuffle(xs, seed)
        expect(a).toEqual(pythonShuffle(xs, seed))
        expect([...a].sort((x, y) => x - y)).toEqual([...xs].sort((x, y) => x - y))
        expect(xs).toEqual(before)
      }),
      { numRuns: 50 },
    )
  })
  it('a seed that is not a whole number >= 0 is an error', () => {
    expect(() => pythonShuffle([1], -1)).toThrow('pythonShuffle: the seed must be a whole number >= 0, got -1')
    expect(() => pythonShuffle([1], 0.5)).toThrow('got 0.5')
  })
  it("splitWords(..., 'python') cuts Python's shuffle 80/10/10 as makemore does", () => {
    const words = range(10).map((i) => `w${i}`)
    const shuffled = pythonShuffle(words, 42)
    expect(splitWords(words, 42, 'python')).toEqual({
      train: shuffled.slice(0, 8),
      val: [shuffled[8]],
      test: [shuffled[9]],
    })
    expect(splitWords(words, 42, 'python')).not.toEqual(splitWords(words, 42))
  })
})

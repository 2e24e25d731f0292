/**
 * The data pipeline of makemore: names, the vocabulary of characters, context windows, the
 * train/dev/test split and minibatches.
 *
 * A names file holds one name a line (makemore's names.txt format). Reading it is the only place
 * that can fail on user input, so `parseNames` and `readNamesFile` return an fp-ts `Either` whose
 * error says which file, which line and what is wrong. Everything after that is pure and total on
 * valid input; misuse by a program (a character outside the vocabulary, a bad block size) throws a
 * `ShapeError` as the rest of lib/ does.
 */
import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as S from 'fp-ts/State'
import type { Either } from 'fp-ts/Either'
import { ShapeError } from '../engine/tensor.ts'
import { pythonShuffle } from '../engine/python-random.ts'
import { randint, seedRng, shuffle, type Rng } from '../engine/random.ts'

// ---------------------------------------------------------------------------------------------
// Reading names

/** Why a names file cannot be used. */
export interface NamesError {
  /** unreadable: the file could not be read; empty: no names at all; dot: a name contains '.';
   *  character: a name contains something other than a lowercase letter a-z */
  readonly kind: 'unreadable' | 'empty' | 'dot' | 'character'
  /** the file (or other source) the names came from */
  readonly source: string
  /** 1-based line number, when the problem is on one line */
  readonly line?: number
  /** 1-based column (in characters, counting from the start of the line), when known */
  readonly column?: number
  /** what is wrong, in plain words */
  readonly message: string
}

/** An error as one line, compiler style: `names.txt:17: "Anna" has 'A' at column 1: ...`. */
export const formatNamesError = (e: NamesError): string =>
  e.line === undefined ? `${e.source}: ${e.message}` : `${e.source}:${e.line}: ${e.message}`

/** The vocabulary rule every name must satisfy, as the error messages state it. */
const RULE = 'names must be lowercase letters a-z'

const isLowercaseLetter = (ch: string): boolean => ch >= 'a' && ch <= 'z'

const codePoint = (ch: string): string => `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`

/** A character as a message shows it: visible ones quoted, invisible ones by name or code point. */
const describeChar = (ch: string): string => {
  if (ch === ' ') return 'a space'
  if (ch === '\t') return 'a tab'
  if (/^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch)) return `'${ch}'`
  return `the invisible character ${codePoint(ch)}`
}

/** A suggestion for fixing a name that has the character `ch`, or '' when there is none to give. */
const hintFor = (ch: string): string => {
  if (ch >= 'A' && ch <= 'Z') return ' (lower-case the file first)'
  if (/^\p{L}$/u.test(ch)) return ' (spell the name with a-z only, or remove it)'
  if (/^\s$/u.test(ch)) return ' (put one name on each line, with no spaces inside a name)'
  return ''
}

/** The first problem with one trimmed name, or undefined when it satisfies the vocabulary rule. */
const checkName = (name: string, source: string, line: number, indent: number): NamesError | undefined => {
  let column = indent
  for (const ch of name) {
    column += 1
    if (isLowercaseLetter(ch)) continue
    if (ch === '.') {
      return {
        kind: 'dot',
        source,
        line,
        column,
        message: `${JSON.stringify(name)} has '.' at column ${column}: '.' marks the start and end of a name, so it cannot appear inside one`,
      }
    }
    return {
      kind: 'character',
      source,
      line,
      column,
      message: `${JSON.stringify(name)} has ${describeChar(ch)} at column ${column}: ${RULE}${hintFor(ch)}`,
    }
  }
  return undefined
}

/**
 * The names of a names file: one name a line, in file order. Blank lines and whitespace around a
 * name (spaces, tabs, '\r' of Windows line endings) are ignored. Fails with the first problem in
 * file order: a name with '.', a character that is not a lowercase letter a-z, or no names at all.
 * `source` names the file in error messages.
 */
export const parseNames = (text: string, source: string): Either<NamesError, readonly string[]> => {
  const lines = text.split(/\r\n|\n|\r/)
  const names: string[] = []
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]
    const name = raw.trim()
    if (name === '') continue
    const indent = [...raw.slice(0, raw.length - raw.trimStart().length)].length
    const problem = checkName(name, source, i + 1, indent)
    if (problem !== undefined) return E.left(problem)
    names.push(name)
  }
  if (names.length === 0) {
    return E.left({ kind: 'empty', source, message: 'no names: the file is empty or holds only blank lines' })
  }
  return E.right(names)
}

const describeReadError = (err: unknown): string => {
  const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined
  if (code === 'ENOENT') return 'cannot read the names file: there is no such file'
  if (code === 'EISDIR') return 'cannot read the names file: it is a directory'
  if (code === 'EACCES' || code === 'EPERM') return 'cannot read the names file: permission denied'
  return `cannot read the names file: ${err instanceof Error ? err.message : String(err)}`
}

/** Reads and parses a names file (UTF-8); a missing or unreadable file is an error naming the path. */
export const readNamesFile = (path: string): Either<NamesError, readonly string[]> => {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    return E.left({ kind: 'unreadable', source: path, message: describeReadError(err) })
  }
  return parseNames(text, path)
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

/** The characters the model reads and writes, and their integer indices (makemore's itos/stoi). */
export interface Vocabulary {
  /** index to string: '.' at 0, then the corpus's characters in sorted order */
  readonly itos: readonly string[]
  /** string to index */
  readonly stoi: ReadonlyMap<string, number>
  /** number of tokens (27 for a corpus that uses all of a-z) */
  readonly size: number
}

/** The special token that pads the context at the start of a name and marks its end. */
export const DOT = '.'

/**
 * The vocabulary of a corpus: '.' at index 0, then the distinct characters of the words sorted
 * (makemore: `chars = sorted(list(set(''.join(words))))`, `stoi = {s: i+1}`, `stoi['.'] = 0`).
 */
export const buildVocabulary = (words: readonly string[]): Vocabulary => {
  const chars = new Set<string>()
  for (const w of words) for (const ch of w) chars.add(ch)
  if (chars.has(DOT))
    throw new ShapeError('buildVocabulary', `'${DOT}' is the start/end token and cannot appear in a word`)
  const itos = [DOT, ...[...chars].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))]
  const stoi = new Map(itos.map((s, i) => [s, i] as const))
  return { itos, stoi, size: itos.length }
}

const indexOf = (op: string, vocab: Vocabulary, ch: string, word: string): number => {
  const ix = vocab.stoi.get(ch)
  if (ix === undefined) throw new ShapeError(op, `${JSON.stringify(word)} has '${ch}', which is not in the vocabulary`)
  return ix
}

/** The indices of a word's characters (without the '.' that ends it). */
export const encode = (word: string, vocab: Vocabulary): Int32Array => {
  const chars = [...word]
  const out = new Int32Array(chars.length)
  for (let i = 0; i < chars.length; i++) out[i] = indexOf('encode', vocab, chars[i], word)
  return out
}

/** The string spelled by indices: each index becomes its character, '.' included. */
export const decode = (indices: ArrayLike<number>, vocab: Vocabulary): string => {
  let out = ''
  for (let i = 0; i < indices.length; i++) {
    const ix = indices[i]
    if (!Number.isInteger(ix) || ix < 0 || ix >= vocab.size) {
      throw new ShapeError('decode', `index ${ix} is outside the vocabulary 0..${vocab.size - 1}`)
    }
    out += vocab.itos[ix]
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Context windows

/** Training examples: each row of X is a context of `blockSize` indices, Y the index that follows. */
export interface Examples {
  /** count * blockSize indices, row-major: row i is X[i*blockSize .. (i+1)*blockSize) */
  readonly X: Int32Array
  /** count indices: Y[i] is the character that follows context i */
  readonly Y: Int32Array
  readonly count: number
  readonly blockSize: number
}

/**
 * The context windows of a list of words (makemore's build_dataset). For each word the context
 * starts as `blockSize` '.' (index 0); for each character of word + '.', emit (context, character)
 * and slide the character into the context. A word of length n gives n + 1 examples.
 */
export const buildExamples = (words: readonly string[], vocab: Vocabulary, blockSize = 3): Examples => {
  if (!Number.isInteger(blockSize) || blockSize < 1) {
    throw new ShapeError('buildExamples', `blockSize must be a positive integer, got ${blockSize}`)
  }
  let count = 0
  for (const w of words) {
    for (const _ of w) count += 1
    count += 1
  }
  const X = new Int32Array(count * blockSize)
  const Y = new Int32Array(count)
  const context = new Int32Array(blockSize)
  let row = 0
  const emit = (ix: number): void => {
    X.set(context, row * blockSize)
    Y[row] = ix
    row += 1
    context.copyWithin(0, 1)
    context[blockSize - 1] = ix
  }
  for (const w of words) {
    context.fill(0)
    for (const ch of w) emit(indexOf('buildExamples', vocab, ch, w))
    emit(0)
  }
  return { X, Y, count, blockSize }
}

// ---------------------------------------------------------------------------------------------
// Train / dev / test split

/** The three parts of a corpus: train to fit, val (the lecture's "dev") to tune, test to report. */
export interface Split {
  readonly train: readonly string[]
  readonly val: readonly string[]
  readonly test: readonly string[]
}

/**
 * How the words are shuffled before the cut: `seeded`, with the project's generator (random.ts);
 * `python`, as Python's `random.seed(seed); random.shuffle(words)` does, which with makemore's
 * names.txt and seed 42 is the lecture's own split.
 */
export type SplitShuffle = 'seeded' | 'python'

/**
 * Shuffles the words with a seed, then cuts them 80/10/10 by position (makemore:
 * n1 = int(0.8 * n), n2 = int(0.9 * n); train = words[:n1], val = words[n1:n2], test = words[n2:]).
 * The same seed always gives the same split.
 */
export const splitWords = (words: readonly string[], seed: number, how: SplitShuffle = 'seeded'): Split => {
  const shuffled = how === 'python' ? pythonShuffle(words, seed) : shuffle(words)(seedRng(seed))[0]
  const n = shuffled.length
  const n1 = Math.floor(0.8 * n)
  const n2 = Math.floor(0.9 * n)
  return { train: shuffled.slice(0, n1), val: shuffled.slice(n1, n2), test: shuffled.slice(n2) }
}

// ---------------------------------------------------------------------------------------------
// Minibatches

/** A minibatch: `size` rows of contexts X (row-major, size * blockSize) and their targets Y. */
export interface Batch {
  readonly X: Int32Array
  readonly Y: Int32Array
  readonly size: number
}

/**
 * A minibatch of `batchSize` examples drawn uniformly with replacement (makemore:
 * `ix = torch.randint(0, Xtr.shape[0], (batch_size,))`, then `Xtr[ix], Ytr[ix]`).
 */
export const sampleBatch = (examples: Examples, batchSize: number): Rng<Batch> => {
  if (!Number.isInteger(batchSize) || batchSize < 0) {
    throw new ShapeError('sampleBatch', `batchSize must be a non-negative integer, got ${batchSize}`)
  }
  if (examples.count === 0) throw new ShapeError('sampleBatch', 'there are no examples to sample from')
  const draw = randint(0, examples.count, batchSize)
  const { blockSize } = examples
  const source = examples.X
  const targets = examples.Y
  return pipe(
    draw,
    S.map((ix): Batch => {
      const X = new Int32Array(batchSize * blockSize)
      const Y = new Int32Array(batchSize)
      for (let b = 0; b < batchSize; b++) {
        const i = ix[b]
        const from = i * blockSize
        const to = b * blockSize
        for (let k = 0; k < blockSize; k++) X[to + k] = source[from + k]
        Y[b] = targets[i]
      }
      return { X, Y, size: batchSize }
    }),
  )
}

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
  /** unreadable: the file could not be read; encoding: it is UTF-16 or binary, not UTF-8 text;
   *  empty: no names at all; too-few: too few names for a train, val and test batch each;
   *  dot: a name contains '.'; character: a name contains something other than a letter a-z */
  readonly kind: 'unreadable' | 'encoding' | 'empty' | 'too-few' | 'dot' | 'character'
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
  if (ch === "'") return 'an apostrophe'
  if (ch === '"') return 'a double quote'
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

/** The most characters of a line an error message quotes. */
export const QUOTE_LIMIT = 80

/**
 * A name as an error message quotes it: whole when it is short, else at most QUOTE_LIMIT
 * characters around the character at `at` (0-based, in characters), with '...' where it is cut.
 */
export const quoteName = (chars: readonly string[], at: number): string => {
  if (chars.length <= QUOTE_LIMIT) return JSON.stringify(chars.join(''))
  const from = Math.max(0, Math.min(at - QUOTE_LIMIT / 2, chars.length - QUOTE_LIMIT))
  const to = from + QUOTE_LIMIT
  return `${from > 0 ? '...' : ''}${JSON.stringify(chars.slice(from, to).join(''))}${to < chars.length ? '...' : ''}`
}

/** Whether a line is a name as it stands: one or more letters a-z and nothing else (the usual case, checked fast). */
const isPlainName = (raw: string): boolean => {
  if (raw.length === 0) return false
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i)
    if (c < 97 || c > 122) return false
  }
  return true
}

/** The first problem with one trimmed name, or undefined when it satisfies the vocabulary rule. */
const checkName = (name: string, source: string, line: number, indent: number): NamesError | undefined => {
  let column = indent
  let at = -1
  for (const ch of name) {
    column += 1
    at += 1
    if (isLowercaseLetter(ch)) continue
    const quoted = quoteName([...name], at)
    if (ch === '.') {
      return {
        kind: 'dot',
        source,
        line,
        column,
        message: `${quoted} has '.' at column ${column}: '.' marks the start and end of a name, so it cannot appear inside one`,
      }
    }
    return {
      kind: 'character',
      source,
      line,
      column,
      message: `${quoted} has ${describeChar(ch)} at column ${column}: ${RULE}${hintFor(ch)}`,
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
  const names: string[] = []
  // one line at a time, without an array of every line: a 50 MB file has millions
  const lineEnd = /\r\n|\n|\r/g
  let line = 0
  for (let from = 0; from <= text.length; ) {
    line += 1
    lineEnd.lastIndex = from
    const m = lineEnd.exec(text)
    const to = m === null ? text.length : m.index
    const raw = text.slice(from, to)
    from = m === null ? text.length + 1 : to + m[0].length
    if (isPlainName(raw)) {
      names.push(raw)
      continue
    }
    const name = raw.trim()
    if (name === '') continue
    const indent = [...raw.slice(0, raw.length - raw.trimStart().length)].length
    const problem = checkName(name, source, line, indent)
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

/** The line (1-based) of byte `at` of a file. */
const lineOfByte = (bytes: Uint8Array, at: number): number => {
  let line = 1
  for (let i = 0; i < at; i++) if (bytes[i] === 10) line += 1
  return line
}

/**
 * The text of a names file's bytes, or why they are not UTF-8 text: UTF-16 (a byte-order mark, or
 * the zero bytes every other byte that ASCII letters leave in UTF-16), other binary data (a zero
 * byte), or bytes that are not valid UTF-8. A UTF-8 byte-order mark is dropped.
 */
export const decodeNames = (bytes: Uint8Array, source: string): Either<NamesError, string> => {
  const encoding = (message: string, line?: number): Either<NamesError, string> =>
    E.left({ kind: 'encoding', source, ...(line === undefined ? {} : { line }), message })
  const saveAs = 'save it as UTF-8 text, one name a line'
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return encoding(`the file is UTF-16 text (it starts with a UTF-16 byte-order mark), not UTF-8: ${saveAs}`)
  const zero = bytes.indexOf(0)
  if (zero >= 0) {
    // UTF-16 without a byte-order mark: letters a-z are a zero byte beside each ASCII byte
    let zeros = 0
    const n = Math.min(bytes.length, 4096)
    for (let i = zero % 2; i < n; i += 2) if (bytes[i] === 0) zeros += 1
    if (n >= 4 && zeros >= 0.9 * Math.floor((n - (zero % 2) + 1) / 2))
      return encoding(`the file looks like UTF-16 text (every other byte is zero), not UTF-8: ${saveAs}`)
    return encoding(
      `the file is binary, not text: it has a zero byte at byte ${zero + 1}; a names file is UTF-8 text, one name a line`,
      lineOfByte(bytes, zero),
    )
  }
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
  try {
    return E.right(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start)))
  } catch {
    const lossy = new TextDecoder('utf-8').decode(bytes.subarray(start))
    const bad = lossy.indexOf('\uFFFD')
    const line = bad < 0 ? undefined : lossy.slice(0, bad).split('\n').length
    return encoding(`the file is not UTF-8 text (binary data, or another encoding such as Latin-1): ${saveAs}`, line)
  }
}

/** Reads and parses a names file (UTF-8); a missing or unreadable file is an error naming the path. */
export const readNamesFile = (path: string): Either<NamesError, readonly string[]> => {
  let bytes: Uint8Array
  try {
    bytes = readFileSync(path)
  } catch (err) {
    return E.left({ kind: 'unreadable', source: path, message: describeReadError(err) })
  }
  const text = decodeNames(bytes, path)
  return E.isLeft(text) ? text : parseNames(text.right, path)
}

/**
 * The names of a file, or an Error carrying formatNamesError's line: for the fixtures, the kata pages
 * and the tests, where a missing or broken names file is a setup fault with nothing to recover.
 */
export const readNamesOrThrow = (path: string): readonly string[] => {
  const read = readNamesFile(path)
  if (E.isLeft(read)) throw new Error(formatNamesError(read.left))
  return read.right
}

/** The examples each part of the split must hold at least: one batch. */
export interface SplitCounts {
  readonly train: number
  readonly val: number
  readonly test: number
}

/**
 * Whether a split can train and be evaluated: each of train, val and test needs at least one batch
 * of examples. Otherwise an error saying how many names there are and about how many are needed
 * (for names of this file's average length, split 80/10/10).
 */
export const checkSplitSizes = (
  source: string,
  names: number,
  counts: SplitCounts,
  batchSize: number,
): Either<NamesError, SplitCounts> => {
  const enough = (c: SplitCounts) => c.train >= batchSize && c.val >= batchSize && c.test >= batchSize
  if (enough(counts)) return E.right(counts)
  const perName = Math.max(1, (counts.train + counts.val + counts.test) / Math.max(1, names))
  let needed = Math.max(names + 1, 3)
  const estimate = (n: number): SplitCounts => {
    const n1 = Math.floor(0.8 * n),
      n2 = Math.floor(0.9 * n)
    return { train: n1 * perName, val: (n2 - n1) * perName, test: (n - n2) * perName }
  }
  while (!enough(estimate(needed))) needed += 1
  const plural = (n: number, what: string) => `${n.toLocaleString('en')} ${what}${n === 1 ? '' : 's'}`
  return E.left({
    kind: 'too-few',
    source,
    message:
      `too few names: the file has ${plural(names, 'name')}, which split 80/10/10 give ${counts.train} / ${counts.val} / ${counts.test} ` +
      `train / val / test examples, and each part needs at least one batch of ${batchSize}; ` +
      `about ${needed.toLocaleString('en')} names of this length are needed`,
  })
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

/**
 * Indices of characters: Int32Array, or Uint8Array where the vocabulary has at most 256 tokens and
 * memory counts (a corpus of 50 MB of names has 47 million examples: 750 MB as Int32Array, 190 MB
 * as Uint8Array).
 */
export type IndexArray = Int32Array | Uint8Array

/** Training examples: each row of X is a context of `blockSize` indices, Y the index that follows. */
export interface Examples {
  /** count * blockSize indices, row-major: row i is X[i*blockSize .. (i+1)*blockSize) */
  readonly X: IndexArray
  /** count indices: Y[i] is the character that follows context i */
  readonly Y: IndexArray
  readonly count: number
  readonly blockSize: number
}

/**
 * The context windows of a list of words (makemore's build_dataset). For each word the context
 * starts as `blockSize` '.' (index 0); for each character of word + '.', emit (context, character)
 * and slide the character into the context. A word of length n gives n + 1 examples.
 * `alloc` makes the zeroed arrays (e.g. Uint8Array on a SharedArrayBuffer, to share them with
 * workers in a quarter of the memory); it must hold every index of the vocabulary.
 */
export const buildExamples = (
  words: readonly string[],
  vocab: Vocabulary,
  blockSize = 3,
  alloc: (length: number) => IndexArray = (length) => new Int32Array(length),
): Examples => {
  if (!Number.isInteger(blockSize) || blockSize < 1) {
    throw new ShapeError('buildExamples', `blockSize must be a positive integer, got ${blockSize}`)
  }
  let count = 0
  for (const w of words) {
    for (const _ of w) count += 1
    count += 1
  }
  const X = alloc(count * blockSize)
  const Y = alloc(count)
  if (X instanceof Uint8Array && vocab.size > 256)
    throw new ShapeError('buildExamples', `a vocabulary of ${vocab.size} tokens does not fit in bytes`)
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

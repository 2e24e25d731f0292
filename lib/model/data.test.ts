import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import type { Either } from 'fp-ts/Either'
import { randint, seedRng } from '../engine/random.ts'
import {
  QUOTE_LIMIT,
  buildExamples,
  buildVocabulary,
  checkSplitSizes,
  decode,
  decodeNames,
  encode,
  formatNamesError,
  parseNames,
  readNamesFile,
  readNamesOrThrow,
  sampleBatch,
  splitWords,
  type Examples,
  type IndexArray,
  type NamesError,
} from './data.ts'

const runs = { numRuns: 30 }
const letter = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz')
const word = fc.string({ unit: letter, minLength: 1, maxLength: 8 })
const words = fc.array(word, { minLength: 1, maxLength: 30 })
const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 })

/** The error of a parse that must fail. */
const errorOf = <A>(result: Either<NamesError, A>): NamesError => {
  if (E.isRight(result)) throw new Error(`expected an error, got ${JSON.stringify(result.right)}`)
  return result.left
}

/** The names of a parse that must succeed. */
const namesOf = (result: Either<NamesError, readonly string[]>): readonly string[] => {
  if (E.isLeft(result)) throw new Error(`expected names, got ${formatNamesError(result.left)}`)
  return result.right
}

/** Row i of the examples as a plain array of its context followed by its target. */
const rowOf = (X: IndexArray, Y: IndexArray, blockSize: number, i: number): number[] => [
  ...X.subarray(i * blockSize, (i + 1) * blockSize),
  Y[i],
]

describe('parseNames: one name a line', () => {
  it('gives the names in file order', () => {
    expect(namesOf(parseNames('emma\nolivia\nava\n', 'names.txt'))).toEqual(['emma', 'olivia', 'ava'])
    expect(namesOf(parseNames('emma', 'names.txt'))).toEqual(['emma'])
  })

  it('ignores blank lines and whitespace around names (spaces, tabs, \\r of Windows line endings)', () => {
    expect(namesOf(parseNames('\n  emma \r\n\r\n\tolivia\t\n   \n ava\r\n\n', 'names.txt'))).toEqual([
      'emma',
      'olivia',
      'ava',
    ])
    const padding = fc.constantFrom('', ' ', '\t', '  ', '\r')
    const blankLine = fc.constantFrom('', ' ', '\t', '\r')
    const line = fc.tuple(fc.array(blankLine, { maxLength: 2 }), padding, word, padding)
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 20 }), (lines) => {
        const text = lines.flatMap(([blanks, before, w, after]) => [...blanks, `${before}${w}${after}`]).join('\n')
        expect(namesOf(parseNames(text, 'names.txt'))).toEqual(lines.map(([, , w]) => w))
      }),
      runs,
    )
  })

  it('an empty file, or one of only blank lines, is an error saying there are no names', () => {
    for (const text of ['', '\n\n', '  \r\n\t\n']) {
      const e = errorOf(parseNames(text, 'empty.txt'))
      expect(e.kind).toBe('empty')
      expect(e.line).toBeUndefined()
      expect(formatNamesError(e)).toBe('empty.txt: no names: the file is empty or holds only blank lines')
    }
  })

  it("a name containing '.' is an error giving its line and column and saying '.' is the start/end token", () => {
    const e = errorOf(parseNames('emma\n\nan.na\n', 'names.txt'))
    expect(e).toMatchObject({ kind: 'dot', source: 'names.txt', line: 3, column: 3 })
    expect(formatNamesError(e)).toBe(
      `names.txt:3: "an.na" has '.' at column 3: '.' marks the start and end of a name, so it cannot appear inside one`,
    )
  })

  it('an upper-case letter is an error giving line, column and character, and suggests lower-casing', () => {
    const text = `${Array.from({ length: 16 }, () => 'emma').join('\n')}\nAnna\n`
    const e = errorOf(parseNames(text, 'names.txt'))
    expect(e).toMatchObject({ kind: 'character', line: 17, column: 1 })
    expect(formatNamesError(e)).toBe(
      `names.txt:17: "Anna" has 'A' at column 1: names must be lowercase letters a-z (lower-case the file first)`,
    )
  })

  it('any other character outside a-z is an error naming it, its line and its column', () => {
    const cases: ReadonlyArray<readonly [string, number, string]> = [
      ['jo-ann', 3, `"jo-ann" has '-' at column 3: names must be lowercase letters a-z`],
      ['r2d2', 2, `"r2d2" has '2' at column 2: names must be lowercase letters a-z`],
      [
        'zoë',
        3,
        `"zoë" has 'ë' at column 3: names must be lowercase letters a-z (spell the name with a-z only, or remove it)`,
      ],
      [
        'anna marie',
        5,
        `"anna marie" has a space at column 5: names must be lowercase letters a-z (put one name on each line, with no spaces inside a name)`,
      ],
      [
        'ann\u200bie',
        4,
        `"ann\u200bie" has the invisible character U+200B at column 4: names must be lowercase letters a-z`,
      ],
    ]
    for (const [name, column, message] of cases) {
      const e = errorOf(parseNames(`emma\n${name}\n`, 'n.txt'))
      expect(e).toMatchObject({ kind: 'character', source: 'n.txt', line: 2, column, message })
    }
  })

  it('the column counts from the start of the line, indentation included', () => {
    expect(errorOf(parseNames('  aNna\n', 'n.txt'))).toMatchObject({ line: 1, column: 4 })
  })

  it('the error reported is the first in file order, at the line of the first bad name', () => {
    fc.assert(
      fc.property(words, words, fc.constantFrom('Bob', 'a.b', 'x-y', '7'), (good, more, bad) => {
        const text = [...good, bad, ...more, 'Zed'].join('\n')
        const e = errorOf(parseNames(text, 'n.txt'))
        expect(e.line).toBe(good.length + 1)
        expect(e.kind).toBe(bad === 'a.b' ? 'dot' : 'character')
      }),
      runs,
    )
  })
})

describe('bad input, said plainly and briefly', () => {
  it("an apostrophe is named, not printed as '''", () => {
    expect(formatNamesError(errorOf(parseNames("emma\no'brien\n", 'n.txt')))).toBe(
      `n.txt:2: "o'brien" has an apostrophe at column 2: names must be lowercase letters a-z`,
    )
  })

  it('a file with no line breaks is quoted by at most 80 of its characters, around the bad one', () => {
    const text = `${'anna '.repeat(400_000)}`
    const message = formatNamesError(errorOf(parseNames(text, 'one-line.txt')))
    expect(message).toBe(
      `one-line.txt:1: "anna anna anna anna anna anna anna anna anna anna anna anna anna anna anna anna "... has a space at column 5: names must be lowercase letters a-z (put one name on each line, with no spaces inside a name)`,
    )
    const far = `${'a'.repeat(5000)}B${'a'.repeat(5000)}`
    const m2 = formatNamesError(errorOf(parseNames(far, 'far.txt')))
    expect(m2).toMatch(/^far\.txt:1: \.\.\."a{40}Ba{39}"\.\.\. has 'B' at column 5001/)
  })

  it('property: an error quotes at most 80 characters of its line, the bad character among them, and gives its line', () => {
    const bad = fc.constantFrom('A', '-', ' ', "'", '.', 'é', '7')
    fc.assert(
      fc.property(words, fc.nat({ max: 300 }), fc.nat({ max: 300 }), bad, (before, left, right, ch) => {
        const line = `${'a'.repeat(left + 1)}${ch}${'b'.repeat(right + 1)}`
        const e = errorOf(parseNames([...before, line].join('\n'), 'n.txt'))
        expect(e.line).toBe(before.length + 1)
        expect(e.column).toBe(left + 2)
        const quoted = /^(?:\.\.\.)?(".*?[^\\]")(?:\.\.\.)? has /.exec(e.message)
        expect(quoted).not.toBeNull()
        const inner = JSON.parse(quoted?.[1] ?? '""') as string
        expect([...inner].length).toBeLessThanOrEqual(QUOTE_LIMIT)
        expect(inner).toContain(ch)
        expect(line).toContain(inner)
      }),
      runs,
    )
  })

  it('a UTF-16 file is named as UTF-16, with or without a byte-order mark', () => {
    const le = Buffer.from('\ufeffemma\nolivia\n', 'utf16le')
    const be = Buffer.from(le).swap16()
    const bare = Buffer.from('emma\nolivia\nava\n', 'utf16le')
    for (const bytes of [le, be]) {
      expect(formatNamesError(errorOf(decodeNames(bytes, 'u.txt')))).toBe(
        'u.txt: the file is UTF-16 text (it starts with a UTF-16 byte-order mark), not UTF-8: save it as UTF-8 text, one name a line',
      )
    }
    expect(errorOf(decodeNames(bare, 'u.txt'))).toMatchObject({ kind: 'encoding' })
    expect(formatNamesError(errorOf(decodeNames(bare, 'u.txt')))).toBe(
      'u.txt: the file looks like UTF-16 text (every other byte is zero), not UTF-8: save it as UTF-8 text, one name a line',
    )
  })

  it('a binary file is named as binary, with the line of its first zero byte; bytes that are not UTF-8 likewise', () => {
    const binary = Uint8Array.from([...Buffer.from('emma\nolivia\nav'), 0, 1, 2, 200, 0, 255])
    expect(formatNamesError(errorOf(decodeNames(binary, 'b.bin')))).toBe(
      'b.bin:3: the file is binary, not text: it has a zero byte at byte 15; a names file is UTF-8 text, one name a line',
    )
    const latin1 = Buffer.from('emma\nzo\xeb\n', 'latin1')
    expect(formatNamesError(errorOf(decodeNames(latin1, 'l.txt')))).toBe(
      'l.txt:2: the file is not UTF-8 text (binary data, or another encoding such as Latin-1): save it as UTF-8 text, one name a line',
    )
  })

  it('a UTF-8 byte-order mark is dropped; UTF-8 text decodes as it is', () => {
    expect(decodeNames(Buffer.from('\ufeffemma\n', 'utf8'), 'x')).toEqual(E.right('emma\n'))
    fc.assert(
      fc.property(fc.string({ minLength: 0, maxLength: 50 }), (text) => {
        if (text.includes('\0') || text.startsWith('\ufeff')) return
        expect(decodeNames(Buffer.from(text, 'utf8'), 'x')).toEqual(E.right(text))
      }),
      runs,
    )
  })

  it('too few names for a batch in each of train, val and test: says how many there are and about how many are needed', () => {
    const e = errorOf(checkSplitSizes('few.txt', 5, { train: 28, val: 6, test: 7 }, 32))
    expect(e.kind).toBe('too-few')
    expect(formatNamesError(e)).toBe(
      'few.txt: too few names: the file has 5 names, which split 80/10/10 give 28 / 6 / 7 train / val / test examples, and each part needs at least one batch of 32; about 36 names of this length are needed',
    )
    expect(formatNamesError(errorOf(checkSplitSizes('one.txt', 1, { train: 0, val: 0, test: 5 }, 32)))).toContain(
      'the file has 1 name, which',
    )
    expect(checkSplitSizes('ok.txt', 50, { train: 320, val: 40, test: 41 }, 32)).toEqual(
      E.right({ train: 320, val: 40, test: 41 }),
    )
  })

  it('property: the names said to be needed are enough when the names are of the average length, and one fewer is not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 12 }), (names, perName) => {
        const split = (n: number) => {
          const n1 = Math.floor(0.8 * n),
            n2 = Math.floor(0.9 * n)
          return { train: n1 * perName, val: (n2 - n1) * perName, test: (n - n2) * perName }
        }
        const r = checkSplitSizes('f', names, split(names), 32)
        const enough = (c: { train: number; val: number; test: number }) => c.train >= 32 && c.val >= 32 && c.test >= 32
        if (E.isRight(r)) {
          expect(enough(split(names))).toBe(true)
          return
        }
        const needed = Number(/about ([\d,]+) names/.exec(r.left.message)?.[1].replace(',', ''))
        expect(needed).toBeGreaterThan(names)
        expect(enough(split(needed))).toBe(true)
        if (needed - 1 > names) expect(enough(split(needed - 1))).toBe(false)
      }),
      runs,
    )
  })
})

describe('readNamesFile: the edge that touches the file system', () => {
  const dir = mkdtempSync(join(tmpdir(), 'names-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('reads and parses a names file', () => {
    const path = join(dir, 'names.txt')
    writeFileSync(path, 'emma\r\nolivia\r\n')
    expect(namesOf(readNamesFile(path))).toEqual(['emma', 'olivia'])
  })

  it('a missing file is an error that gives the path and says there is no such file', () => {
    const path = join(dir, 'missing.txt')
    const e = errorOf(readNamesFile(path))
    expect(e).toMatchObject({ kind: 'unreadable', source: path })
    expect(formatNamesError(e)).toBe(`${path}: cannot read the names file: there is no such file`)
  })

  it('a directory is an error that says so', () => {
    expect(errorOf(readNamesFile(dir))).toMatchObject({
      kind: 'unreadable',
      source: dir,
      message: 'cannot read the names file: it is a directory',
    })
  })

  it('a UTF-16 file read from disk is named as UTF-16', () => {
    const path = join(dir, 'utf16.txt')
    writeFileSync(path, Buffer.from('\ufeffemma\n', 'utf16le'))
    expect(errorOf(readNamesFile(path))).toMatchObject({ kind: 'encoding', source: path })
  })

  it('readNamesOrThrow returns the names, or throws the same one line formatNamesError gives', () => {
    const good = join(dir, 'good.txt')
    writeFileSync(good, 'emma\nolivia\n')
    expect(readNamesOrThrow(good)).toEqual(['emma', 'olivia'])
    const path = join(dir, 'absent.txt')
    expect(() => readNamesOrThrow(path)).toThrow(formatNamesError(errorOf(readNamesFile(path))))
  })

  it('errors inside the file carry its path as their source', () => {
    const path = join(dir, 'bad.txt')
    writeFileSync(path, 'emma\nEmma\n')
    expect(formatNamesError(errorOf(readNamesFile(path)))).toMatch(
      new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: "Emma" has 'E' at column 1`),
    )
  })
})

describe('vocabulary', () => {
  it("has '.' at index 0, then the distinct characters of the corpus in sorted order", () => {
    const v = buildVocabulary(['emma', 'olivia', 'ava'])
    expect(v.itos).toEqual(['.', 'a', 'e', 'i', 'l', 'm', 'o', 'v'])
    expect(v.size).toBe(8)
    fc.assert(
      fc.property(words, (ws) => {
        const voc = buildVocabulary(ws)
        const chars = [...new Set(ws.join(''))].sort()
        expect(voc.itos).toEqual(['.', ...chars])
        expect(voc.size).toBe(chars.length + 1)
      }),
      runs,
    )
  })

  it('stoi is the inverse of itos', () => {
    fc.assert(
      fc.property(words, (ws) => {
        const v = buildVocabulary(ws)
        expect(v.stoi.size).toBe(v.size)
        v.itos.forEach((s, i) => expect(v.stoi.get(s)).toBe(i))
      }),
      runs,
    )
  })

  it('a corpus that uses all of a-z has 27 tokens', () => {
    expect(buildVocabulary(['abcdefghijklm', 'nopqrstuvwxyz']).size).toBe(27)
  })

  it('decode(encode(w)) is w, and decode spells index 0 as "."', () => {
    fc.assert(
      fc.property(words, (ws) => {
        const v = buildVocabulary(ws)
        for (const w of ws) expect(decode(encode(w, v), v)).toBe(w)
      }),
      runs,
    )
    const v = buildVocabulary(['emma'])
    expect(Array.from(encode('emma', v))).toEqual([2, 3, 3, 1])
    expect(decode([2, 3, 3, 1, 0], v)).toBe('emma.')
  })

  it('encoding a character outside the vocabulary, or decoding an index outside it, throws', () => {
    const v = buildVocabulary(['emma'])
    expect(() => encode('emily', v)).toThrow(/not in the vocabulary/)
    expect(() => decode([4], v)).toThrow(/outside the vocabulary/)
  })
})

describe('buildExamples: the context windows of makemore', () => {
  it('for "emma" gives exactly ... -> e, ..e -> m, .em -> m, emm -> a, mma -> .', () => {
    const v = buildVocabulary(['emma'])
    const ex = buildExamples(['emma'], v, 3)
    const show = (i: number): string => `${decode(ex.X.subarray(i * 3, i * 3 + 3), v)} -> ${v.itos[ex.Y[i]]}`
    expect(ex.count).toBe(5)
    expect(Array.from({ length: ex.count }, (_, i) => show(i))).toEqual([
      '... -> e',
      '..e -> m',
      '.em -> m',
      'emm -> a',
      'mma -> .',
    ])
  })

  it('gives sum(len(w) + 1) examples of blockSize indices each', () => {
    fc.assert(
      fc.property(words, fc.integer({ min: 1, max: 6 }), (ws, blockSize) => {
        const ex = buildExamples(ws, buildVocabulary(ws), blockSize)
        const expected = ws.reduce((n, w) => n + w.length + 1, 0)
        expect(ex.count).toBe(expected)
        expect(ex.blockSize).toBe(blockSize)
        expect(ex.X.length).toBe(expected * blockSize)
        expect(ex.Y.length).toBe(expected)
      }),
      runs,
    )
  })

  it('every Y is the character that follows its context in the word (the context being the last blockSize characters of "." padding + word)', () => {
    fc.assert(
      fc.property(words, fc.integer({ min: 1, max: 6 }), (ws, blockSize) => {
        const v = buildVocabulary(ws)
        const ex = buildExamples(ws, v, blockSize)
        let row = 0
        for (const w of ws) {
          const padded = `${'.'.repeat(blockSize) + w}.`
          for (let p = 0; p <= w.length; p++, row++) {
            expect(decode(ex.X.subarray(row * blockSize, (row + 1) * blockSize), v)).toBe(
              padded.slice(p, p + blockSize),
            )
            expect(v.itos[ex.Y[row]]).toBe(padded[p + blockSize])
          }
        }
        expect(row).toBe(ex.count)
      }),
      runs,
    )
  })

  it('rejects a block size that is not a positive integer', () => {
    const v = buildVocabulary(['emma'])
    expect(() => buildExamples(['emma'], v, 0)).toThrow(/blockSize/)
    expect(() => buildExamples(['emma'], v, 2.5)).toThrow(/blockSize/)
  })
})

describe('splitWords: 80/10/10 after a seeded shuffle', () => {
  it('has n1 = floor(0.8 n) train words, floor(0.9 n) - n1 val words, and the rest test', () => {
    fc.assert(
      fc.property(fc.array(word, { maxLength: 200 }), seed, (ws, s) => {
        const { train, val, test } = splitWords(ws, s)
        const n = ws.length,
          n1 = Math.floor(0.8 * n),
          n2 = Math.floor(0.9 * n)
        expect([train.length, val.length, test.length]).toEqual([n1, n2 - n1, n - n2])
      }),
      runs,
    )
    const { train, val, test } = splitWords(
      Array.from({ length: 32033 }, (_, i) => `w${i}`),
      42,
    )
    expect([train.length, val.length, test.length]).toEqual([25626, 3203, 3204])
  })

  it('is a partition of the input: no word lost or duplicated', () => {
    fc.assert(
      fc.property(fc.array(word, { maxLength: 200 }), seed, (ws, s) => {
        const { train, val, test } = splitWords(ws, s)
        expect([...train, ...val, ...test].sort()).toEqual([...ws].sort())
      }),
      runs,
    )
  })

  it('is the same for the same seed and different for another seed, and leaves its input as it was', () => {
    const distinct = fc.uniqueArray(word, { minLength: 20, maxLength: 60 })
    fc.assert(
      fc.property(distinct, seed, (ws, s) => {
        const copy = [...ws]
        expect(splitWords(ws, s)).toEqual(splitWords(ws, s))
        expect(splitWords(ws, s)).not.toEqual(splitWords(ws, s + 1))
        expect(ws).toEqual(copy)
      }),
      runs,
    )
  })
})

describe('sampleBatch: a minibatch drawn with replacement', () => {
  const examplesOf = (ws: readonly string[], blockSize: number): Examples =>
    buildExamples(ws, buildVocabulary(ws), blockSize)

  it('is the same for the same generator state', () => {
    fc.assert(
      fc.property(words, seed, fc.integer({ min: 1, max: 40 }), (ws, s, size) => {
        const ex = examplesOf(ws, 3)
        const [a, nextA] = sampleBatch(ex, size)(seedRng(s))
        const [b, nextB] = sampleBatch(ex, size)(seedRng(s))
        expect(Array.from(a.X)).toEqual(Array.from(b.X))
        expect(Array.from(a.Y)).toEqual(Array.from(b.Y))
        expect(nextA).toEqual(nextB)
      }),
      runs,
    )
  })

  it('has batchSize rows, each a row (context and target) of the examples', () => {
    fc.assert(
      fc.property(
        words,
        seed,
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 5 }),
        (ws, s, size, blockSize) => {
          const ex = examplesOf(ws, blockSize)
          const rows = new Set(Array.from({ length: ex.count }, (_, i) => rowOf(ex.X, ex.Y, blockSize, i).join(',')))
          const [batch] = sampleBatch(ex, size)(seedRng(s))
          expect(batch.size).toBe(size)
          expect(batch.X.length).toBe(size * blockSize)
          expect(batch.Y.length).toBe(size)
          for (let b = 0; b < size; b++) expect(rows.has(rowOf(batch.X, batch.Y, blockSize, b).join(','))).toBe(true)
        },
      ),
      runs,
    )
  })

  it('examples held in bytes (a shared Uint8Array) hold the same indices and give the same batches', () => {
    fc.assert(
      fc.property(words, seed, fc.integer({ min: 1, max: 40 }), (ws, s, size) => {
        const vocab = buildVocabulary(ws)
        const wide = buildExamples(ws, vocab, 3)
        const bytes = buildExamples(ws, vocab, 3, (n) => new Uint8Array(new SharedArrayBuffer(n)))
        expect(bytes.X).toBeInstanceOf(Uint8Array)
        expect([...bytes.X]).toEqual([...wide.X])
        expect([...bytes.Y]).toEqual([...wide.Y])
        expect(sampleBatch(bytes, size)(seedRng(s))).toEqual(sampleBatch(wide, size)(seedRng(s)))
      }),
      runs,
    )
  })

  it('takes the rows at the indices of one randint(0, count, batchSize) draw, and leaves the generator where that draw does', () => {
    fc.assert(
      fc.property(words, seed, fc.integer({ min: 1, max: 40 }), (ws, s, size) => {
        const ex = examplesOf(ws, 3)
        const [ix, afterDraw] = randint(0, ex.count, size)(seedRng(s))
        const [batch, next] = sampleBatch(ex, size)(seedRng(s))
        expect(next).toEqual(afterDraw)
        for (let b = 0; b < size; b++) expect(rowOf(batch.X, batch.Y, 3, b)).toEqual(rowOf(ex.X, ex.Y, 3, ix[b]))
      }),
      runs,
    )
  })

  it('refuses to sample from no examples', () => {
    const none = buildExamples([], buildVocabulary([]), 3)
    expect(() => sampleBatch(none, 4)).toThrow(/no examples/)
  })
})

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import { buildExamples, buildVocabulary, formatNamesError, parseNames } from '../lib/model/data.ts'
import { deriveNames, deriveNamesFileText, NAMES_PATH, namesFileText, readPackageNames } from './derive-names.ts'

const committed = readFileSync(NAMES_PATH, 'utf8')
const names = committed.split('\n').slice(0, -1)

describe('deriveNames: the rule that turns the two lists into the corpus', () => {
  it('lower-cases, drops names that are not letters a-z entirely, de-duplicates across lists and sorts', () => {
    expect(deriveNames(['Zoe', 'Ann-Marie', 'Ann', 'ann', 'Dee Dee', 'Zoë'], ['Aaron', 'Ann', 'Ab'])).toEqual([
      'aaron',
      'ab',
      'ann',
      'zoe',
    ])
  })

  it('writes one name a line, each followed by a newline', () => {
    expect(namesFileText(['ab', 'ann'])).toBe('ab\nann\n')
  })
})

describe('data/names.txt: the default corpus', () => {
  it('is byte for byte what data/derive-names.ts derives from the installed @stdlib packages', () => {
    const { female, male } = readPackageNames()
    expect(female.length).toBe(4951)
    expect(male.length).toBe(3898)
    expect(committed === deriveNamesFileText()).toBe(true)
  })

  it('holds 8,403 names, one a line, ending with a newline', () => {
    expect(committed.endsWith('\n')).toBe(true)
    expect(names.length).toBe(8403)
  })

  it('every name is lowercase letters a-z only, and no name appears twice', () => {
    expect(names.every((n) => /^[a-z]+$/.test(n))).toBe(true)
    expect(new Set(names).size).toBe(names.length)
  })

  it('is in sorted (code-unit, here alphabetical) order', () => {
    const outOfOrder = names.findIndex((n, i) => i > 0 && !(names[i - 1] < n))
    expect(outOfOrder).toBe(-1)
  })

  it('parses with parseNames, uses all 26 letters (27 tokens with ".") and gives sum(len + 1) examples', () => {
    const parsed = parseNames(committed, 'data/names.txt')
    if (E.isLeft(parsed)) throw new Error(formatNamesError(parsed.left))
    expect(parsed.right).toEqual(names)
    const vocab = buildVocabulary(parsed.right)
    expect(vocab.size).toBe(27)
    expect(buildExamples(parsed.right, vocab, 3).count).toBe(58955)
  })
})

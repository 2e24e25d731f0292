import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXIT, exitMeanings, kataLocation, loadProblem } from './errors.ts'

describe('errors and exit codes', () => {
  it("the README's table lists every exit code of the kata tools with its meaning, and no other", () => {
    const readme = readFileSync(resolve(import.meta.dirname, '..', '..', 'README.md'), 'utf8')
    const rows = [...readme.matchAll(/^\| (\d) +\| (.+?) +\|$/gm)].map((m) => [Number(m[1]), m[2]] as const)
    expect(Object.fromEntries(rows)).toEqual(exitMeanings)
    expect(Object.keys(exitMeanings).map(Number).sort()).toEqual(Object.values(EXIT).sort())
  })
  it('a syntax error shows its message and file:line:column', () => {
    const vite =
      'Transform failed with 1 error:\n/work/x/katas/07-training/kata.ts:95:140: ERROR: Expected "}" but found end of file'
    expect(loadProblem(vite)).toBe(
      '/work/x/katas/07-training/kata.ts:95:140: ERROR: Expected "}" but found end of file',
    )
    expect(loadProblem('ReferenceError: foo is not defined\n    at /work/x/katas/01-initial-loss/kata.ts:3:1')).toBe(
      'katas/01-initial-loss/kata.ts:3:1: ReferenceError: foo is not defined',
    )
    expect(kataLocation('at file:///a/b/katas/02-saturation/kata.ts:12:5)')).toBe(
      'a/b/katas/02-saturation/kata.ts:12:5',
    )
  })
})

import { describe, expect, it } from 'vitest'
import { mkdtempSync, readdirSync, readFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeFileAtomic } from './files.ts'

describe('atomic writes', () => {
  it('write the whole content, create the folder and leave no temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'files-'))
    writeFileAtomic(join(dir, 'a', 'b.txt'), 'hello')
    expect(readFileSync(join(dir, 'a', 'b.txt'), 'utf8')).toBe('hello')
    expect(readdirSync(join(dir, 'a'))).toEqual(['b.txt'])
  })
  it('leave nothing behind when the write fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'files-'))
    mkdirSync(join(dir, 'taken'))
    expect(() => writeFileAtomic(join(dir, 'taken'), 'x')).toThrow()
    expect(readdirSync(dir)).toEqual(['taken'])
  })
})

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { projectDiagnostics } from './typecheck.ts'

describe("npm test's type check", () => {
  // a small project: lib/a.ts, lib/b.ts that calls a's function, and a learner's kata with a type error
  const root = mkdtempSync(join(tmpdir(), 'typecheck-'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))
  const write = (file: string, text: string) => {
    mkdirSync(join(root, file, '..'), { recursive: true })
    writeFileSync(join(root, file), text)
  }
  write(
    'tsconfig.json',
    JSON.stringify({
      compilerOptions: { noLib: true, types: [], strict: true, noEmit: true },
      include: ['lib', 'katas'],
    }),
  )
  // the global types the compiler cannot do without, empty: a standard library takes longer to check than this project
  write(
    'lib/globals.d.ts',
    [
      'Array<T>',
      'Boolean',
      'Function',
      'CallableFunction',
      'NewableFunction',
      'IArguments',
      'Number',
      'Object',
      'RegExp',
      'String',
    ]
      .map((t) => `interface ${t} {}\n`)
      .join(''),
  )
  write('katas/01-initial-loss/kata.ts', "export const learners: number = 'not yet'\n")
  const a = (parameters: string) => write('lib/a.ts', `export const twice = (${parameters}): number => 2 * n\n`)
  a('n: number')
  write('lib/b.ts', "import { twice } from './a'\nexport const four: number = twice(2)\n")
  const buildInfo = join(root, 'cache', 'check.tsbuildinfo')

  it('incremental or not, it finds the same errors: none, then the one a changed import makes in an unchanged file, then none', () => {
    expect(projectDiagnostics(root, buildInfo)).toEqual([])
    // a changes; b does not, but b's call no longer fits: the cache must not answer for b
    a('n: number, times: number')
    const broken = projectDiagnostics(root, buildInfo)
    expect(broken).toEqual([
      expect.stringMatching(/^lib\/b\.ts\(2,29\): error TS2554: Expected 2 arguments, but got 1/),
    ])
    expect(projectDiagnostics(root)).toEqual(broken)
    a('n: number')
    expect(projectDiagnostics(root, buildInfo)).toEqual([])
  })
})

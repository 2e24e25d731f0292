import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { listKatas } from './catalogue.ts'
import { kataTypeChecker, projectDiagnostics } from './typecheck.ts'

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

describe("the learner's type check", () => {
  // a checkout of the course whose katas/ the test writes: lib/ and solutions/ are the project's own
  const project = resolve(import.meta.dirname, '..', '..')
  const root = mkdtempSync(join(tmpdir(), 'learner-types-'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))
  for (const dir of ['lib', 'solutions', 'node_modules']) symlinkSync(join(project, dir), join(root, dir))
  copyFileSync(join(project, 'tsconfig.json'), join(root, 'tsconfig.json'))
  const katas = listKatas(project)
  for (const kata of katas) cpSync(join(project, 'katas', kata), join(root, 'katas', kata), { recursive: true })
  const kataFile = (kata: string) => join(root, 'katas', kata, 'kata.ts')
  const stub = (kata: string) => readFileSync(join(project, 'katas', kata, 'kata.ts'), 'utf8')
  const reference = (kata: string) => readFileSync(join(project, 'solutions', kata, 'kata.ts'), 'utf8')
  const check = kataTypeChecker(root)

  it('finds no error in a stub whose suggested imports are uncommented, nor in a reference answer copied in, nor in one that imports itself', () => {
    for (const kata of katas) writeFileSync(kataFile(kata), stub(kata).replace(/^\/\/ (import .*)$/gm, '$1'))
    expect(stub('11-write-the-laws')).toMatch(/^\/\/ import fc from 'fast-check'$/m)
    expect([...check(katas)]).toEqual([])
    for (const kata of katas) writeFileSync(kataFile(kata), reference(kata))
    writeFileSync(
      kataFile('05-modules'),
      `import * as me from './kata.ts'\n${reference('05-modules')}\nexport const again = me.linear\n`,
    )
    expect([...check(katas)]).toEqual([])
  })

  it("reports the learner's own error, a changed signature against types.ts, a missing function and an empty file, where the learner wrote them", () => {
    writeFileSync(kataFile('01-initial-loss'), `${reference('01-initial-loss')}\nconst oops: number = 'one'\n`)
    writeFileSync(
      kataFile('02-saturation'),
      reference('02-saturation').replace(
        /^export const tanhLocalGradient: Kata\['tanhLocalGradient'\] = \(t\) =>/m,
        'export const tanhLocalGradient = (t: Tensor, scale: number): Tensor =>',
      ),
    )
    writeFileSync(kataFile('03-kaiming'), reference('03-kaiming').replace(/^export const gain:/m, 'const gain:'))
    writeFileSync(kataFile('04-batchnorm'), '')
    rmSync(kataFile('06-instruments'))
    const found = check(katas)
    const line = (kata: string, pattern: RegExp) =>
      readFileSync(kataFile(kata), 'utf8')
        .split('\n')
        .findIndex((l) => pattern.test(l)) + 1
    expect(found.get('01-initial-loss')).toEqual({
      file: 'katas/01-initial-loss/kata.ts',
      line: line('01-initial-loss', /^const oops/),
      column: 7,
      message: "Type 'string' is not assignable to type 'number'.",
    })
    expect(found.get('02-saturation')).toMatchObject({
      file: 'katas/02-saturation/kata.ts',
      line: line('02-saturation', /^export const tanhLocalGradient/),
      message: expect.stringMatching(
        /^tanhLocalGradient does not have the type katas\/02-saturation\/types\.ts gives it: Type '\(t: Tensor, scale: number\) => Tensor' is not assignable/,
      ),
    })
    expect(found.get('03-kaiming')?.message).toBe('gain is missing: katas/03-kaiming/types.ts says kata.ts exports it')
    expect(found.get('04-batchnorm')?.message).toMatch(/exports none of the kata's functions \(it is not a module\)/)
    // a deleted kata.ts has no type error: its tests say what is missing; the others' files are fine
    expect([...found.keys()].sort()).toEqual(['01-initial-loss', '02-saturation', '03-kaiming', '04-batchnorm'])
  })
})

import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { stripAnsi } from '../course/errors.ts'

const project = resolve(import.meta.dirname, '..', '..')

describe('npm test, whatever state the learner’s katas are in', () => {
  // a copy of the project, its node_modules linked package by package (the type check's cache stays in the copy)
  const root = mkdtempSync(join(tmpdir(), 'npm-test-'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))
  for (const dir of ['lib', 'katas', 'solutions', 'bench', 'data', 'e2e'])
    cpSync(join(project, dir), join(root, dir), { recursive: true })
  for (const file of ['tsconfig.json', 'vitest.config.ts', 'package.json'])
    cpSync(join(project, file), join(root, file))
  mkdirSync(join(root, 'node_modules'))
  for (const entry of readdirSync(join(project, 'node_modules')))
    if (entry !== '.cache') symlinkSync(join(project, 'node_modules', entry), join(root, 'node_modules', entry))
  const kataFile = (kata: string) => join(root, 'katas', kata, 'kata.ts')
  const reference = (kata: string) => readFileSync(join(project, 'solutions', kata, 'kata.ts'), 'utf8')

  it('passes with a type error, a changed signature, a copy of the reference, an import of itself, an empty file and a deleted one', () => {
    writeFileSync(kataFile('01-initial-loss'), `${reference('01-initial-loss')}\nconst oops: number = 'one'\n`)
    writeFileSync(
      kataFile('02-saturation'),
      reference('02-saturation').replace(
        /^export const tanhLocalGradient: Kata\['tanhLocalGradient'\] = \(t\) =>/m,
        'export const tanhLocalGradient = (t: Tensor, scale: number): Tensor =>',
      ),
    )
    writeFileSync(kataFile('03-kaiming'), reference('03-kaiming'))
    writeFileSync(
      kataFile('04-batchnorm'),
      `import * as me from './kata.ts'\nexport const again = me.batchStatistics\n`,
    )
    writeFileSync(kataFile('05-modules'), '')
    rmSync(kataFile('06-instruments'))
    const katas = ['01-initial-loss', '02-saturation', '03-kaiming', '04-batchnorm', '05-modules', '06-instruments']
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'lib/cli/test.ts', ...katas.map((k) => `katas/${k}/`), '--reporter=dot'],
      { cwd: root, encoding: 'utf8', timeout: 280_000, env: { ...process.env, KATA_TARGET: undefined } },
    )
    const output = stripAnsi(`${r.stdout}${r.stderr}`)
    expect(output).toMatch(/type check: no errors/)
    expect(output).toMatch(/Test Files\s+6 passed \(6\)/)
    expect(r.status, output).toBe(0)
    // a whole type check of the copy, cold, beside the rest of npm test on a busy machine
  }, 300_000)
})

/**
 * Each kata tool's flags, three ways: what its parser accepts, what its usage (`--help`) lists, and
 * what the README's table of commands says of it. A flag added to one and not the others fails here.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { listKatas } from '../course/catalogue.ts'
import { projectRoot as root } from '../course/session.ts'
import { checkUsage, parseKataArgs } from './check.ts'
import { gradeUsage, parseGradeArgs } from './grade.ts'
import { hintUsage, parseHintArgs } from './hint.ts'
import { parseReportArgs, reportUsage } from './report.ts'
import { watchUsage } from './watch.ts'

const katas = listKatas(root)

/** Whether a tool's parser takes these arguments (no usage error). */
type Accepts = (argv: readonly string[]) => boolean

const tools: Record<string, { readonly usage: string; readonly accepts: Accepts }> = {
  watch: { usage: watchUsage, accepts: (argv) => parseKataArgs(argv, katas).kind !== 'error' },
  check: { usage: checkUsage, accepts: (argv) => parseKataArgs(argv, katas).kind !== 'error' },
  grade: { usage: gradeUsage, accepts: (argv) => E.isRight(parseGradeArgs(argv, katas)) },
  hint: { usage: hintUsage, accepts: (argv) => E.isRight(parseHintArgs(argv, katas)) },
  report: { usage: reportUsage, accepts: (argv) => E.isRight(parseReportArgs(argv, katas)) },
}

/** The flags a text names, without --help (every tool takes it), each with the VALUE it takes, if any. */
const flagsOf = (text: string): Map<string, string | undefined> =>
  new Map(
    [...text.matchAll(/(?<![\w-])(--[a-z][a-z-]*)(?: ([A-Z]+)\b)?/g)]
      .filter((m) => m[1] !== '--help')
      .map((m) => [m[1], m[2]] as const),
  )

/** The README's row of the table of commands for `npm run tool`. */
const readmeRow = (tool: string): string =>
  readFileSync(join(root, 'README.md'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`| \`npm run ${tool}`)) ?? ''

describe.each(Object.keys(tools))('npm run %s', (tool) => {
  const { usage, accepts } = tools[tool]
  it('accepts every flag its usage lists, and refuses one it does not', () => {
    for (const [flag, value] of flagsOf(usage))
      expect(accepts(['01', flag, ...(value === undefined ? [] : ['x'])]), `${tool} ${flag}`).toBe(true)
    expect(accepts(['01', '--no-such-flag'])).toBe(false)
    expect(accepts(['--help'])).toBe(true)
    expect(usage, `${tool}'s usage lists --help`).toMatch(/--help/)
  })

  it("the README's table of commands names the same flags as its usage", () => {
    const row = readmeRow(tool)
    expect(row, `README.md has a row for npm run ${tool}`).not.toBe('')
    expect([...flagsOf(row).keys()].sort()).toEqual([...flagsOf(usage).keys()].sort())
  })
})

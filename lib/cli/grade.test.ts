import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import { kataNames, kataNumber, resolveKata, stubbedFunctions } from '../course/catalogue.ts'
import { loadProblem } from '../course/errors.ts'
import {
  formatScoreboard,
  scoreboard,
  scoreboardJson,
  scoreKata,
  type CheckOutcome,
  type KataRun,
} from '../course/score.ts'
import { parseGradeArgs } from './grade.ts'

const repoRoot = resolve(import.meta.dirname, '..', '..')
const katas = ['01-initial-loss', '02-saturation', '03-kaiming', '10-extra']

const notImplemented = (kata: string, fn: string): CheckOutcome => ({
  name: `${fn} works`,
  state: 'failed',
  messages: [
    `Property failed after 1 tests\n{ seed: 1 }`,
    `not implemented yet: ${kata} ${fn} (open katas/${kata}/README.md, or run npm run hint -- ${kataNumber(kata)})`,
  ],
})
const passed = (name: string): CheckOutcome => ({ name, state: 'passed', messages: [] })
const failed = (name: string, message: string): CheckOutcome => ({ name, state: 'failed', messages: [message] })

const run = (kata: string, checks: CheckOutcome[], extra: Partial<KataRun> = {}): KataRun => ({
  kata,
  checks,
  loadErrors: [],
  ...extra,
})

describe('scoring one kata', () => {
  it('a kata whose every check fails on "not implemented yet" is not started, with its missing functions', () => {
    const s = scoreKata(
      run('01-initial-loss', [
        notImplemented('01-initial-loss', 'softmax'),
        notImplemented('01-initial-loss', 'crossEntropy'),
      ]),
    )
    expect(s).toMatchObject({ passed: 0, total: 2, status: 'not started', missing: ['softmax', 'crossEntropy'] })
  })
  it("one passing check, or one real failure, makes it in progress; the first failure is named with its assertion, not fast-check's preamble", () => {
    const a = scoreKata(run('01-initial-loss', [passed('a'), notImplemented('01-initial-loss', 'softmax')]))
    expect(a).toMatchObject({
      passed: 1,
      total: 2,
      status: 'in progress',
      firstFailing: { name: 'softmax works', message: 'softmax is not implemented yet' },
    })
    const b = scoreKata(
      run('01-initial-loss', [
        {
          name: 'softmax sums to 1',
          state: 'failed',
          messages: [
            'Property failed after 3 tests\n{ seed: 42 }\nCounterexample: [1]',
            'softmax rows sum to 1: expected 2 to be close to 1',
          ],
        },
        notImplemented('01-initial-loss', 'crossEntropy'),
      ]),
    )
    expect(b.status).toBe('in progress')
    expect(b.firstFailing).toEqual({
      name: 'softmax sums to 1',
      message: 'softmax rows sum to 1: expected 2 to be close to 1',
    })
  })
  it('every check passing is done; skipped checks are not graded', () => {
    expect(
      scoreKata(run('02-saturation', [passed('a'), passed('b'), { name: 'c', state: 'skipped', messages: [] }])),
    ).toMatchObject({ passed: 2, total: 2, status: 'done' })
  })
  it("a test file that does not load is in progress with the compiler's reason in one line, and counts the checks it would have run", () => {
    const compiler =
      'Transform failed with 1 error:\n\n\u001b[31m[PARSE_ERROR] \u001b[0mExpected `}` but found `EOF`\n    ╭─[ katas/03-kaiming/kata.ts:95:140 ]\n    │\n 62 │ export const f = ...'
    const s = scoreKata(run('03-kaiming', [], { loadErrors: [compiler], expectedChecks: 9 }))
    expect(s).toMatchObject({ passed: 0, total: 9, status: 'in progress' })
    expect(s.problem).toBe(
      'the tests do not load: katas/03-kaiming/kata.ts:95:140: [PARSE_ERROR] Expected `}` but found `EOF`',
    )
  })
  it('a stub called while the test file loads still means not started, never a crash', () => {
    const s = scoreKata(
      run('03-kaiming', [], {
        loadErrors: [
          'not implemented yet: 03-kaiming kaimingStd (open katas/03-kaiming/README.md, or run npm run hint -- 03)',
        ],
        expectedChecks: 4,
      }),
    )
    expect(s).toMatchObject({ status: 'not started', total: 4, missing: ['kaimingStd'] })
  })
  it('the functions still stubbed in the source, when known, are the missing ones', () => {
    const s = scoreKata(
      run('01-initial-loss', [notImplemented('01-initial-loss', 'softmax')], { stubbed: ['softmax', 'initMlp'] }),
    )
    expect(s.missing).toEqual(['softmax', 'initMlp'])
  })
})

describe('the scoreboard', () => {
  const runs = [
    run('01-initial-loss', [passed('a'), passed('b')]),
    run('02-saturation', [
      passed('a'),
      failed('b', 'tanh saturates: expected 0.2 to be greater than 0.5\n    at kata.test.ts:10:5'),
    ]),
    run('03-kaiming', [notImplemented('03-kaiming', 'kaimingStd')]),
  ]
  it('adds up the points and picks the first kata not done as the next one', () => {
    const board = scoreboard(runs)
    expect(board).toMatchObject({ passed: 3, total: 5 })
    expect(board.next?.kata).toBe('02-saturation')
    expect(board.katas.map((k) => k.status)).toEqual(['done', 'in progress', 'not started'])
  })
  it('reads as a table with the next step, the failing check and the hint command (no stack trace)', () => {
    const text = formatScoreboard(scoreboard(runs))
    expect(text).toMatch(/01-initial-loss\s+█+\s+2\/2\s+done/)
    expect(text).toMatch(/02-saturation\s+█+░+\s+1\/2\s+in progress/)
    expect(text).toMatch(/03-kaiming\s+░+\s+0\/1\s+not started/)
    expect(text).toContain('total')
    expect(text).toContain('Next: carry on with 02-saturation: 1 check to go.')
    expect(text).toContain('tanh saturates: expected 0.2 to be greater than 0.5')
    expect(text).not.toContain('at kata.test.ts')
    expect(text).toContain('npm run hint -- 02')
  })
  it('says where to start when the next kata is not started, and that all is done at the end', () => {
    expect(formatScoreboard(scoreboard([runs[0], runs[2]]))).toContain(
      'Next: 03-kaiming. Start with katas/03-kaiming/README.md',
    )
    expect(formatScoreboard(scoreboard([runs[0]]))).toContain('Every kata is done.')
    // graded on its own (npm run grade -- 01), a done kata is not the whole course
    const alone = formatScoreboard(scoreboard([runs[0]]), { courseSize: 8 })
    expect(alone).not.toContain('Every kata')
    expect(alone).toContain(
      'Kata 01 is done. `npm run report -- 01` draws its page from your own code; `npm run grade` scores every kata.',
    )
  })
  it('--json is one JSON object with every kata, the totals and the next kata', () => {
    const json = scoreboardJson(scoreboard(runs))
    expect(json.split('\n').length).toBe(1)
    const o = JSON.parse(json)
    expect(o).toMatchObject({ passed: 3, total: 5, next: '02-saturation' })
    expect(o.katas[2]).toEqual({
      kata: '03-kaiming',
      passed: 0,
      total: 1,
      status: 'not started',
      missing: ['kaimingStd'],
      firstFailing: { name: 'kaimingStd works', message: 'kaimingStd is not implemented yet' },
    })
  })
})

describe('katas and flags', () => {
  it('finds kata directories and resolves "3", "03", "03-kaiming" and unambiguous prefixes', () => {
    expect(kataNames(['README.md', '02-saturation', '01-initial-loss', 'x-y', '1-no'])).toEqual([
      '01-initial-loss',
      '02-saturation',
    ])
    for (const a of ['3', '03', '03-kaiming', '03-k']) expect(resolveKata(katas, a)).toBe('03-kaiming')
    expect(resolveKata(katas, '0')).toBeUndefined()
    expect(resolveKata(katas, '09')).toBeUndefined()
    expect(resolveKata(katas, '10')).toBe('10-extra')
  })
  it('parses --json and kata filters; a bad flag or an unknown kata is a usage error naming the katas', () => {
    expect(parseGradeArgs([], katas)).toEqual(E.right({ kind: 'run', options: { json: false, katas } }))
    expect(parseGradeArgs(['--json', '3', '01'], katas)).toEqual(
      E.right({ kind: 'run', options: { json: true, katas: ['01-initial-loss', '03-kaiming'] } }),
    )
    expect(parseGradeArgs(['--help'], katas)).toEqual(E.right({ kind: 'help' }))
    expect(parseGradeArgs(['--jsn'], katas)).toEqual(E.left("unknown option '--jsn'"))
    const unknown = parseGradeArgs(['42'], katas)
    expect(E.isLeft(unknown) && unknown.left).toContain("no kata '42'; the katas are:\n  01-initial-loss")
  })
  it('lists the functions of a kata.ts that are still stubs, ignoring comments', () => {
    const source = [
      "/** `notImplemented(KATA, 'inDoc')` */",
      "export const a = (x: number): number => notImplemented(KATA, 'a')",
      'export const b = (x: number): number => x + 1',
      "// export const c = () => notImplemented(KATA, 'c')",
      "export const d = (): never =>\n  notImplemented(KATA, 'd')",
    ].join('\n')
    expect(stubbedFunctions(source)).toEqual(['a', 'd'])
  })
  it('turns a runtime load error into its first line', () => {
    expect(loadProblem('ReferenceError: foo is not defined\n    at katas/01-initial-loss/kata.ts:3:1')).toBe(
      'katas/01-initial-loss/kata.ts:3:1: ReferenceError: foo is not defined',
    )
  })
})

describe('a type error, and learner code that never returns', () => {
  it('a kata whose checks all pass is not done while it has a type error; a stalled kata is marked and the others still scored', () => {
    const typed = scoreKata(
      run('01-initial-loss', [passed('a')], { typeError: 'katas/01-initial-loss/kata.ts:3:7: boom' }),
    )
    expect(typed).toMatchObject({ status: 'in progress', typeError: 'katas/01-initial-loss/kata.ts:3:7: boom' })
    expect(typed.problem).toContain('type error: katas/01-initial-loss/kata.ts:3:7')
    const board = scoreboard([
      run('01-initial-loss', [passed('a')]),
      run('02-saturation', [], { stalled: true, expectedChecks: 4 }),
      run('03-kaiming', [passed('b')]),
    ])
    const text = formatScoreboard(board)
    expect(text).toMatch(/01-initial-loss .* 1\/1 +done/)
    expect(text).toMatch(/02-saturation .* ⚠ in progress +\(stopped: katas\/02-saturation\/kata.ts never returned/)
    expect(text).toMatch(/03-kaiming .* 1\/1 +done/)
    expect(JSON.parse(scoreboardJson(board)).katas[1]).toMatchObject({ kata: '02-saturation', stalled: true })
  })
  it('grade stops a kata stuck in a loop, prints the board of the others (one JSON document with --json) and exits 5', () => {
    // a checkout with one kata whose function loops forever and one that is fine
    const dir = `${mkdtempSync(join(repoRoot, 'grade-stall-'))}.tmp`
    renameSync(dir.slice(0, -'.tmp'.length), dir)
    try {
      const kata = (name: string, body: string) => {
        mkdirSync(join(dir, 'katas', name), { recursive: true })
        writeFileSync(join(dir, 'katas', name, 'kata.ts'), `export const f = (x: number): number => { ${body} }\n`)
        writeFileSync(
          join(dir, 'katas', name, 'kata.test.ts'),
          "import { expect, it } from 'vitest'\nimport { f } from './kata.ts'\nit('f', () => expect(f(1)).toBe(1))\n",
        )
      }
      kata('01-fine', 'return x')
      kata('02-loop', 'while (x > 0) x = x + 1 - 1; return x')
      const script = `import { runLearnerKatas } from ${JSON.stringify(join(repoRoot, 'lib/course/session.ts'))}
        import { scoreboard, scoreboardJson } from ${JSON.stringify(join(repoRoot, 'lib/course/score.ts'))}
        const { runs, stalled } = await runLearnerKatas(['01-fine', '02-loop'], { stallSeconds: 5, dir: ${JSON.stringify(dir)} })
        console.log(JSON.stringify(stalled))
        console.log(scoreboardJson(scoreboard(runs)))
        process.exit(stalled.length > 0 ? 5 : 0)`
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: 60_000,
      })
      expect(r.status, r.stderr).toBe(5)
      const [stalled, json] = r.stdout.trim().split('\n')
      expect(JSON.parse(stalled)).toEqual(['02-loop'])
      const board = JSON.parse(json)
      expect(board.katas[0]).toMatchObject({ kata: '01-fine', passed: 1, total: 1, status: 'done' })
      expect(board.katas[1]).toMatchObject({ kata: '02-loop', stalled: true })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})

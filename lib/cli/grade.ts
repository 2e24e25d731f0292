/**
 * `npm run grade`: the learner's scoreboard. Runs every kata's tests against the learner's own
 * files (katas/NN-topic/kata.ts, KATA_TARGET=learner) and shows, per kata, the checks passed out
 * of the total and whether it is not started, in progress or done, then the kata to do next.
 *
 * Usage: npm run grade [-- [--json] [01 03-kaiming ...]]
 *
 * The scoring (which status a run means, what comes next, how it reads) is pure and tested in
 * grade.test.ts; running vitest and printing sit at the end.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import * as E from 'fp-ts/Either'
import type { Either } from 'fp-ts/Either'

// ---------------------------------------------------------------------------------------------
// Katas: which there are, and which one a command-line argument names

/** Kata directory names among `entries`, in order: NN-topic. */
export const kataNames = (entries: readonly string[]): string[] =>
  entries.filter((e) => /^\d\d-[a-z0-9-]+$/.test(e)).sort()

/** The katas of a checkout, from its katas/ directory. */
export const listKatas = (root: string): string[] => {
  const dir = join(root, 'katas')
  if (!existsSync(dir)) return []
  return kataNames(readdirSync(dir).filter((e) => statSync(join(dir, e)).isDirectory()))
}

/** The kata an argument names: "3", "03", "03-kaiming" (or any unambiguous prefix of it). */
export const resolveKata = (katas: readonly string[], arg: string): string | undefined => {
  const a = arg.trim().toLowerCase()
  const number = /^\d{1,2}$/.test(a) ? a.padStart(2, '0') : undefined
  if (number !== undefined) return katas.find((k) => k.startsWith(`${number}-`))
  const exact = katas.find((k) => k === a)
  if (exact !== undefined) return exact
  const prefixed = katas.filter((k) => k.startsWith(a))
  return prefixed.length === 1 ? prefixed[0] : undefined
}

/** "the katas are 01-initial-loss, 02-saturation, ...": the list an unknown-kata message ends with. */
export const describeKatas = (katas: readonly string[]): string =>
  katas.length === 0 ? 'there are no katas in katas/' : `the katas are:\n${katas.map((k) => `  ${k}`).join('\n')}`

// ---------------------------------------------------------------------------------------------
// What a run of one kata's tests gives

export type CheckState = 'passed' | 'failed' | 'skipped' | 'pending'

/** One graded check (a vitest test) as it ran against the learner's file. */
export interface CheckOutcome {
  readonly name: string
  readonly state: CheckState
  /** Failure messages, each error's causes included (fast-check puts the assertion in a cause). */
  readonly messages: readonly string[]
}

export interface KataRun {
  readonly kata: string
  readonly checks: readonly CheckOutcome[]
  /** Errors that stopped the test file from loading (a syntax error in kata.ts, say). */
  readonly loadErrors: readonly string[]
  /** How many checks the kata has, when the file did not load and so ran none. */
  readonly expectedChecks?: number
  /** Functions of the learner's kata.ts whose body is still the stub's `notImplemented(...)`, when known. */
  readonly stubbed?: readonly string[]
}

export type Status = 'not started' | 'in progress' | 'done'

export interface KataScore {
  readonly kata: string
  readonly passed: number
  readonly total: number
  readonly status: Status
  /** Functions the tests found still unwritten (their stubs threw "not implemented yet"). */
  readonly missing: readonly string[]
  /** The first check that fails and the first line of why, for the next step. */
  readonly firstFailing?: { readonly name: string; readonly message: string }
  /** Why the tests could not run at all, in one line. */
  readonly problem?: string
}

export interface Scoreboard {
  readonly katas: readonly KataScore[]
  readonly passed: number
  readonly total: number
  /** The first kata not done yet; undefined when all are. */
  readonly next?: KataScore
}

const NOT_IMPLEMENTED = /not implemented yet: (\d\d-[a-z0-9-]+) ([A-Za-z_$][\w$]*)/

/** The first line of a message that says something (no blank lines, no stack). */
export const firstLine = (text: string): string =>
  text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('at ')) ?? ''

/** Terminal colour codes, which compilers put in their messages. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the colour codes this strips
export const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '')

/**
 * Why a test file did not load, in one line: the compiler's error and where it is, e.g.
 * "katas/07-training/kata.ts:95:140: [PARSE_ERROR] Expected `}` but found `EOF`".
 */
export const loadProblem = (text: string): string => {
  const lines = stripAnsi(text)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
  const error = lines.find((l) => /error/i.test(l) && !/^Transform failed/.test(l)) ?? lines[0] ?? 'unknown error'
  const where = /((?:[\w.-]+\/)*kata(?:\.test)?\.ts:\d+(?::\d+)?)/.exec(lines.join('\n'))?.[1]
  return where === undefined || error.includes(where) ? error : `${where}: ${error}`
}

const isNotImplemented = (messages: readonly string[]): boolean => messages.some((m) => NOT_IMPLEMENTED.test(m))

/** The most telling line of a failure: the learner's assertion message if there is one, else the first line. */
const whyItFailed = (messages: readonly string[]): string => {
  const notImplemented = messages.map((m) => NOT_IMPLEMENTED.exec(m)).find((m) => m !== null)
  if (notImplemented) return `${notImplemented[2]} is not implemented yet`
  // fast-check's own message ("Property failed after 3 tests ...") comes first; the cause says what
  const assertion = messages.find((m) => !/^Property failed/.test(m) && firstLine(m) !== '')
  return firstLine(assertion ?? messages[0] ?? 'failed')
}

/** Scores one kata's run: passed of total, and the status those mean. */
export const scoreKata = (run: KataRun): KataScore => {
  const graded = run.checks.filter((c) => c.state !== 'skipped')
  const passed = graded.filter((c) => c.state === 'passed').length
  const failed = graded.filter((c) => c.state !== 'passed')
  const missing = run.stubbed ?? [
    ...new Set(
      [...run.loadErrors, ...failed.flatMap((c) => c.messages)]
        .map((m) => NOT_IMPLEMENTED.exec(m)?.[2])
        .filter((f): f is string => f !== undefined),
    ),
  ]
  if (run.loadErrors.length > 0) {
    const total = Math.max(graded.length, run.expectedChecks ?? 0)
    if (isNotImplemented(run.loadErrors)) return { kata: run.kata, passed, total, status: 'not started', missing }
    return {
      kata: run.kata,
      passed,
      total,
      status: 'in progress',
      missing,
      problem: `the tests do not load: ${loadProblem(run.loadErrors[0])}`,
    }
  }
  const total = graded.length
  const first = failed[0]
  const firstFailing = first === undefined ? undefined : { name: first.name, message: whyItFailed(first.messages) }
  if (total > 0 && passed === total) return { kata: run.kata, passed, total, status: 'done', missing }
  // every check fails only because a stub threw: nothing written yet
  if (total > 0 && passed === 0 && failed.every((c) => isNotImplemented(c.messages)))
    return { kata: run.kata, passed, total, status: 'not started', missing, firstFailing }
  return {
    kata: run.kata,
    passed,
    total,
    status: 'in progress',
    missing,
    firstFailing,
    problem: total === 0 ? 'no checks ran' : undefined,
  }
}

/** The whole board: every kata in order, the totals and the kata to do next. */
export const scoreboard = (runs: readonly KataRun[]): Scoreboard => {
  const katas = runs.map(scoreKata)
  return {
    katas,
    passed: katas.reduce((n, k) => n + k.passed, 0),
    total: katas.reduce((n, k) => n + k.total, 0),
    next: katas.find((k) => k.status !== 'done'),
  }
}

const bar = (passed: number, total: number, width = 12): string => {
  const filled = total === 0 ? 0 : Math.round((passed / total) * width)
  return '█'.repeat(filled) + '░'.repeat(width - filled)
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/**
 * The scoreboard as a learner reads it in a terminal. `courseSize` is the number of katas in the
 * course, when the board covers only some of them (`npm run grade -- 06`).
 */
export const formatScoreboard = (board: Scoreboard, { courseSize = board.katas.length } = {}): string => {
  const width = Math.max(4, ...board.katas.map((k) => k.kata.length))
  const digits = String(Math.max(1, board.total)).length
  const score = (p: number, t: number) => `${String(p).padStart(digits)}/${String(t).padEnd(digits)}`
  const lines = ["Kata scoreboard: your code in katas/, graded by each kata's tests", '']
  for (const k of board.katas) {
    const note = k.problem !== undefined ? `  (${k.problem})` : ''
    lines.push(`  ${k.kata.padEnd(width)}  ${bar(k.passed, k.total)}  ${score(k.passed, k.total)}  ${k.status}${note}`)
  }
  const done = board.katas.filter((k) => k.status === 'done').length
  lines.push(
    `  ${'total'.padEnd(width)}  ${' '.repeat(12)}  ${score(board.passed, board.total)}  ${done} of ${plural(board.katas.length, 'kata')} done`,
    '',
  )
  const next = board.next
  if (next === undefined) {
    const only = board.katas.map((k) => k.kata.slice(0, 2))
    lines.push(
      board.katas.length === 0
        ? 'No katas found in katas/.'
        : board.katas.length < courseSize
          ? `${only.length === 1 ? `Kata ${only[0]} is` : `Katas ${only.join(', ')} are`} done. \`npm run report -- ${only[0]}\` draws ${only.length === 1 ? 'its' : "a kata's"} page from your own code; \`npm run grade\` scores every kata.`
          : `Every kata is done. \`npm run report -- NN\` draws each kata's page from your own code.`,
    )
    return lines.join('\n')
  }
  const n = next.kata.slice(0, 2)
  if (next.status === 'not started') {
    lines.push(`Next: ${next.kata}. Start with katas/${next.kata}/README.md, then \`npm run watch\`.`)
  } else {
    lines.push(`Next: carry on with ${next.kata}: ${plural(next.total - next.passed, 'check')} to go.`)
    if (next.problem !== undefined) lines.push(`  ${next.problem}`)
    else if (next.firstFailing !== undefined)
      lines.push(`  first failing check: ${next.firstFailing.name}`, `    ${next.firstFailing.message}`)
  }
  if (next.missing.length > 0) lines.push(`  still to write: ${next.missing.join(', ')}`)
  lines.push(`  Stuck? \`npm run hint -- ${n}\` shows the next hint.`)
  return lines.join('\n')
}

/** The scoreboard for machines: one JSON object. */
export const scoreboardJson = (board: Scoreboard): string =>
  JSON.stringify({
    passed: board.passed,
    total: board.total,
    next: board.next?.kata ?? null,
    katas: board.katas.map((k) => ({
      kata: k.kata,
      passed: k.passed,
      total: k.total,
      status: k.status,
      missing: k.missing,
      ...(k.firstFailing === undefined ? {} : { firstFailing: k.firstFailing }),
      ...(k.problem === undefined ? {} : { problem: k.problem }),
    })),
  })

// ---------------------------------------------------------------------------------------------
// Flags

export const gradeUsage = `usage: npm run grade [-- [--json] [KATA ...]]

Runs each kata's tests against your own code in katas/ and shows the scoreboard.

  KATA      only these katas: a number (03) or a name (03-kaiming); default all
  --json    print the scoreboard as one JSON object, for machines
  --help    this text`

export interface GradeOptions {
  readonly json: boolean
  readonly katas: readonly string[]
}

/** Parses `npm run grade` arguments against the katas there are; Left is the message to print above the usage. */
export const parseGradeArgs = (
  argv: readonly string[],
  katas: readonly string[],
): Either<string, { readonly kind: 'help' } | { readonly kind: 'run'; readonly options: GradeOptions }> => {
  let json = false
  const chosen: string[] = []
  for (const a of argv) {
    if (a === '--help' || a === '-h') return E.right({ kind: 'help' })
    if (a === '--json') {
      json = true
      continue
    }
    if (a.startsWith('-')) return E.left(`unknown option '${a}'`)
    const kata = resolveKata(katas, a)
    if (kata === undefined) return E.left(`no kata '${a}'; ${describeKatas(katas)}`)
    if (!chosen.includes(kata)) chosen.push(kata)
  }
  return E.right({
    kind: 'run',
    options: { json, katas: chosen.length === 0 ? [...katas] : katas.filter((k) => chosen.includes(k)) },
  })
}

/** The functions of a kata.ts source whose body still calls `notImplemented(KATA, 'name')`, in file order. */
export const stubbedFunctions = (source: string): string[] => {
  const found: string[] = []
  // skip comments, so that a stub's doc or a commented-out line does not count
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1')
  for (const m of code.matchAll(/notImplemented\(\s*[^,()]+,\s*(['"`])([A-Za-z_$][\w$]*)\1\s*\)/g))
    if (!found.includes(m[2])) found.push(m[2])
  return found
}

// ---------------------------------------------------------------------------------------------
// Effects: running vitest on the learner's files

const root = resolve(import.meta.dirname, '..', '..')

/** Every message of an error and of its causes. */
const errorTexts = (e: unknown): string[] => {
  if (typeof e !== 'object' || e === null) return [String(e)]
  const err = e as { message?: unknown; cause?: unknown }
  return [
    typeof err.message === 'string' ? err.message : String(e),
    ...(err.cause === undefined ? [] : errorTexts(err.cause)),
  ]
}

const kataOf = (moduleId: string): string | undefined => /[\\/]katas[\\/](\d\d-[a-z0-9-]+)[\\/]/.exec(moduleId)?.[1]

/** A check may take this long before it fails (an asynchronous one; synchronous code cannot be interrupted). */
const CHECK_TIMEOUT_SECONDS = 60

/** The learner's code stopped returning: no check started or finished for a while. */
export class StalledError extends Error {
  constructor(
    readonly katas: readonly string[],
    readonly seconds: number,
  ) {
    super(
      `${katas.length === 1 ? `kata ${katas[0]}` : `katas ${katas.join(', ')}`} stopped making progress: no check ` +
        `started or finished in ${seconds} s, and one check may take ${CHECK_TIMEOUT_SECONDS} s at most. Code in ` +
        `${katas.map((k) => `katas/${k}/kata.ts`).join(' or ')} probably never returns: look for a loop whose condition ` +
        `never changes, or a function that calls itself with the same arguments.`,
    )
    this.name = 'StalledError'
  }
}

/**
 * Runs the katas' tests against the learner's files (KATA_TARGET=learner), quietly. Rejects with a
 * StalledError if the run makes no progress for `stallSeconds` (learner code stuck in a loop
 * cannot be interrupted by a test timeout); the tests run on threads, which end with the process.
 * `dir` is the checkout whose katas/ are graded.
 */
export const runLearnerTests = async (
  katas: readonly string[],
  { stallSeconds = 90, dir = root } = {},
): Promise<KataRun[]> => {
  const { createVitest } = await import('vitest/node')
  const { kataTarget } = await import('../../vitest.config.ts')
  let lastProgress = Date.now()
  const started = new Set<string>(),
    ended = new Set<string>()
  const progress = {
    onTestModuleStart: (m: { readonly moduleId: string }) => {
      lastProgress = Date.now()
      const kata = kataOf(m.moduleId)
      if (kata !== undefined) started.add(kata)
    },
    onTestCaseReady: () => {
      lastProgress = Date.now()
    },
    onTestCaseResult: () => {
      lastProgress = Date.now()
    },
    onTestModuleEnd: (m: { readonly moduleId: string }) => {
      lastProgress = Date.now()
      const kata = kataOf(m.moduleId)
      if (kata !== undefined) ended.add(kata)
    },
  }
  const make = (target: string) =>
    createVitest('test', {
      config: false,
      root: dir,
      watch: false,
      reporters: [progress],
      passWithNoTests: true,
      pool: 'threads',
      testTimeout: CHECK_TIMEOUT_SECONDS * 1000,
      projects: [
        {
          plugins: [kataTarget(target)],
          test: {
            name: target,
            include: katas.map((k) => `katas/${k}/**/*.test.ts`),
            testTimeout: CHECK_TIMEOUT_SECONDS * 1000,
          },
        },
      ],
    })
  const runs = new Map<string, { checks: CheckOutcome[]; loadErrors: string[] }>(
    katas.map((k) => [k, { checks: [], loadErrors: [] }]),
  )
  const vitest = await make('learner')
  let watchdog: NodeJS.Timeout | undefined
  const stalled = new Promise<never>((_, reject) => {
    watchdog = setInterval(() => {
      if (Date.now() - lastProgress <= stallSeconds * 1000) return
      // the katas whose tests were running; the ones waiting behind them are not to blame
      const running = katas.filter((k) => started.has(k) && !ended.has(k))
      reject(new StalledError(running.length > 0 ? running : katas.filter((k) => !ended.has(k)), stallSeconds))
    }, 1000)
  })
  try {
    const { testModules } = await Promise.race([vitest.start(), stalled])
    for (const module of testModules) {
      const run = runs.get(kataOf(module.moduleId) ?? '')
      if (run === undefined) continue
      for (const test of module.children.allTests()) {
        const r = test.result()
        run.checks.push({ name: test.fullName, state: r.state, messages: (r.errors ?? []).flatMap(errorTexts) })
      }
      run.loadErrors.push(...module.errors().flatMap(errorTexts))
    }
  } catch (e) {
    // after a stall, closing would wait for the stuck thread: the caller exits instead
    if (!(e instanceof StalledError)) await vitest.close()
    throw e
  } finally {
    clearInterval(watchdog)
  }
  await vitest.close()
  // a file that does not load ran no checks: count them by reading the test file instead
  const broken = katas.filter((k) => (runs.get(k)?.loadErrors.length ?? 0) > 0 && runs.get(k)?.checks.length === 0)
  const expected = new Map<string, number>()
  if (broken.length > 0) {
    const counter = await make('solutions')
    try {
      const { testModules } = await counter.collect(
        broken.map((k) => `katas/${k}/`),
        { staticParse: true },
      )
      for (const module of testModules) {
        const kata = kataOf(module.moduleId)
        if (kata !== undefined) expected.set(kata, (expected.get(kata) ?? 0) + [...module.children.allTests()].length)
      }
    } catch {
      // the count is a nicety: without it the kata shows 0 checks
    } finally {
      await counter.close()
    }
  }
  const stubbed = (kata: string): string[] | undefined => {
    const file = join(dir, 'katas', kata, 'kata.ts')
    return existsSync(file) ? stubbedFunctions(readFileSync(file, 'utf8')) : undefined
  }
  return katas.map((kata) => ({
    kata,
    ...runs.get(kata)!,
    ...(expected.has(kata) ? { expectedChecks: expected.get(kata) } : {}),
    stubbed: stubbed(kata),
  }))
}

const main = async (): Promise<number> => {
  const katas = listKatas(root)
  const parsed = parseGradeArgs(process.argv.slice(2), katas)
  if (E.isLeft(parsed)) {
    console.error(`grade: ${parsed.left}\n\n${gradeUsage}`)
    return 2
  }
  if (parsed.right.kind === 'help') {
    console.log(gradeUsage)
    return 0
  }
  const { json, katas: chosen } = parsed.right.options
  if (chosen.length === 0) {
    console.error('grade: no katas found in katas/')
    return 1
  }
  if (!json) process.stderr.write(`grading ${plural(chosen.length, 'kata')} against your code in katas/ ...\n`)
  try {
    const board = scoreboard(await runLearnerTests(chosen))
    console.log(json ? scoreboardJson(board) : formatScoreboard(board, { courseSize: katas.length }))
    return 0
  } catch (e) {
    if (!(e instanceof StalledError)) throw e
    console.error(`grade: ${e.message}`)
    return 1
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error('grade: could not run the tests:', e instanceof Error ? e.message : e)
      process.exit(1)
    },
  )
}

/**
 * Scoring the learner's katas: what a run of one kata's checks gives, which status it means, what
 * comes next, and how the scoreboard of `npm run grade` reads (pure; tested in score.test.ts).
 */
import { firstLine, loadProblem, NOT_IMPLEMENTED } from './errors.ts'
import { kataNumber } from './catalogue.ts'

// ---------------------------------------------------------------------------------------------
// What a run of one kata's tests gives

export type CheckState = 'passed' | 'failed' | 'skipped' | 'pending'

/** One graded check (a vitest test) as it ran against the learner's file. */
export interface CheckOutcome {
  readonly name: string
  readonly state: CheckState
  /** Failure messages, each error's causes included (fast-check puts the assertion in a cause). */
  readonly messages: readonly string[]
  /** The learner's file:line:column the failure came from, when its stack reaches the kata's own files. */
  readonly where?: string
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
  /** The first type error in the learner's kata folder, "katas/01-initial-loss/kata.ts:12:7: message". */
  readonly typeError?: string
  /** The run was stopped because this kata's code made no progress (a loop that never ends). */
  readonly stalled?: boolean
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
  /** The first type error of the kata's files: a kata with one is not done. */
  readonly typeError?: string
  /** The kata's checks were stopped: its code never returned. */
  readonly stalled?: boolean
}

export interface Scoreboard {
  readonly katas: readonly KataScore[]
  readonly passed: number
  readonly total: number
  /** The first kata not done yet; undefined when all are. */
  readonly next?: KataScore
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

/** Scores one kata's run: passed of total, and the status those mean; a type error or a stall keeps it from done. */
export const scoreKata = (run: KataRun): KataScore => {
  const score = scoreChecks(run)
  const extra = {
    ...(run.typeError === undefined ? {} : { typeError: run.typeError }),
    ...(run.stalled === true ? { stalled: true } : {}),
  }
  if (run.stalled === true)
    return {
      ...score,
      ...extra,
      status: score.status === 'done' ? 'in progress' : score.status,
      problem: `stopped: katas/${run.kata}/kata.ts never returned (a loop that never ends?)`,
    }
  if (run.typeError !== undefined)
    return {
      ...score,
      ...extra,
      status: score.status === 'done' ? 'in progress' : score.status,
      problem: score.problem ?? `type error: ${run.typeError}`,
    }
  return score
}

const scoreChecks = (run: KataRun): KataScore => {
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
    const mark = k.stalled === true ? '⚠ ' : ''
    lines.push(
      `  ${k.kata.padEnd(width)}  ${bar(k.passed, k.total)}  ${score(k.passed, k.total)}  ${mark}${k.status}${note}`,
    )
  }
  const done = board.katas.filter((k) => k.status === 'done').length
  lines.push(
    `  ${'total'.padEnd(width)}  ${' '.repeat(12)}  ${score(board.passed, board.total)}  ${done} of ${plural(board.katas.length, 'kata')} done`,
    '',
  )
  const next = board.next
  if (next === undefined) {
    const only = board.katas.map((k) => kataNumber(k.kata))
    lines.push(
      board.katas.length === 0
        ? 'No katas found in katas/.'
        : board.katas.length < courseSize
          ? `${only.length === 1 ? `Kata ${only[0]} is` : `Katas ${only.join(', ')} are`} done. \`npm run report -- ${only[0]}\` draws ${only.length === 1 ? 'its' : "a kata's"} page from your own code; \`npm run grade\` scores every kata.`
          : `Every kata is done. \`npm run report -- NN\` draws each kata's page from your own code.`,
    )
    return lines.join('\n')
  }
  const n = kataNumber(next.kata)
  if (next.status === 'not started') {
    lines.push(`Next: ${next.kata}. Start with katas/${next.kata}/README.md, then \`npm run watch -- ${n}\`.`)
  } else {
    lines.push(`Next: carry on with ${next.kata}: ${plural(next.total - next.passed, 'check')} to go.`)
    if (next.problem !== undefined) lines.push(`  ${next.problem}`)
    else if (next.firstFailing !== undefined)
      lines.push(`  first failing check: ${next.firstFailing.name}`, `    ${next.firstFailing.message}`)
  }
  if (next.missing.length > 0) lines.push(`  still to write: ${next.missing.join(', ')}`)
  lines.push(`  \`npm run check -- ${n}\` shows the next step; stuck? \`npm run hint -- ${n}\` shows a hint.`)
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
      ...(k.typeError === undefined ? {} : { typeError: k.typeError }),
      ...(k.stalled === true ? { stalled: true } : {}),
    })),
  })

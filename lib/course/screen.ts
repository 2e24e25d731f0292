/**
 * The kata screen of `npm run check` and `npm run watch`: one kata, its progress, the functions
 * still to write and the next one, then only the first failing check of that function: its name,
 * the teaching message, a law's shrunk counterexample on one line, and the learner's file:line.
 * No stack frames, no array dumps longer than a line; at most 40 lines of 100 columns (pure;
 * tested in screen.test.ts).
 */
import { kataNumber } from './catalogue.ts'
import { firstLine, loadProblem, NOT_IMPLEMENTED, stripAnsi } from './errors.ts'
import type { CheckOutcome, KataRun } from './score.ts'
import { scoreKata } from './score.ts'

export const SCREEN_WIDTH = 100
export const SCREEN_LINES = 40

/** A line cut to `width` columns, with an ellipsis where it was cut. */
export const clip = (line: string, width = SCREEN_WIDTH): string =>
  [...line].length <= width ? line : `${[...line].slice(0, width - 1).join('')}…`

/** Words wrapped to `width` columns after `indent`, at most `maxLines` lines. */
export const wrap = (text: string, indent: string, maxLines: number, width = SCREEN_WIDTH): string[] => {
  const lines: string[] = []
  const rest = ' '.repeat([...indent].length)
  let line = indent
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line.length + word.length + 1 > width && line.trim() !== '') {
      lines.push(line)
      line = rest
    }
    line += line === indent || line === rest ? word : ` ${word}`
  }
  if (line.trim() !== '') lines.push(line)
  if (lines.length <= maxLines) return lines.map((l) => clip(l, width))
  return [...lines.slice(0, maxLines - 1), clip(`${lines[maxLines - 1]} …`, width)].map((l) => clip(l, width))
}

/** The function a failing check blames: the stub that threw, or the first kata function its name mentions. */
export const blamedFunction = (check: CheckOutcome, functions: readonly string[]): string | undefined => {
  for (const m of check.messages) {
    const stub = NOT_IMPLEMENTED.exec(m)
    if (stub !== null) return stub[2]
  }
  const named = functions
    .map((f) => ({ f, at: check.name.search(new RegExp(`\\b${f}\\b`)) }))
    .filter((x) => x.at >= 0)
    .sort((a, b) => a.at - b.at)
  return named[0]?.f
}

/** What the screen says about one failing check: the teaching message and a law's counterexample. */
export const describeFailure = (
  check: CheckOutcome,
): { readonly message: readonly string[]; readonly counterexample?: string } => {
  const texts = check.messages.map(stripAnsi)
  const stub = texts.map((m) => NOT_IMPLEMENTED.exec(m)).find((m) => m !== null)
  if (stub) return { message: [`${stub[2]} is not implemented yet: replace its notImplemented(...) with your code`] }
  const property = texts.find((m) => /^Property failed/.test(m))
  const counterexample = property
    ?.split('\n')
    .find((l) => l.startsWith('Counterexample:'))
    ?.replace(/\s+/g, ' ')
  // fast-check's own message comes first; the cause holds the assertion that teaches
  const teaching = texts.filter((m) => !/^Property failed/.test(m) && firstLine(m) !== '')
  const chosen = teaching[0] ?? property ?? 'failed'
  const message = chosen
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '' && !/^\s*at /.test(l) && !/^Hint: Enable verbose/.test(l))
    .slice(0, 6)
  return { message, ...(counterexample === undefined ? {} : { counterexample }) }
}

export interface ScreenInput {
  readonly run: KataRun
  /** The functions the learner writes in this kata, in the kata's order. */
  readonly functions: readonly string[]
  /** The learner's file:line of the first failing check, when its stack reaches the kata's file. */
  readonly where?: string
  /** The live page, when watch draws one. */
  readonly page?: string
  /** The keys watch listens to, for the last line. */
  readonly keys?: string
  /** The kata to move on to when this one is done. */
  readonly nextKata?: string
  /** Where the learner's file declares a function, katas/NN-topic/kata.ts:line, when it does. */
  readonly declared?: (fn: string) => string | undefined
}

export interface Screen {
  readonly text: string
  readonly done: boolean
  /** The function the learner is on, when the kata is not done. */
  readonly next?: string
}

const bar = (passed: number, total: number, width = 20): string => {
  const filled = total === 0 ? 0 : Math.round((passed / total) * width)
  return '█'.repeat(filled) + '░'.repeat(width - filled)
}

/** The kata's screen: header, then the one thing to do next. */
export const kataScreen = ({ run, functions, page, keys, nextKata, declared }: ScreenInput): Screen => {
  const score = scoreKata(run)
  const n = kataNumber(run.kata)
  const lines: string[] = []
  lines.push(clip(`Kata ${run.kata}  ${bar(score.passed, score.total)}  ${score.passed}/${score.total} checks pass`))
  const done = score.status === 'done'
  const failing = run.checks.filter((c) => c.state === 'failed')
  const blamed = failing.map((c) => blamedFunction(c, functions))
  const stubbed = run.stubbed ?? []
  const unfinished = functions.filter((f) => stubbed.includes(f) || blamed.includes(f))

  // the first failing check says which function is next; when it names none, the function written
  // last before the first stub (the learner works in the kata's order) is the likely culprit
  const firstStub = functions.findIndex((f) => stubbed.includes(f))
  const lastWritten = functions.slice(0, firstStub < 0 ? functions.length : firstStub).at(-1)
  const next = done
    ? undefined
    : (blamed[0] ?? (failing.length > 0 ? lastWritten : undefined) ?? unfinished[0] ?? stubbed[0])
  if (!done) {
    const toFinish = functions.filter((f) => unfinished.includes(f) || f === next)
    if (toFinish.length > 0)
      lines.push(...wrap(`To finish (${toFinish.length} of ${functions.length}): ${toFinish.join(', ')}`, '', 2))
    lines.push(
      next !== undefined
        ? `Next: ${next}`
        : failing.length === 0 && run.typeError !== undefined
          ? 'Next: fix the type error'
          : 'Next: make the failing check pass',
    )
  }
  if (page !== undefined) lines.push(clip(`Page: ${page}`))
  lines.push('')
  if (done) {
    lines.push(`✓ Kata ${run.kata} is done: every check passes.`)
    lines.push(`  \`npm run report -- ${n}\` draws its page from your code: reports/katas/${run.kata}.html`)
    if (nextKata !== undefined)
      lines.push(
        `  Next kata: ${nextKata}. Read katas/${nextKata}/README.md, then \`npm run watch -- ${kataNumber(nextKata)}\`.`,
      )
    else lines.push('  `npm run grade` shows every kata.')
  } else if (run.stalled === true) {
    lines.push(...wrap(score.problem ?? 'stopped: the code never returned', '✗ ', 4))
  } else if (run.loadErrors.length > 0 && !run.loadErrors.every((e) => NOT_IMPLEMENTED.test(e))) {
    lines.push(`✗ The tests do not load your file:`)
    lines.push(...wrap(loadProblem(run.loadErrors[0]), '  ', 4))
  } else if (run.typeError !== undefined) {
    lines.push('✗ Type error (fix it first; the checks run, but a kata with a type error is not done):')
    lines.push(...wrap(run.typeError, '  ', 4))
  }
  if (!done && run.stalled !== true) {
    const check = failing[0]
    if (check !== undefined) {
      if (run.typeError !== undefined || run.loadErrors.length > 0) lines.push('')
      const { message, counterexample } = describeFailure(check)
      lines.push(...wrap(check.name.replace(/ > /g, ' › '), '✗ ', 3))
      for (const m of message) lines.push(...wrap(m, '    ', 3))
      if (counterexample !== undefined) lines.push(clip(`    ${counterexample}`))
      const at = check.where ?? (next === undefined ? undefined : declared?.(next))
      if (at !== undefined) lines.push(clip(`    at ${at}${check.where === undefined ? ` (your ${next})` : ''}`))
    }
    lines.push('')
    lines.push(
      clip(
        run.checks.length === 0
          ? `No check can run until your file loads. Stuck? \`npm run hint -- ${n}${next === undefined ? '' : ` ${next}`}\``
          : failing.length === 0
            ? 'Every check passes: the kata is done once the type error is fixed.'
            : `${failing.length} of ${score.total} checks fail. Stuck? \`npm run hint -- ${n}${next === undefined ? '' : ` ${next}`}\``,
      ),
    )
  }
  if (keys !== undefined) lines.push(clip(keys))
  const kept = lines.length <= SCREEN_LINES ? lines : [...lines.slice(0, SCREEN_LINES - 1), '…']
  return { text: kept.join('\n'), done, ...(next === undefined ? {} : { next }) }
}

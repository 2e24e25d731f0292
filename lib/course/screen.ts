/**
 * The kata screen of `npm run check` and `npm run watch`: one kata, its progress, the functions
 * still to write and the next one, then only the first failing check of that function: its name,
 * the teaching message, a law's shrunk counterexample on one line, and the learner's file:line.
 * No stack frames; at most 40 lines, each as wide as the terminal (80 columns when its width is not
 * known), wrapped at word boundaries. The check's name and its message's first line, the key
 * sentence, are never cut; the detail after them is (pure; tested in screen.test.ts).
 */
import { kataNumber } from './catalogue.ts'
import { firstLine, loadProblem, NOT_IMPLEMENTED, stripAnsi } from './errors.ts'
import type { CheckOutcome, KataRun } from './score.ts'
import { scoreKata } from './score.ts'

/** The width of a terminal whose width is not known. */
export const SCREEN_WIDTH = 80
export const SCREEN_LINES = 40

/** The width the screen is drawn at: the terminal's, or 80 when it is not known (a pipe, a file). */
export const terminalWidth = (columns: number | undefined): number =>
  columns !== undefined && Number.isFinite(columns) && columns >= 20 ? Math.floor(columns) : SCREEN_WIDTH

/** A line cut to `width` columns, with an ellipsis where it was cut. */
export const clip = (line: string, width = SCREEN_WIDTH): string =>
  [...line].length <= width ? line : `${[...line].slice(0, width - 1).join('')}…`

const length = (s: string): number => [...s].length

/**
 * Words wrapped to `width` columns after `indent` (the lines after the first indented as far), at
 * word boundaries: only a word longer than a whole line is broken. At most `maxLines` lines, the
 * last ending in … when the text goes on (Infinity: never cut).
 */
export const wrap = (text: string, indent: string, maxLines: number, width = SCREEN_WIDTH): string[] => {
  const lines: string[] = []
  const rest = ' '.repeat(length(indent))
  let line = indent
  const fresh = () => line === indent || line === rest
  for (let word of text.split(/\s+/).filter((w) => w !== '')) {
    if (!fresh() && length(line) + 1 + length(word) > width) {
      lines.push(line)
      line = rest
    }
    // a word wider than a line (a long path, a number dump) is broken where the line ends
    while (length(line) + length(word) > width && width - length(line) > 0) {
      const room = width - length(line)
      lines.push(line + [...word].slice(0, room).join(''))
      word = [...word].slice(room).join('')
      line = rest
    }
    if (word !== '') line += fresh() ? word : ` ${word}`
  }
  if (line.trim() !== '') lines.push(line)
  if (lines.length <= maxLines) return lines
  return [...lines.slice(0, maxLines - 1), clip(`${lines[maxLines - 1]} …`, width)]
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
  /** The terminal's width in columns (80 by default). */
  readonly width?: number
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
export const kataScreen = ({
  run,
  functions,
  page,
  keys,
  nextKata,
  declared,
  width = SCREEN_WIDTH,
}: ScreenInput): Screen => {
  const w = terminalWidth(width)
  // a line that fits keeps its spacing (the header's columns); a longer one is wrapped
  const say = (text: string, indent = '', maxLines = Number.POSITIVE_INFINITY) =>
    !text.includes('\n') && length(indent + text) <= w ? [indent + text] : wrap(text, indent, maxLines, w)
  const score = scoreKata(run)
  const n = kataNumber(run.kata)
  const lines: string[] = []
  /** Where the lines that must stay (the next step, the keys) begin. */
  let tail: number | undefined
  lines.push(
    ...say(
      `Kata ${run.kata}  ${bar(score.passed, score.total, Math.min(20, Math.max(5, w - 40)))}  ${score.passed}/${score.total} checks pass`,
    ),
  )
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
      lines.push(...say(`To finish (${toFinish.length} of ${functions.length}): ${toFinish.join(', ')}`, '', 3))
    lines.push(
      ...say(
        next !== undefined
          ? `Next: ${next}`
          : failing.length === 0 && run.typeError !== undefined
            ? 'Next: fix the type error'
            : 'Next: make the failing check pass',
      ),
    )
  }
  if (page !== undefined) lines.push(...say(`Page: ${page}`))
  lines.push('')
  if (done) {
    lines.push(...say(`✓ Kata ${run.kata} is done: every check passes.`))
    lines.push(...say(`\`npm run report -- ${n}\` draws its page from your code: reports/katas/${run.kata}.html`, '  '))
    if (nextKata !== undefined)
      lines.push(
        ...say(
          `Next kata: ${nextKata}. Read katas/${nextKata}/README.md, then \`npm run watch -- ${kataNumber(nextKata)}\`.`,
          '  ',
        ),
      )
    else lines.push(...say('`npm run grade` shows every kata.', '  '))
  } else if (run.stalled === true) {
    lines.push(...say(score.problem ?? 'stopped: the code never returned', '✗ ', 6))
  } else if (run.loadErrors.length > 0 && !run.loadErrors.every((e) => NOT_IMPLEMENTED.test(e))) {
    lines.push(`✗ The tests do not load your file:`)
    lines.push(...say(loadProblem(run.loadErrors[0]), '  ', 6))
  } else if (run.typeError !== undefined) {
    lines.push(...say('✗ Type error (fix it first; the checks run, but a kata with a type error is not done):'))
    lines.push(...say(run.typeError, '  ', 6))
  }
  if (!done && run.stalled !== true) {
    const check = failing[0]
    if (check !== undefined) {
      if (run.typeError !== undefined || run.loadErrors.length > 0) lines.push('')
      const { message, counterexample } = describeFailure(check)
      // the check's name and the message's key sentence whole; the detail after them may be cut
      lines.push(...say(check.name.replace(/ > /g, ' › '), '✗ '))
      const [key, ...detail] = message
      if (key !== undefined) lines.push(...say(key, '    '))
      const at = check.where ?? (next === undefined ? undefined : declared?.(next))
      const after = [
        ...(counterexample === undefined ? [] : say(counterexample, '    ', 3)),
        ...(at === undefined ? [] : say(`at ${at}${check.where === undefined ? ` (your ${next})` : ''}`, '    ')),
      ]
      // the detail fills what the 40 lines leave, after the counterexample and the file:line
      const room = SCREEN_LINES - lines.length - after.length - 3
      const details = detail.flatMap((m) => say(m, '    ', 3))
      lines.push(...(details.length <= room ? details : [...details.slice(0, Math.max(0, room - 1)), '    …']))
      lines.push(...after)
    }
    tail = lines.length
    lines.push('')
    lines.push(
      ...say(
        run.checks.length === 0
          ? `No check can run until your file loads. Stuck? \`npm run hint -- ${n}${next === undefined ? '' : ` ${next}`}\``
          : failing.length === 0
            ? 'Every check passes: the kata is done once the type error is fixed.'
            : `${failing.length} of ${score.total} checks fail. Stuck? \`npm run hint -- ${n}${next === undefined ? '' : ` ${next}`}\``,
      ),
    )
  }
  if (keys !== undefined) lines.push(...say(keys))
  if (keys !== undefined && tail === undefined) tail = lines.length - say(keys).length
  const end = lines.slice(tail ?? lines.length)
  const kept =
    lines.length <= SCREEN_LINES
      ? lines
      : [...lines.slice(0, Math.max(0, SCREEN_LINES - 1 - end.length)), '…', ...end].slice(-SCREEN_LINES)
  return { text: kept.join('\n'), done, ...(next === undefined ? {} : { next }) }
}

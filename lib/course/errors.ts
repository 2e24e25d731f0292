/**
 * What the kata tools say when something goes wrong, and the exit code each kind of trouble
 * gives, the same across grade, check, watch, hint and report (listed in the README).
 */

/** One exit code per kind of outcome, across every kata tool. */
export const EXIT = {
  /** the command did what it was asked: the kata is done, the page drawn, the hint shown */
  ok: 0,
  /** the learner's kata is not done: a check fails, a function is unwritten, or a type error */
  notDone: 1,
  /** the command line is wrong: an unknown option, a missing argument */
  usage: 2,
  /** no such kata, or a file the kata needs is missing */
  noSuchKata: 3,
  /** the learner's file does not load: a syntax error, or an error thrown while importing it */
  doesNotLoad: 4,
  /** the learner's code never returns: no progress for a while, so the run was stopped */
  stalled: 5,
  /** the tool itself failed (a bug to report) */
  internal: 6,
} as const

/** What each exit code means, as the README's table of the commands says it. */
export const exitMeanings: Readonly<Record<number, string>> = {
  [EXIT.ok]: 'done: the kata passes every check, the page is drawn, the hint shown',
  [EXIT.notDone]: 'not done yet: a check fails, a function is unwritten, or the kata has a type error',
  [EXIT.usage]: 'the command line is wrong (an unknown option, a missing argument)',
  [EXIT.noSuchKata]: 'no such kata, or a file it needs is missing',
  [EXIT.doesNotLoad]: 'your kata.ts does not load: a syntax error or an error thrown at its top level',
  [EXIT.stalled]: 'your code never returns: the run was stopped after a while without progress',
  [EXIT.internal]: 'the tool itself failed',
}

/** The message a stub throws: "not implemented yet: 01-initial-loss softmax ...". */
export const NOT_IMPLEMENTED = /not implemented yet: (\d\d-[a-z0-9-]+) ([A-Za-z_$][\w$]*)/

/** The first line of a message that says something (no blank lines, no stack). */
export const firstLine = (text: string): string =>
  text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('at ')) ?? ''

/** Terminal colour codes, which compilers put in their messages. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the colour codes this strips
export const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '')

/** Every message of an error and of its causes (fast-check puts the assertion in a cause). */
export const errorTexts = (e: unknown): string[] => {
  if (typeof e !== 'object' || e === null) return [String(e)]
  const err = e as { message?: unknown; cause?: unknown }
  return [
    typeof err.message === 'string' ? err.message : String(e),
    ...(err.cause === undefined ? [] : errorTexts(err.cause)),
  ]
}

/** file:line:column of the first place in a text that lies in a kata's folder, if any. */
export const kataLocation = (text: string): string | undefined =>
  /((?:[\w.-]+\/)*(?:katas|solutions)\/\d\d-[a-z0-9-]+\/[\w.-]+\.ts:\d+(?::\d+)?)/.exec(stripAnsi(text))?.[1] ??
  /((?:[\w.-]+\/)*kata(?:\.test)?\.ts:\d+(?::\d+)?)/.exec(stripAnsi(text))?.[1]

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
  const where = kataLocation(lines.join('\n'))
  const shortWhere = where?.replace(/^.*?(katas|solutions)\//, '$1/')
  return shortWhere === undefined || error.includes(shortWhere) || (where !== undefined && error.includes(where))
    ? error
    : `${shortWhere}: ${error}`
}

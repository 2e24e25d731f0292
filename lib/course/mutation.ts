/**
 * What `npm run mutation` concludes from Stryker's report of one kata (pure; tested in
 * mutation.test.ts): which mutants the checks killed, which survived, which are equivalent
 * (listed in solutions/NN-topic/EQUIVALENT.md, or under a `// Stryker disable` comment), and the
 * score that leaves the equivalent ones out.
 *
 * An EQUIVALENT.md entry is one list item naming one mutant by its original code, its
 * replacement and (part of) the line it stands on, then why it cannot change any output:
 *
 *   - `j < n` → `j <= n` in `for (let j = 0; j < n; j++) out[s + j] /= total`: the extra write ...
 *   - `i < m` → `i <= m` in `for (let i = 0; i < m; i++) {` of `softmax`: ... (the line is in two functions)
 *
 * An entry must match exactly one mutant of the answer, and that mutant must have survived: an
 * entry the checks kill (its proof is wrong) or that matches nothing (the code changed) fails the run.
 */

/** A mutant as the mutation-testing report schema (Stryker's JSON report) has it; lines and columns from 1. */
export interface ReportMutant {
  readonly id: string
  readonly mutatorName: string
  readonly replacement?: string
  readonly location: {
    readonly start: { readonly line: number; readonly column: number }
    readonly end: { readonly line: number; readonly column: number }
  }
  status: string
  statusReason?: string
}

export interface EquivalentEntry {
  /** Its line in EQUIVALENT.md. */
  readonly at: number
  readonly original: string
  readonly replacement: string
  readonly context: string
  /** The top-level declaration the mutant lies in, where the line alone is not enough. */
  readonly declaration?: string
  readonly proof: string
}

export interface KataScore {
  readonly kata: string
  readonly mutants: number
  readonly killed: number
  readonly timedOut: number
  readonly survived: number
  readonly noCoverage: number
  readonly equivalent: number
  /** Detected (killed or timed out) over the mutants that are not equivalent, in percent. */
  readonly score: number
}

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim()

const ENTRY = /^[-*] `([^`]+)` → `([^`]*)` in `([^`]+)`(?: of `([\w$]+)`)?: (.+)$/

/** The entries of an EQUIVALENT.md, and the list items it could not read. */
export const parseEquivalents = (markdown: string): { entries: EquivalentEntry[]; problems: string[] } => {
  const entries: EquivalentEntry[] = [],
    problems: string[] = []
  markdown.split('\n').forEach((line, i) => {
    if (!/^[-*] /.test(line)) return
    const m = ENTRY.exec(line.trim())
    if (m === null) {
      problems.push(
        `EQUIVALENT.md:${i + 1}: not an entry of the form "- \`original\` → \`replacement\` in \`line\` [of \`declaration\`]: proof": ${line.trim()}`,
      )
      return
    }
    entries.push({
      at: i + 1,
      original: squash(m[1]),
      replacement: squash(m[2]),
      context: squash(m[3]),
      ...(m[4] === undefined ? {} : { declaration: m[4] }),
      proof: m[5],
    })
  })
  return { entries, problems }
}

/** The code a mutant replaces, from the source it was made of. */
export const originalOf = (source: string, m: ReportMutant): string => {
  const lines = source.split('\n')
  const { start, end } = m.location
  const picked = lines.slice(start.line - 1, end.line)
  if (picked.length === 0) return ''
  if (picked.length === 1) return picked[0].slice(start.column - 1, end.column - 1)
  picked[0] = picked[0].slice(start.column - 1)
  picked[picked.length - 1] = picked[picked.length - 1].slice(0, end.column - 1)
  return picked.join('\n')
}

/** The name of the top-level declaration (one starting at column 1) a line lies in. */
const declarationAt = (lines: readonly string[], line: number): string | undefined => {
  for (let i = line - 1; i >= 0; i--) {
    const m = /^(?:export )?(?:const|let|function|class) ([\w$]+)/.exec(lines[i])
    if (m !== null) return m[1]
  }
  return undefined
}

/**
 * Whether an entry names a mutant: same original (a trailing … matches a prefix), same
 * replacement, on a line containing the context, in the declaration if the entry names one.
 */
const names = (e: EquivalentEntry, source: string, m: ReportMutant): boolean => {
  const lines = source.split('\n')
  const original = squash(originalOf(source, m))
  const line = squash(lines[m.location.start.line - 1] ?? '')
  const sameOriginal = e.original.endsWith('…') ? original.startsWith(e.original.slice(0, -1)) : original === e.original
  return (
    sameOriginal &&
    squash(m.replacement ?? '') === e.replacement &&
    line.includes(e.context) &&
    (e.declaration === undefined || declarationAt(lines, m.location.start.line) === e.declaration)
  )
}

const UNDETECTED = new Set(['Survived', 'NoCoverage'])

/**
 * Marks each mutant an entry names as equivalent (status Ignored, the proof as its reason), in
 * place, and says what is wrong with any entry.
 */
export const applyEquivalents = (
  source: string,
  mutants: ReportMutant[],
  entries: readonly EquivalentEntry[],
  file: string,
): string[] => {
  const problems: string[] = []
  for (const e of entries) {
    const candidates = mutants.filter((m) => names(e, source, m))
    // a context that is a whole line names the mutants of that line, not of longer lines that contain it
    const whole = candidates.filter((m) => squash(source.split('\n')[m.location.start.line - 1] ?? '') === e.context)
    const named = candidates.length > 1 && whole.length > 0 ? whole : candidates
    const where = `${file}:${e.at}`
    if (named.length === 0) {
      problems.push(
        `${where}: \`${e.original}\` → \`${e.replacement}\` in \`${e.context}\` names no mutant of the answer (has the code changed?)`,
      )
    } else if (named.length > 1) {
      problems.push(
        `${where}: names ${named.length} mutants; quote more of the line, or name its declaration (in \`line\` of \`name\`), so that it names one`,
      )
    } else if (!UNDETECTED.has(named[0].status)) {
      problems.push(
        `${where}: \`${e.original}\` → \`${e.replacement}\` is listed as equivalent, but the checks detect it (${named[0].status}): remove the entry`,
      )
    } else {
      named[0].status = 'Ignored'
      named[0].statusReason = `equivalent (${file}): ${e.proof}`
    }
  }
  return problems
}

/** The counts and the score of one kata's mutants (after applyEquivalents). */
export const scoreOf = (kata: string, mutants: readonly ReportMutant[]): KataScore => {
  const count = (status: string) => mutants.filter((m) => m.status === status).length
  const killed = count('Killed'),
    timedOut = count('Timeout'),
    survived = count('Survived'),
    noCoverage = count('NoCoverage'),
    equivalent = count('Ignored')
  const valid = killed + timedOut + survived + noCoverage
  return {
    kata,
    mutants: mutants.length,
    killed,
    timedOut,
    survived,
    noCoverage,
    equivalent,
    score: valid === 0 ? 100 : Math.round(((killed + timedOut) / valid) * 10_000) / 100,
  }
}

/** One line per mutant the checks let through: where, what, how. */
export const describeSurvivor = (source: string, file: string, m: ReportMutant): string =>
  `${file}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} ${m.status === 'NoCoverage' ? '(no check runs it) ' : ''}\`${squash(originalOf(source, m))}\` → \`${squash(m.replacement ?? '')}\``

/** The table `npm run mutation` prints, one row per kata. */
export const formatScores = (scores: readonly KataScore[]): string => {
  const header = ['kata', 'mutants', 'killed', 'timed out', 'survived', 'no coverage', 'equivalent', 'score']
  const rows = scores.map((s) => [
    s.kata,
    ...[s.mutants, s.killed, s.timedOut, s.survived, s.noCoverage, s.equivalent].map(String),
    s.score.toFixed(2),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

/**
 * `npm run mutation -- --json`: killed counts the mutants the checks detect (killed or timed out),
 * survived those they do not (survived or never run), equivalent those that cannot be detected.
 */
export const scoresJson = (scores: readonly KataScore[]): string =>
  JSON.stringify({
    katas: scores.map((s) => ({
      kata: s.kata,
      score: s.score,
      killed: s.killed + s.timedOut,
      survived: s.survived + s.noCoverage,
      equivalent: s.equivalent,
      timedOut: s.timedOut,
      noCoverage: s.noCoverage,
    })),
  })

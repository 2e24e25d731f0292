/**
 * What verify:katas concludes about each kata (pure; tested in verify.test.ts): that the learner
 * has what they need, that every graded check fails on the committed stub and passes on the
 * reference answer, and that every mutant (a classic mistake) is rejected with its message, both
 * as an override of one function and as a whole learner file.
 */
import type { Mistake } from './kata.ts'
import type { CheckOutcome as CheckResult } from './score.ts'
import type { RunResult } from './runner.ts'
import { lawsAmong } from './reference.ts'

export interface MutantReport {
  readonly name: string
  /** The mutant's `mistake` export, or why it could not be read. */
  readonly mistake: Mistake | { readonly error: string }
  readonly run: RunResult
  /** The same mistake run as a whole learner file (the answer with the mistake written in), or why it could not be made. */
  readonly whole: RunResult | { readonly error: string }
  /** Exports of the stub the mutant lacks. */
  readonly missingExports: readonly string[]
}

export interface KataReport {
  readonly kata: string
  /** Files the kata needs that are missing or empty, e.g. "README.md". */
  readonly missingFiles: readonly string[]
  /** What is wrong with hints.md, if anything. */
  readonly hintsProblem: string | undefined
  /** Exports of the stub the reference answer lacks. */
  readonly missingSolutionExports: readonly string[]
  readonly learner: RunResult
  readonly solution: RunResult
  readonly mutants: readonly MutantReport[]
  /** The functions the stub declares (each must have its reference law). */
  readonly functions: readonly string[]
  /** The law counts the README's kata table gives for this kata, or undefined when its row has none. */
  readonly readmeLaws: { readonly reference: number; readonly inputs: number } | undefined
}

export interface Verdict {
  readonly kata: string
  /** Checks the reference answer runs (skipped ones are not graded). */
  readonly graded: number
  /** Graded checks that fail against the stub: all of them, on a pristine checkout. */
  readonly stubFailures: number
  readonly solutionPasses: number
  readonly mutants: number
  /** Mutants rejected by a check whose message names the mistake, as an override and as a whole learner file. */
  readonly mutantsRejected: number
  /** Mutants rejected (with their message) as an override alone. */
  readonly rejectedAsOverride: number
  /** Mutants rejected (with their message) as a whole learner file alone. */
  readonly rejectedAsWholeFile: number
  /** Functions held to the reference law, and to the inputs-unchanged law. */
  readonly referenceLaws: number
  readonly inputsLaws: number
  readonly defects: readonly string[]
}

export interface VerifyOptions {
  /** Fewer mutants than this is a defect: without one, nothing shows the checks can fail. */
  readonly minMutants: number
}

export const defaultVerifyOptions: VerifyOptions = { minMutants: 1 }

const graded = (run: RunResult): CheckResult[] => run.checks.filter((c) => c.state !== 'skipped')
const firstLine = (text: string): string =>
  text
    .split('\n')
    .find((l) => l.trim() !== '')
    ?.trim() ?? ''

/** Whether a run rejects a mistake with its message; `why` says what is wrong when it does not. */
const rejection = (run: RunResult, mistake: Mistake): { readonly ok: boolean; readonly why: string } => {
  const failed = run.checks.filter((c) => c.state === 'failed')
  const texts = [...failed.flatMap((c) => c.messages), ...run.loadErrors]
  if (failed.length === 0 && run.loadErrors.length === 0)
    return { ok: false, why: `is not rejected: every check passes on "${mistake.lecture}"` }
  if (!texts.some((t) => t.includes(mistake.message)))
    return {
      ok: false,
      why: `is rejected, but no failure message contains "${mistake.message}", so a learner making this mistake is not told what it is`,
    }
  return { ok: true, why: '' }
}

/** What one kata's reports say: the numbers for the table and every defect, in words. */
export const judge = (report: KataReport, options: VerifyOptions = defaultVerifyOptions): Verdict => {
  const { kata } = report
  const defects: string[] = []
  for (const file of report.missingFiles) defects.push(`${file} is missing or empty`)
  if (report.hintsProblem !== undefined) defects.push(`katas/${kata}/hints.md: ${report.hintsProblem}`)
  if (report.missingSolutionExports.length > 0) {
    defects.push(
      `solutions/${kata}/kata.ts does not export ${report.missingSolutionExports.join(', ')}, which the stub does`,
    )
  }

  // the reference answer: defines which checks are graded, and must pass them all
  for (const e of report.solution.loadErrors)
    defects.push(`the tests do not load against solutions/${kata}/kata.ts: ${firstLine(e)}`)
  const checks = graded(report.solution)
  if (checks.length === 0 && report.solution.loadErrors.length === 0)
    defects.push('no graded checks ran against the reference answer')
  const solutionFailures = checks.filter((c) => c.state !== 'passed')
  for (const c of solutionFailures)
    defects.push(`the reference answer fails "${c.name}": ${firstLine(c.messages[0] ?? c.state)}`)

  // the stubs: every graded check must fail, each on its own
  for (const e of report.learner.loadErrors) {
    defects.push(
      `the tests do not load against the stubs (${firstLine(e)}): call the kata's functions inside it(...), so each check fails on its own`,
    )
  }
  const stubChecks = graded(report.learner)
  const stubFailures = stubChecks.filter((c) => c.state === 'failed').length
  const passingOnStub = stubChecks.filter((c) => c.state === 'passed')
  if (passingOnStub.length > 0) {
    const shown = passingOnStub
      .slice(0, 5)
      .map((c) => `"${c.name}"`)
      .join('; ')
    const more = passingOnStub.length > 5 ? `; and ${passingOnStub.length - 5} more` : ''
    defects.push(
      `${passingOnStub.length} of ${stubChecks.length} checks pass on the stub, so they grade nothing ` +
        `(or has katas/${kata} been worked on? verify:katas is meant for a pristine checkout, such as CI's): ${shown}${more}`,
    )
  }
  if (report.learner.loadErrors.length === 0 && stubChecks.length !== checks.length && checks.length > 0) {
    defects.push(`${stubChecks.length} checks ran against the stubs but ${checks.length} against the reference answer`)
  }

  // the laws: every function of the stub held to its reference answer, and the README's count true
  const laws = lawsAmong(checks.map((c) => c.name))
  const lawless = report.functions.filter((f) => !laws.reference.includes(f))
  if (lawless.length > 0)
    defects.push(
      `no reference law for ${lawless.join(', ')}: add law('${lawless[0]}', ...) to the laws of katas/${kata}/kata.test.ts (lib/course/reference.ts)`,
    )
  const counted = { reference: new Set(laws.reference).size, inputs: new Set(laws.inputs).size }
  if (report.readmeLaws === undefined)
    defects.push(
      `README.md's kata table gives no law counts for ${kata} (its last cell: "${counted.reference} + ${counted.inputs}")`,
    )
  else if (report.readmeLaws.reference !== counted.reference || report.readmeLaws.inputs !== counted.inputs)
    defects.push(
      `README.md's kata table says ${report.readmeLaws.reference} + ${report.readmeLaws.inputs} laws for ${kata}, the checks have ${counted.reference} + ${counted.inputs}`,
    )

  // the mutants: each rejected, with a message that names the mistake
  if (report.mutants.length < options.minMutants) {
    defects.push(
      `${report.mutants.length} mutant(s) in solutions/${kata}/mutants/, at least ${options.minMutants} wanted: nothing shows the checks reject a wrong answer`,
    )
  }
  let mutantsRejected = 0,
    rejectedAsOverride = 0,
    rejectedAsWholeFile = 0
  for (const m of report.mutants) {
    const where = `mutant ${m.name}`
    if ('error' in m.mistake) {
      defects.push(`${where}: ${m.mistake.error}`)
      continue
    }
    if (m.missingExports.length > 0)
      defects.push(`${where} does not export ${m.missingExports.join(', ')} (start it with export * from '../kata.ts')`)
    const asOverride = rejection(m.run, m.mistake)
    const asWhole =
      'error' in m.whole ? { ok: false, why: `cannot be made: ${m.whole.error}` } : rejection(m.whole, m.mistake)
    if (asOverride.ok) rejectedAsOverride += 1
    else defects.push(`${where} (as an override) ${asOverride.why}`)
    if (asWhole.ok) rejectedAsWholeFile += 1
    else defects.push(`${where} (as a whole learner file) ${asWhole.why}`)
    if (asOverride.ok && asWhole.ok) mutantsRejected += 1
  }
  return {
    kata,
    graded: checks.length,
    stubFailures,
    solutionPasses: checks.length - solutionFailures.length,
    mutants: report.mutants.length,
    mutantsRejected,
    rejectedAsOverride,
    rejectedAsWholeFile,
    referenceLaws: counted.reference,
    inputsLaws: counted.inputs,
    defects,
  }
}

/** The summary table, one row per kata. */
export const formatTable = (verdicts: readonly Verdict[]): string => {
  const header = [
    'kata',
    'graded checks',
    'fail on stubs',
    'pass on solution',
    'mutants rejected',
    'override',
    'whole file',
    'laws',
    '',
  ]
  const rows = verdicts.map((v) => [
    v.kata,
    String(v.graded),
    `${v.stubFailures}/${v.graded}`,
    `${v.solutionPasses}/${v.graded}`,
    `${v.mutantsRejected}/${v.mutants}`,
    `${v.rejectedAsOverride}/${v.mutants}`,
    `${v.rejectedAsWholeFile}/${v.mutants}`,
    `${v.referenceLaws} + ${v.inputsLaws}`,
    v.defects.length === 0 ? 'ok' : `${v.defects.length} defect${v.defects.length === 1 ? '' : 's'}`,
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** The whole report: the table, then each defect under its kata. */
export const formatReport = (verdicts: readonly Verdict[], seconds: number): string => {
  const defects = verdicts.flatMap((v) => v.defects.map((d) => `  ${v.kata}: ${d}`))
  const mutants = verdicts.reduce((n, v) => n + v.mutants, 0)
  return [
    formatTable(verdicts),
    '',
    defects.length === 0
      ? `verify:katas: ${plural(verdicts.length, 'kata')} and ${plural(mutants, 'mutant')} verified (each mutant rejected as an override and as a whole learner file) in ${seconds.toFixed(1)} s`
      : [
          `verify:katas: ${defects.length} defect${defects.length === 1 ? '' : 's'} (${seconds.toFixed(1)} s)`,
          ...defects,
        ].join('\n'),
  ].join('\n')
}

/**
 * The law counts of each kata in README.md's kata table: its rows end with a cell "R + I" (R
 * functions held to the reference law, I to the inputs-unchanged law).
 */
export const readmeLawCounts = (readme: string): Map<string, { reference: number; inputs: number }> => {
  const counts = new Map<string, { reference: number; inputs: number }>()
  for (const m of readme.matchAll(/^\|\s*(\d\d-[a-z0-9-]+)\s*\|.*\|\s*(\d+) \+ (\d+)\s*\|\s*$/gm))
    counts.set(m[1], { reference: Number(m[2]), inputs: Number(m[3]) })
  return counts
}

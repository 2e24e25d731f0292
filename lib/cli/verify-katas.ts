/**
 * `npm run verify:katas`: checks that every kata can do its job, on a pristine checkout (CI's).
 *
 * For each katas/NN-topic/ it checks that
 * - the learner has what they need: README.md, hints.md with `## Hint 1` to `## Hint 3`, the
 *   stub kata.ts and its kata.test.ts, and the reference answer solutions/NN-topic/kata.ts,
 *   which exports everything the stub does;
 * - every graded check fails against the committed stub (a check that passes on a stub grades
 *   nothing), and passes against the reference answer;
 * - every mutant solutions/NN-topic/mutants/NAME.ts (a classic mistake) is rejected by at least
 *   one check, and one failure message contains the mutant's `mistake.message`, so a learner who
 *   makes that mistake is told so in the lecture's terms.
 *
 * Every target (stubs, solutions, each mutant) is a vitest project with its own `kataTarget`
 * plugin, and all of them run in one vitest process across all cores.
 *
 * Usage: npm run verify:katas [-- [01 03-kaiming ...] [--verbose]]
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Mistake } from '../course/kata.ts'

// ---------------------------------------------------------------------------------------------
// What a run of one target gives, and what we conclude from it (pure, tested in verify-katas.test.ts)

export type CheckState = 'passed' | 'failed' | 'skipped' | 'pending'

/** One graded check (a vitest test) as it ran against one target. */
export interface CheckResult {
  readonly name: string
  readonly state: CheckState
  /** The failure messages, each error's `cause` included (fast-check puts the assertion there). */
  readonly messages: readonly string[]
}

/** The checks of one kata run against one target, and errors that stopped a test file loading. */
export interface RunResult {
  readonly checks: readonly CheckResult[]
  readonly loadErrors: readonly string[]
}

export const emptyRun: RunResult = { checks: [], loadErrors: [] }

export interface MutantReport {
  readonly name: string
  /** The mutant's `mistake` export, or why it could not be read. */
  readonly mistake: Mistake | { readonly error: string }
  readonly run: RunResult
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
}

export interface Verdict {
  readonly kata: string
  /** Checks the reference answer runs (skipped ones are not graded). */
  readonly graded: number
  /** Graded checks that fail against the stub: all of them, on a pristine checkout. */
  readonly stubFailures: number
  readonly solutionPasses: number
  readonly mutants: number
  /** Mutants rejected by a check whose message names the mistake. */
  readonly mutantsRejected: number
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

/** The hints of a hints.md: the bodies of its `## Hint 1`, `## Hint 2`, `## Hint 3` sections. */
export const parseHints = (markdown: string): { readonly hints: readonly string[] } | { readonly error: string } => {
  const lines = markdown.split(/\r?\n/)
  const sections: { n: number; body: string[] }[] = []
  for (const line of lines) {
    const heading = /^##\s+Hint\s+(\d+)\s*$/.exec(line)
    if (heading !== null) sections.push({ n: Number(heading[1]), body: [] })
    else if (/^##\s/.test(line) && sections.length > 0)
      return {
        error: `unexpected heading "${line.trim()}" after the hints: a hint section runs to the next "## Hint N"`,
      }
    else sections.at(-1)?.body.push(line)
  }
  const numbers = sections.map((s) => s.n)
  if (numbers.join(',') !== '1,2,3') {
    return {
      error: `needs three sections headed "## Hint 1", "## Hint 2", "## Hint 3" in that order, found ${numbers.length === 0 ? 'none' : numbers.map((n) => `"## Hint ${n}"`).join(', ')}`,
    }
  }
  const empty = sections.filter((s) => s.body.join('').trim() === '')
  if (empty.length > 0)
    return { error: `Hint ${empty.map((s) => s.n).join(', ')} ${empty.length === 1 ? 'is' : 'are'} empty` }
  return { hints: sections.map((s) => s.body.join('\n').trim()) }
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

  // the mutants: each rejected, with a message that names the mistake
  if (report.mutants.length < options.minMutants) {
    defects.push(
      `${report.mutants.length} mutant(s) in solutions/${kata}/mutants/, at least ${options.minMutants} wanted: nothing shows the checks reject a wrong answer`,
    )
  }
  let mutantsRejected = 0
  for (const m of report.mutants) {
    const where = `mutant ${m.name}`
    if ('error' in m.mistake) {
      defects.push(`${where}: ${m.mistake.error}`)
      continue
    }
    if (m.missingExports.length > 0)
      defects.push(
        `${where} does not export ${m.missingExports.join(', ')} (start it with export * from '../course/kata.ts')`,
      )
    const failed = m.run.checks.filter((c) => c.state === 'failed')
    const message = m.mistake.message
    const texts = [...failed.flatMap((c) => c.messages), ...m.run.loadErrors]
    if (failed.length === 0 && m.run.loadErrors.length === 0) {
      defects.push(`${where} is not rejected: every check passes on "${m.mistake.lecture}"`)
    } else if (!texts.some((t) => t.includes(message))) {
      defects.push(
        `${where} is rejected, but no failure message contains "${message}", so a learner making this mistake is not told what it is`,
      )
    } else {
      mutantsRejected += 1
    }
  }
  return {
    kata,
    graded: checks.length,
    stubFailures,
    solutionPasses: checks.length - solutionFailures.length,
    mutants: report.mutants.length,
    mutantsRejected,
    defects,
  }
}

/** The summary table, one row per kata. */
export const formatTable = (verdicts: readonly Verdict[]): string => {
  const header = ['kata', 'graded checks', 'fail on stubs', 'pass on solution', 'mutants rejected', '']
  const rows = verdicts.map((v) => [
    v.kata,
    String(v.graded),
    `${v.stubFailures}/${v.graded}`,
    `${v.solutionPasses}/${v.graded}`,
    `${v.mutantsRejected}/${v.mutants}`,
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
      ? `verify:katas: ${plural(verdicts.length, 'kata')} and ${plural(mutants, 'mutant')} verified in ${seconds.toFixed(1)} s`
      : [
          `verify:katas: ${defects.length} defect${defects.length === 1 ? '' : 's'} (${seconds.toFixed(1)} s)`,
          ...defects,
        ].join('\n'),
  ].join('\n')
}

/** Kata directory names among `entries`, in order: NN-topic, as the kata-target plugin accepts them. */
export const kataNames = (entries: readonly string[]): string[] =>
  entries.filter((e) => /^\d\d-[a-z0-9-]+$/.test(e)).sort()

/** The katas the command-line filters select: "3", "03", "03-kaiming" or a prefix of the name (none selects all). */
export const selectKatas = (katas: readonly string[], filters: readonly string[]): string[] => {
  if (filters.length === 0) return [...katas]
  const matches = (kata: string, filter: string): boolean => {
    const f = filter.trim().toLowerCase()
    return /^\d{1,2}$/.test(f) ? kata.startsWith(`${f.padStart(2, '0')}-`) : kata.startsWith(f)
  }
  return katas.filter((k) => filters.some((f) => matches(k, f)))
}

// ---------------------------------------------------------------------------------------------
// Effects: the file system, importing modules, running vitest

const root = resolve(import.meta.dirname, '..', '..')

const nonEmptyFile = (path: string): boolean =>
  existsSync(path) && statSync(path).isFile() && readFileSync(path, 'utf8').trim() !== ''

const exportNames = async (path: string): Promise<Set<string>> =>
  new Set(Object.keys(await import(pathToFileURL(path).href)))

const describeError = (e: unknown): string => (e instanceof Error ? e.message : String(e))

interface Target {
  readonly project: string
  readonly target: string
  readonly katas: readonly string[]
}

/** Every message of an error and of its causes. */
const errorTexts = (e: unknown): string[] => {
  if (typeof e !== 'object' || e === null) return [String(e)]
  const err = e as { message?: unknown; cause?: unknown }
  return [typeof err.message === 'string' ? err.message : '', ...(err.cause === undefined ? [] : errorTexts(err.cause))]
}

/** Runs each target's test files in one vitest process; results by project name, then kata. */
const runTargets = async (
  targets: readonly Target[],
  testTimeout: number,
): Promise<Map<string, Map<string, RunResult>>> => {
  const { createVitest } = await import('vitest/node')
  const { kataTarget } = await import('../../vitest.config.ts')
  const results = new Map<string, Map<string, RunResult>>()
  const vitest = await createVitest('test', {
    config: false,
    root,
    watch: false,
    reporters: [{}],
    // worker threads start faster than forked processes: about 40 % off the whole run
    pool: 'threads',
    // reusing a worker for the next file saves a start-up per file, and vitest only ever reuses one
    // within a project (one target), so no module of one target leaks into another's run
    isolate: false,
    maxWorkers: availableParallelism(),
    testTimeout,
    passWithNoTests: true,
    projects: targets.map((t) => ({
      plugins: [kataTarget(t.target)],
      test: { name: t.project, include: t.katas.map((k) => `katas/${k}/**/*.test.ts`), testTimeout, isolate: false },
    })),
  })
  try {
    const { testModules } = await vitest.start()
    for (const module of testModules) {
      const kata = /[\\/]katas[\\/](\d\d-[a-z0-9-]+)[\\/]/.exec(module.moduleId)?.[1]
      if (kata === undefined) continue
      const byKata = results.get(module.project.name) ?? new Map<string, RunResult>()
      results.set(module.project.name, byKata)
      const before = byKata.get(kata) ?? emptyRun
      const checks = [...module.children.allTests()].map((test): CheckResult => {
        const r = test.result()
        return { name: test.fullName, state: r.state, messages: (r.errors ?? []).flatMap(errorTexts) }
      })
      byKata.set(kata, {
        checks: [...before.checks, ...checks],
        loadErrors: [...before.loadErrors, ...module.errors().flatMap(errorTexts)],
      })
    }
  } finally {
    await vitest.close()
  }
  return results
}

const readMutant = async (
  kata: string,
  name: string,
  stubExports: Set<string>,
): Promise<Pick<MutantReport, 'mistake' | 'missingExports'>> => {
  try {
    const mod = (await import(pathToFileURL(join(root, 'solutions', kata, 'mutants', `${name}.ts`)).href)) as Record<
      string,
      unknown
    >
    const m = mod.mistake as Partial<Mistake> | undefined
    const missingExports = [...stubExports].filter((e) => !(e in mod))
    if (
      m === undefined ||
      typeof m.message !== 'string' ||
      m.message === '' ||
      typeof m.lecture !== 'string' ||
      m.lecture === ''
    ) {
      return {
        mistake: { error: 'exports no `mistake: Mistake` with a non-empty lecture and message' },
        missingExports,
      }
    }
    return { mistake: { lecture: m.lecture, message: m.message }, missingExports }
  } catch (e) {
    return { mistake: { error: `cannot be imported: ${describeError(e)}` }, missingExports: [] }
  }
}

const main = async (): Promise<number> => {
  const args = process.argv.slice(2)
  const verbose = args.includes('--verbose')
  const filters = args.filter((a) => !a.startsWith('--'))
  const all = kataNames(
    existsSync(join(root, 'katas'))
      ? readdirSync(join(root, 'katas')).filter((e) => statSync(join(root, 'katas', e)).isDirectory())
      : [],
  )
  const katas = selectKatas(all, filters)
  if (katas.length === 0) {
    console.error(
      filters.length === 0
        ? 'verify:katas: no katas/NN-topic directories found'
        : `verify:katas: no kata matches ${filters.join(' ')} (katas: ${all.join(', ')})`,
    )
    return 1
  }
  const started = performance.now()

  // the files and modules of each kata
  const prepared = await Promise.all(
    katas.map(async (kata) => {
      const dir = join(root, 'katas', kata),
        sol = join(root, 'solutions', kata)
      const needed = {
        [`katas/${kata}/README.md`]: join(dir, 'README.md'),
        [`katas/${kata}/kata.ts`]: join(dir, 'kata.ts'),
        [`katas/${kata}/kata.test.ts`]: join(dir, 'kata.test.ts'),
        [`katas/${kata}/hints.md`]: join(dir, 'hints.md'),
        [`solutions/${kata}/kata.ts`]: join(sol, 'kata.ts'),
      }
      const missingFiles = Object.entries(needed)
        .filter(([, p]) => !nonEmptyFile(p))
        .map(([name]) => name)
      const hints = nonEmptyFile(join(dir, 'hints.md'))
        ? parseHints(readFileSync(join(dir, 'hints.md'), 'utf8'))
        : undefined
      let stubExports = new Set<string>(),
        missingSolutionExports: string[] = []
      try {
        stubExports = await exportNames(join(dir, 'kata.ts'))
        if (nonEmptyFile(join(sol, 'kata.ts'))) {
          const solution = await exportNames(join(sol, 'kata.ts'))
          missingSolutionExports = [...stubExports].filter((e) => !solution.has(e))
        }
      } catch (e) {
        missingFiles.push(`a module that imports (${describeError(e)})`)
      }
      const mutantDir = join(sol, 'mutants')
      const files = existsSync(mutantDir)
        ? readdirSync(mutantDir)
            .filter((f) => f.endsWith('.ts'))
            .sort()
        : []
      const badNames = files.filter((f) => !/^[a-z0-9-]+\.ts$/.test(f))
      for (const f of badNames)
        missingFiles.push(
          `solutions/${kata}/mutants/${f} has a name KATA_TARGET cannot select (use a-z, 0-9 and -); a correctly named mutant`,
        )
      const mutants = await Promise.all(
        files
          .filter((f) => !badNames.includes(f))
          .map(async (f) => {
            const name = f.slice(0, -'.ts'.length)
            return { name, ...(await readMutant(kata, name, stubExports)) }
          }),
      )
      return {
        kata,
        missingFiles,
        hintsProblem: hints !== undefined && 'error' in hints ? hints.error : undefined,
        missingSolutionExports,
        mutants,
      }
    }),
  )

  // one vitest project per target
  const targets: Target[] = [
    { project: 'stubs', target: 'learner', katas },
    { project: 'solutions', target: 'solutions', katas },
    ...prepared.flatMap((p) =>
      p.mutants.map((m) => ({
        project: `mutant:${p.kata}/${m.name}`,
        target: `mutant:${p.kata}/${m.name}`,
        katas: [p.kata],
      })),
    ),
  ]
  process.stdout.write(
    `verify:katas: ${plural(katas.length, 'kata')}, ${plural(targets.length - 2, 'mutant')}: running ${targets.length} targets on ${availableParallelism()} cores...\n`,
  )
  const results = await runTargets(targets, 30_000)
  const runOf = (project: string, kata: string): RunResult => results.get(project)?.get(kata) ?? emptyRun

  const verdicts = prepared.map((p) =>
    judge({
      kata: p.kata,
      missingFiles: p.missingFiles,
      hintsProblem: p.hintsProblem,
      missingSolutionExports: p.missingSolutionExports,
      learner: runOf('stubs', p.kata),
      solution: runOf('solutions', p.kata),
      mutants: p.mutants.map((m) => ({ ...m, run: runOf(`mutant:${p.kata}/${m.name}`, p.kata) })),
    }),
  )

  if (verbose) {
    for (const p of prepared) {
      for (const m of p.mutants) {
        const run = runOf(`mutant:${p.kata}/${m.name}`, p.kata)
        const failed = run.checks.filter((c) => c.state === 'failed')
        console.log(
          `${p.kata}/${m.name}: rejected by ${failed.length} check(s)${'error' in m.mistake ? '' : `; message "${m.mistake.message}"`}`,
        )
        for (const c of failed) console.log(`    ✗ ${c.name}`)
      }
    }
    console.log('')
  }
  console.log(formatReport(verdicts, (performance.now() - started) / 1000))
  return verdicts.some((v) => v.defects.length > 0) ? 1 : 0
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error('verify:katas failed to run:', e)
      process.exit(2)
    },
  )
}

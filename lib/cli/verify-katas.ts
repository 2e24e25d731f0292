/**
 * `npm run verify:katas`: checks that every kata can do its job, on a pristine checkout (CI's).
 * `npm run verify:katas` first type-checks the whole project, the committed stubs included.
 *
 * For each katas/NN-topic/ it checks that
 * - the learner has what they need: README.md, hints.md with a `## functionName` section for every
 *   function of the stub, in its order, each with `### Hint 1` to `### Hint 3`, the stub kata.ts
 *   and its kata.test.ts, and the reference answer solutions/NN-topic/kata.ts, which exports
 *   everything the stub does;
 * - every graded check fails against the committed stub (a check that passes on a stub grades
 *   nothing), and passes against the reference answer;
 * - every mutant solutions/NN-topic/mutants/NAME.ts (a classic mistake) is rejected by at least
 *   one check, and one failure message contains the mutant's `mistake.message`, so a learner who
 *   makes that mistake is told so in the lecture's terms: both as an override of one function and
 *   as a whole learner file (lib/course/mutants.ts), where the answer's other functions call it.
 *
 * Every target is a vitest project run by lib/course/runner.ts, all in one vitest process.
 *
 * Usage: npm run verify:katas [-- [01 03-kaiming ...] [--verbose]]
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { listKatas, selectKatas, stubbedFunctions } from '../course/catalogue.ts'
import { hintsProblem as hintsFormatProblem, parseHints } from '../course/hints.ts'
import type { Mistake } from '../course/kata.ts'
import { wholeLearnerFile } from '../course/mutants.ts'
import { emptyRun, type RunResult, type RunResults, runChecks, type Target } from '../course/runner.ts'
import { formatReport, judge, type MutantReport, readmeLawCounts } from '../course/verify.ts'

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

const root = resolve(import.meta.dirname, '..', '..')

const nonEmptyFile = (path: string): boolean =>
  existsSync(path) && statSync(path).isFile() && readFileSync(path, 'utf8').trim() !== ''

const exportNames = async (path: string): Promise<Set<string>> =>
  new Set(Object.keys(await import(pathToFileURL(path).href)))

const describeError = (e: unknown): string => (e instanceof Error ? e.message : String(e))

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
  const all = listKatas(root)
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
      const stubFunctions = nonEmptyFile(join(dir, 'kata.ts'))
        ? stubbedFunctions(readFileSync(join(dir, 'kata.ts'), 'utf8'))
        : []
      const hintsProblem = nonEmptyFile(join(dir, 'hints.md'))
        ? hintsFormatProblem(parseHints(readFileSync(join(dir, 'hints.md'), 'utf8')), stubFunctions)
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
        hintsProblem,
        missingSolutionExports,
        mutants,
        stubFunctions,
      }
    }),
  )

  // each mutant also as a whole learner file, written beside the answer under a git-ignored name
  const wholeFiles: string[] = []
  const wholeErrors = new Map<string, string>()
  for (const p of prepared)
    for (const m of p.mutants) {
      const solutionPath = join(root, 'solutions', p.kata, 'kata.ts')
      const mutantPath = join(root, 'solutions', p.kata, 'mutants', `${m.name}.ts`)
      try {
        const { source } = wholeLearnerFile({
          solution: readFileSync(solutionPath, 'utf8'),
          solutionPath,
          mutant: readFileSync(mutantPath, 'utf8'),
          mutantPath,
        })
        const file = join(root, 'solutions', p.kata, `.whole-${m.name}.ts`)
        writeFileSync(file, source)
        wholeFiles.push(file)
      } catch (e) {
        wholeErrors.set(`${p.kata}/${m.name}`, describeError(e))
      }
    }

  // one vitest project per target
  const targets: Target[] = [
    { project: 'stubs', target: 'learner', katas },
    { project: 'solutions', target: 'solutions', katas },
    ...prepared.flatMap((p) =>
      p.mutants.flatMap((m) => [
        { project: `mutant:${p.kata}/${m.name}`, target: `mutant:${p.kata}/${m.name}`, katas: [p.kata] },
        ...(wholeErrors.has(`${p.kata}/${m.name}`)
          ? []
          : [{ project: `whole:${p.kata}/${m.name}`, target: `whole:${p.kata}/${m.name}`, katas: [p.kata] }]),
      ]),
    ),
  ]
  const mutantCount = prepared.reduce((n, p) => n + p.mutants.length, 0)
  process.stdout.write(
    `verify:katas: ${plural(katas.length, 'kata')}, ${plural(mutantCount, 'mutant')} (each as an override and as a whole learner file): running ${targets.length} targets on ${availableParallelism()} cores...\n`,
  )
  let results: RunResults['results']
  try {
    // reusing a worker for the next file saves a start-up per file; vitest reuses one only within a
    // project (one target), so no module of one target leaks into another's run
    results = (await runChecks(targets, { checkTimeoutSeconds: 30, isolate: false, stallSeconds: 300 })).results
  } finally {
    for (const f of wholeFiles) rmSync(f, { force: true })
  }
  const runOf = (project: string, kata: string): RunResult => results.get(project)?.get(kata) ?? emptyRun

  const readmeLaws = readmeLawCounts(
    existsSync(join(root, 'README.md')) ? readFileSync(join(root, 'README.md'), 'utf8') : '',
  )
  const verdicts = prepared.map((p) =>
    judge({
      kata: p.kata,
      functions: p.stubFunctions,
      readmeLaws: readmeLaws.get(p.kata),
      missingFiles: p.missingFiles,
      hintsProblem: p.hintsProblem,
      missingSolutionExports: p.missingSolutionExports,
      learner: runOf('stubs', p.kata),
      solution: runOf('solutions', p.kata),
      mutants: p.mutants.map((m) => {
        const error = wholeErrors.get(`${p.kata}/${m.name}`)
        return {
          ...m,
          run: runOf(`mutant:${p.kata}/${m.name}`, p.kata),
          whole: error === undefined ? runOf(`whole:${p.kata}/${m.name}`, p.kata) : { error },
        }
      }),
    }),
  )

  if (verbose) {
    for (const p of prepared) {
      for (const m of p.mutants) {
        for (const mode of ['mutant', 'whole']) {
          const run = runOf(`${mode}:${p.kata}/${m.name}`, p.kata)
          const failed = run.checks.filter((c) => c.state === 'failed')
          console.log(
            `${p.kata}/${m.name} (${mode === 'mutant' ? 'override' : 'whole file'}): rejected by ${failed.length} check(s)${'error' in m.mistake ? '' : `; message "${m.mistake.message}"`}`,
          )
          for (const c of failed) console.log(`    ✗ ${c.name}`)
        }
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

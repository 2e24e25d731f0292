/**
 * `npm run mutation [-- 04 ...] [--json]`: how much of each reference answer the kata's checks
 * pin down. StrykerJS mutates a copy of solutions/NN-topic/kata.ts (solutions/NN-topic/.whole-mutation.ts,
 * which `./kata.ts` resolves to in the kata's tests, vitest.mutation.config.ts) and runs the kata's
 * checks against each mutant; the reference laws' own import of solutions/NN-topic/kata.ts stays
 * the pristine answer, so a law compares the mutant against the answer. Mutants listed in
 * solutions/NN-topic/EQUIVALENT.md (or under `// Stryker disable`) are set aside as equivalent
 * (lib/course/mutation.ts); the score is over the others.
 *
 * `--rotate` mutates the kata of the day alone (day number since 1970, UTC, modulo the number of
 * katas), which is what CI runs: the whole run takes longer than a CI run should.
 *
 * Prints a table per kata (or, with --json, one JSON document) and writes Stryker's report of each
 * kata to reports/mutation/NN-topic/ (index.html, mutation.json). Fails (exit 1) when a kata scores
 * under BREAK or an EQUIVALENT.md entry is wrong.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Stryker } from '@stryker-mutator/core'
import { listKatas, selectKatas } from '../course/catalogue.ts'
import {
  applyEquivalents,
  describeSurvivor,
  formatScores,
  type KataScore,
  parseEquivalents,
  type ReportMutant,
  scoreOf,
  scoresJson,
} from '../course/mutation.ts'

const root = resolve(import.meta.dirname, '..', '..')

/** The lowest score a kata may have (Stryker's thresholds.break, applied to the score without the equivalent mutants). */
const BREAK = 95
const COPY = '.whole-mutation.ts'

interface Report {
  files: Record<string, { source: string; mutants: ReportMutant[] }>
  thresholds: { high: number; low: number; break?: number | null }
}

/** Stryker's HTML report page (mutation-testing-elements, as Stryker's html reporter writes it) for a report. */
const reportPage = (report: Report): string => {
  const script = readFileSync(
    createRequire(import.meta.url).resolve('mutation-testing-elements/dist/mutation-test-elements.js'),
    'utf8',
  )
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><script>${script}</script></head>
<body><mutation-test-report-app titlePostfix="Stryker"></mutation-test-report-app>
<script>document.querySelector('mutation-test-report-app').report = ${JSON.stringify(report).replace(/</g, '\\u003c')}</script>
</body></html>
`
}

/** Writes while Stryker runs go to stderr: stdout holds the table or the JSON document alone. */
const toStderr = <T>(run: () => Promise<T>): Promise<T> => {
  const write = process.stdout.write.bind(process.stdout)
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write
  return run().finally(() => {
    process.stdout.write = write
  })
}

const mutateKata = async (
  kata: string,
): Promise<{ score: KataScore; survivors: string[]; problems: string[]; seconds: number }> => {
  const started = performance.now()
  const dir = join(root, 'solutions', kata)
  const copy = join(dir, COPY)
  const out = join(root, 'reports', 'mutation', kata)
  const rawJson = join(out, 'stryker.json')
  mkdirSync(out, { recursive: true })
  copyFileSync(join(dir, 'kata.ts'), copy)
  process.env.MUTATION_KATA = kata
  try {
    await toStderr(() =>
      new Stryker({
        mutate: [`solutions/${kata}/${COPY}`],
        testRunner: 'vitest',
        vitest: { configFile: 'vitest.mutation.config.ts', related: false },
        plugins: ['@stryker-mutator/vitest-runner'],
        coverageAnalysis: 'perTest',
        // the copy and the tests under .stryker-tmp/, never the working tree
        inPlace: false,
        disableTypeChecks: false,
        concurrency: availableParallelism(),
        reporters: ['json'],
        jsonReporter: { fileName: rawJson },
        thresholds: { high: 100, low: BREAK, break: null },
        logLevel: 'warn',
        fileLogLevel: 'off',
        cleanTempDir: 'always',
        // Stryker's option types spell the log levels as an enum of these strings
      } as ConstructorParameters<typeof Stryker>[0]).runMutationTest(),
    )
  } finally {
    rmSync(copy, { force: true })
  }
  const report = JSON.parse(readFileSync(rawJson, 'utf8')) as Report
  rmSync(rawJson, { force: true })
  // the report speaks of the answer, not of its copy (the two are the same text)
  const shown = `solutions/${kata}/kata.ts`
  const file = Object.values(report.files)[0] ?? { source: '', mutants: [] }
  report.files = { [shown]: file }
  report.thresholds = { high: 100, low: BREAK, break: BREAK }
  const equivalentsPath = join(dir, 'EQUIVALENT.md')
  const parsed = existsSync(equivalentsPath)
    ? parseEquivalents(readFileSync(equivalentsPath, 'utf8'))
    : { entries: [], problems: [] }
  const problems = [
    ...parsed.problems.map((p) => `solutions/${kata}/${p}`),
    ...applyEquivalents(file.source, file.mutants, parsed.entries, `solutions/${kata}/EQUIVALENT.md`),
  ]
  writeFileSync(join(out, 'mutation.json'), JSON.stringify(report))
  writeFileSync(join(out, 'index.html'), reportPage(report))
  const survivors = file.mutants
    .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
    .map((m) => describeSurvivor(file.source, shown, m))
  return { score: scoreOf(kata, file.mutants), survivors, problems, seconds: (performance.now() - started) / 1000 }
}

const main = async (args: readonly string[]): Promise<number> => {
  const json = args.includes('--json')
  const filters = args.filter((a) => !a.startsWith('--'))
  const all = listKatas(root)
  // --rotate: the kata of the day (UTC), each in turn, for a CI run too short for all of them
  const day = Math.floor(Date.now() / 86_400_000)
  const katas = args.includes('--rotate') ? [all[day % all.length]].filter(Boolean) : selectKatas(all, filters)
  if (katas.length === 0) {
    console.error(`mutation: no kata matches ${filters.join(' ')} (katas: ${all.join(', ')})`)
    return 2
  }
  // Ctrl-C: Stryker ends its test runners; the copy goes with this process
  const removeCopies = () => {
    for (const k of katas) rmSync(join(root, 'solutions', k, COPY), { force: true })
  }
  process.on('exit', removeCopies)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1)))
  const started = performance.now()
  const scores: KataScore[] = [],
    problems: string[] = []
  for (const kata of katas) {
    const r = await mutateKata(kata)
    scores.push(r.score)
    problems.push(...r.problems)
    const low = r.score.score < BREAK ? `, under ${BREAK}` : ''
    process.stderr.write(
      `mutation: ${kata}: ${r.score.score.toFixed(2)} (${r.score.mutants} mutants, ${r.seconds.toFixed(0)} s${low}); report in reports/mutation/${kata}/index.html\n`,
    )
    for (const s of r.survivors) process.stderr.write(`  survived: ${s}\n`)
  }
  if (json) process.stdout.write(`${scoresJson(scores)}\n`)
  else process.stdout.write(`${formatScores(scores)}\n`)
  for (const p of problems) process.stderr.write(`mutation: ${p}\n`)
  const under = scores.filter((s) => s.score < BREAK)
  for (const s of under) process.stderr.write(`mutation: ${s.kata} scores ${s.score.toFixed(2)}, under ${BREAK}\n`)
  process.stderr.write(`mutation: ${katas.length} kata(s) in ${((performance.now() - started) / 1000).toFixed(0)} s\n`)
  return under.length > 0 || problems.length > 0 ? 1 : 0
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error('mutation failed to run:', e)
      process.exit(2)
    },
  )
}

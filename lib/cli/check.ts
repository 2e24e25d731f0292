/**
 * `npm run check -- 01`: the kata screen once (the kata's progress, the functions still to write,
 * the next one and its first failing check, or its type error), then exit 0 when the kata is done
 * and 1 when it is not: for scripts, editors and CI. Without a kata, the one the learner is on.
 *
 * Usage: npm run check [-- [KATA] [--all]]
 */
import { pathToFileURL } from 'node:url'
import { describeKatas, listKatas, resolveKata } from '../course/catalogue.ts'
import { stopWhenTold } from '../engine/stop.ts'
import { EXIT } from '../course/errors.ts'
import { kataScreen, terminalWidth } from '../course/screen.ts'
import {
  currentKata,
  declarationOf,
  missingKataFile,
  kataFunctions,
  type LearnerRuns,
  projectRoot,
  runLearnerKatas,
} from '../course/session.ts'
import { formatFullRun } from '../course/full.ts'
import { scoreKata } from '../course/score.ts'

export const checkUsage = `usage: npm run check [-- [KATA] [--all]]

Runs one kata's checks against your katas/KATA/kata.ts and shows what to do next; exits 0 when the
kata is done, 1 when it is not.

  KATA     a number (03) or a name (03-kaiming); default the kata you are on
  --all    every failing check in full, not only the next one
  --help   this text`

/** The arguments of check and watch: at most one kata, --all. */
export const parseKataArgs = (
  argv: readonly string[],
  katas: readonly string[],
):
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly code: number; readonly message: string }
  | { readonly kind: 'run'; readonly kata?: string; readonly all: boolean } => {
  if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help' }
  const bad = argv.find((a) => a.startsWith('-') && a !== '--all')
  if (bad !== undefined) return { kind: 'error', code: EXIT.usage, message: `unknown option '${bad}'` }
  const names = argv.filter((a) => !a.startsWith('-'))
  if (names.length > 1)
    return { kind: 'error', code: EXIT.usage, message: `one kata at a time, got ${names.join(' ')}` }
  const all = argv.includes('--all')
  if (names.length === 0) return { kind: 'run', all }
  const kata = resolveKata(katas, names[0])
  if (kata === undefined)
    return { kind: 'error', code: EXIT.noSuchKata, message: `there is no kata '${names[0]}'; ${describeKatas(katas)}` }
  return { kind: 'run', kata, all }
}

const main = async (argv: readonly string[]): Promise<number> => {
  const katas = listKatas(projectRoot)
  const parsed = parseKataArgs(argv, katas)
  if (parsed.kind === 'help') {
    console.log(checkUsage)
    return EXIT.ok
  }
  if (parsed.kind === 'error') {
    console.error(`check: ${parsed.message}${parsed.code === EXIT.usage ? `\n\n${checkUsage}` : ''}`)
    return parsed.code
  }
  const stallSeconds = Number(process.env.KATA_STALL_SECONDS ?? 90)
  let kata = parsed.kata
  let runs: LearnerRuns | undefined
  if (kata === undefined) {
    const current = await currentKata(projectRoot, { stallSeconds })
    if (current.kata === undefined) {
      console.log('Every kata is done. `npm run grade` shows the scoreboard.')
      return EXIT.ok
    }
    kata = current.kata
    runs = current.runs
  }
  const missing = missingKataFile(projectRoot, kata)
  if (missing !== undefined) {
    console.error(`check: ${missing}`)
    return EXIT.noSuchKata
  }
  const found = runs?.runs.find((r) => r.kata === kata)
  const run = found ?? (await runLearnerKatas([kata], { stallSeconds })).runs[0]
  const nextKata = katas[katas.indexOf(kata) + 1]
  const screen = kataScreen({
    run,
    functions: kataFunctions(projectRoot, kata),
    declared: declarationOf(projectRoot, kata),
    width: terminalWidth(process.stdout.columns),
    ...(nextKata ? { nextKata } : {}),
  })
  console.log(parsed.all ? formatFullRun(run) : screen.text)
  if (run.stalled === true) return EXIT.stalled
  const score = scoreKata(run)
  if (score.status === 'done') return EXIT.ok
  if (run.loadErrors.length > 0 && score.status !== 'not started') return EXIT.doesNotLoad
  return EXIT.notDone
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // a signal, to npm's process or to this one (or npm gone), stops the run and its worker threads
  stopWhenTold((why, status) => {
    process.stderr.write(`\ncheck: stopped (${why}).\n`)
    process.exit(status)
  })
}
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error('check: could not run the checks:', e instanceof Error ? e.message : e)
      process.exit(EXIT.internal)
    },
  )
}

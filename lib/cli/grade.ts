/**
 * `npm run grade`: the learner's scoreboard. Runs every kata's checks against the learner's own
 * files (katas/NN-topic/kata.ts) and type-checks them, then shows, per kata, the checks passed out
 * of the total and whether it is not started, in progress or done, then the kata to do next. A
 * kata whose code never returns is marked and the others are still scored.
 *
 * Usage: npm run grade [-- [--json] [01 03-kaiming ...]]
 */
import { pathToFileURL } from 'node:url'
import * as E from 'fp-ts/Either'
import type { Either } from 'fp-ts/Either'
import { describeKatas, listKatas, resolveKata } from '../course/catalogue.ts'
import { stopWhenTold } from '../engine/stop.ts'
import { EXIT } from '../course/errors.ts'
import { formatScoreboard, scoreboard, scoreboardJson } from '../course/score.ts'
import { missingKataFile, projectRoot, runLearnerKatas } from '../course/session.ts'

export const gradeUsage = `usage: npm run grade [-- [--json] [KATA ...]]

Runs each kata's tests against your own code in katas/ and shows the scoreboard.

  KATA      only these katas: a number (03) or a name (03-kaiming); default all
  --json    print the scoreboard as one JSON object, for machines
  --help    this text`

export interface GradeOptions {
  readonly json: boolean
  readonly katas: readonly string[]
}

/** Parses `npm run grade` arguments against the katas there are; Left is the message to print above the usage. */
export const parseGradeArgs = (
  argv: readonly string[],
  katas: readonly string[],
): Either<string, { readonly kind: 'help' } | { readonly kind: 'run'; readonly options: GradeOptions }> => {
  let json = false
  const chosen: string[] = []
  for (const a of argv) {
    if (a === '--help' || a === '-h') return E.right({ kind: 'help' })
    if (a === '--json') {
      json = true
      continue
    }
    if (a.startsWith('-')) return E.left(`unknown option '${a}'`)
    const kata = resolveKata(katas, a)
    if (kata === undefined) return E.left(`no kata '${a}'; ${describeKatas(katas)}`)
    if (!chosen.includes(kata)) chosen.push(kata)
  }
  return E.right({
    kind: 'run',
    options: { json, katas: chosen.length === 0 ? [...katas] : katas.filter((k) => chosen.includes(k)) },
  })
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** Why grade could not run, as the one JSON document `--json` promises. */
const errorJson = (message: string): string => JSON.stringify({ error: message })

const main = async (argv: readonly string[], stallSeconds: number): Promise<number> => {
  const katas = listKatas(projectRoot)
  const json = argv.includes('--json')
  const parsed = parseGradeArgs(argv, katas)
  if (E.isLeft(parsed)) {
    if (json) console.log(errorJson(parsed.left))
    console.error(`grade: ${parsed.left}\n\n${gradeUsage}`)
    return parsed.left.startsWith('no kata') ? EXIT.noSuchKata : EXIT.usage
  }
  if (parsed.right.kind === 'help') {
    console.log(gradeUsage)
    return EXIT.ok
  }
  const chosen = parsed.right.options.katas
  if (chosen.length === 0) {
    if (json) console.log(errorJson('no katas found in katas/'))
    console.error('grade: no katas found in katas/')
    return EXIT.noSuchKata
  }
  if (!json) process.stderr.write(`grading ${plural(chosen.length, 'kata')} against your code in katas/ ...\n`)
  // a kata whose own file is missing is named and left out; the others are still scored
  const missing = chosen.flatMap((k) => missingKataFile(projectRoot, k) ?? [])
  const present = chosen.filter((k) => missingKataFile(projectRoot, k) === undefined)
  const { runs, stalled } =
    present.length === 0 ? { runs: [], stalled: [] } : await runLearnerKatas(present, { stallSeconds })
  const board = scoreboard(runs)
  if (present.length > 0 || json)
    console.log(json ? scoreboardJson(board) : formatScoreboard(board, { courseSize: katas.length }))
  if (missing.length > 0) {
    for (const m of missing) console.error(`grade: ${m}`)
    return EXIT.noSuchKata
  }
  if (stalled.length > 0) {
    console.error(
      `grade: ${stalled.map((k) => `katas/${k}/kata.ts`).join(', ')} stopped making progress for ${stallSeconds} s and ${stalled.length === 1 ? 'was' : 'were'} stopped: look for a loop whose condition never changes.`,
    )
    return EXIT.stalled
  }
  return board.next === undefined ? EXIT.ok : EXIT.notDone
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // a signal, to npm's process or to this one (or npm gone), stops the run and its worker threads
  stopWhenTold((why, status) => {
    process.stderr.write(`\ngrade: stopped (${why}).\n`)
    process.exit(status)
  })
}
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2)
  main(argv, Number(process.env.KATA_STALL_SECONDS ?? 90)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      const message = `could not run the tests: ${e instanceof Error ? e.message : String(e)}`
      if (argv.includes('--json')) console.log(errorJson(message))
      console.error(`grade: ${message}`)
      process.exit(EXIT.internal)
    },
  )
}

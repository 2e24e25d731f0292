/**
 * `npm run hint -- 01 crossEntropy`: the next hint for one function of a kata (a nudge, then the
 * method, then nearly the answer, for that function alone). `npm run hint -- 01` picks the
 * function the learner is on: the first still a stub, or, when all are written, the one the first
 * failing check blames. Which hints were shown is remembered in `.kata-hints.json` at the
 * repository root (git-ignored), so the next call shows the next one.
 *
 * Usage: npm run hint -- KATA [FUNCTION] | npm run hint -- --reset [KATA]
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import * as E from 'fp-ts/Either'
import type { Either } from 'fp-ts/Either'
import { writeFileAtomic } from '../engine/files.ts'
import { describeKatas, kataNumber, listKatas, resolveKata } from '../course/catalogue.ts'
import { stopWhenTold } from '../engine/stop.ts'
import { EXIT } from '../course/errors.ts'
import { formatHintState, formatOutcome, nextHint, parseHints, parseHintState, resetHints } from '../course/hints.ts'
import type { HintState } from '../course/hints.ts'
import { kataScreen } from '../course/screen.ts'
import { missingKataFile, projectRoot as root, runLearnerKatas, stubbedIn } from '../course/session.ts'

export const hintUsage = `usage: npm run hint -- KATA [FUNCTION]   the next hint for a function (default: the one you are on)
       npm run hint -- --reset [KATA]     start the hints over, for one kata or for all

  KATA      a number (03) or a name (03-kaiming)
  FUNCTION  one of the kata's functions; default the one you are on
  --reset   start the hints over (for KATA, or for every kata)
  --help    this text`

export type HintCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'hint'; readonly kata: string; readonly fn?: string }
  | { readonly kind: 'reset'; readonly kata?: string }

/** Parses `npm run hint` arguments. Left: a usage error (exit 2) or an unknown kata (exit 3), with the message. */
export const parseHintArgs = (
  argv: readonly string[],
  katas: readonly string[],
): Either<{ readonly code: number; readonly message: string }, HintCommand> => {
  if (argv.includes('--help') || argv.includes('-h')) return E.right({ kind: 'help' })
  const flags = argv.filter((a) => a.startsWith('-'))
  const names = argv.filter((a) => !a.startsWith('-'))
  const bad = flags.find((f) => f !== '--reset')
  if (bad !== undefined) return E.left({ code: EXIT.usage, message: `unknown option '${bad}'` })
  const reset = flags.includes('--reset')
  if (names.length > (reset ? 1 : 2))
    return E.left({ code: EXIT.usage, message: `one kata (and one function) at a time, got ${names.join(' ')}` })
  if (names.length === 0)
    return reset
      ? E.right({ kind: 'reset' })
      : E.left({ code: EXIT.usage, message: `which kata? ${describeKatas(katas)}` })
  const kata = resolveKata(katas, names[0])
  if (kata === undefined)
    return E.left({ code: EXIT.noSuchKata, message: `there is no kata '${names[0]}'; ${describeKatas(katas)}` })
  if (reset) return E.right({ kind: 'reset', kata })
  return E.right(names[1] === undefined ? { kind: 'hint', kata } : { kind: 'hint', kata, fn: names[1] })
}

const stateFile = join(root, '.kata-hints.json')

const readState = (): HintState => (existsSync(stateFile) ? parseHintState(readFileSync(stateFile, 'utf8')) : {})

/** The function the learner is on: the first stub in the kata's order, else the one the first failing check blames. */
const currentFunction = async (kata: string, functions: readonly string[]): Promise<string | undefined> => {
  const stubbed = stubbedIn(root, kata) ?? []
  const first = functions.find((f) => stubbed.includes(f))
  if (first !== undefined) return first
  process.stderr.write(`hint: running the checks of ${kata} to find the function you are on ...\n`)
  const { runs } = await runLearnerKatas([kata], { stallSeconds: Number(process.env.KATA_STALL_SECONDS ?? 90) })
  return kataScreen({ run: runs[0], functions }).next
}

const main = async (): Promise<number> => {
  const katas = listKatas(root)
  const parsed = parseHintArgs(process.argv.slice(2), katas)
  if (E.isLeft(parsed)) {
    console.error(`hint: ${parsed.left.message}${parsed.left.code === EXIT.usage ? `\n\n${hintUsage}` : ''}`)
    return parsed.left.code
  }
  const command = parsed.right
  if (command.kind === 'help') {
    console.log(hintUsage)
    return EXIT.ok
  }
  if (command.kind === 'reset') {
    writeFileAtomic(stateFile, formatHintState(resetHints(readState(), command.kata)))
    console.log(
      command.kata === undefined
        ? 'Hints start over for every kata.'
        : `Hints for ${command.kata} start over: npm run hint -- ${kataNumber(command.kata)}`,
    )
    return EXIT.ok
  }
  const missing = missingKataFile(root, command.kata)
  if (missing !== undefined) {
    console.error(`hint: ${missing}`)
    return EXIT.noSuchKata
  }
  const file = join(root, 'katas', command.kata, 'hints.md')
  if (!existsSync(file)) {
    console.error(`hint: katas/${command.kata}/hints.md is missing`)
    return EXIT.noSuchKata
  }
  const hints = parseHints(readFileSync(file, 'utf8'))
  if ('error' in hints) {
    console.error(`hint: katas/${command.kata}/hints.md ${hints.error}`)
    return EXIT.internal
  }
  const functions = hints.functions.map((f) => f.fn)
  const fn = command.fn ?? (await currentFunction(command.kata, functions))
  if (fn === undefined) {
    console.log(
      `Every check of ${command.kata} passes: no hint needed. \`npm run hint -- ${kataNumber(command.kata)} FUNCTION\` still shows one.`,
    )
    return EXIT.ok
  }
  const section = hints.functions.find((f) => f.fn.toLowerCase() === fn.toLowerCase())
  if (section === undefined) {
    console.error(
      `hint: ${command.kata} has no function '${fn}'; its functions are:\n${functions.map((f) => `  ${f}`).join('\n')}`,
    )
    return EXIT.usage
  }
  const outcome = nextHint(readState(), command.kata, section.fn, section.hints)
  if (outcome.kind === 'hint') writeFileAtomic(stateFile, formatHintState(outcome.state))
  console.log(formatOutcome(outcome))
  return EXIT.ok
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // a signal, to npm's process or to this one (or npm gone), stops the run and its worker threads
  stopWhenTold((why, status) => {
    process.stderr.write(`\nhint: stopped (${why}).\n`)
    process.exit(status)
  })
}
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error('hint: failed:', e instanceof Error ? e.message : e)
      process.exit(EXIT.internal)
    },
  )

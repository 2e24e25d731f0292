/**
 * `npm run hint -- 03`: the next hint of a kata, one at a time (a nudge, then the method, then
 * nearly the answer). Which hints were shown is remembered in `.kata-hints.json` at the repository
 * root (git-ignored), so the next call shows the next one.
 *
 * Usage: npm run hint -- KATA | npm run hint -- --reset [KATA]
 *
 * Choosing the hint, forgetting and the messages are pure and tested in hint.test.ts; reading
 * hints.md and the state file sit at the end.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import * as E from 'fp-ts/Either'
import type { Either } from 'fp-ts/Either'
import { writeFileAtomic } from '../engine/files.ts'
import { describeKatas, listKatas, resolveKata } from './grade.ts'
import { parseHints } from './verify-katas.ts'

/** How many hints of each kata were shown, by kata name. */
export type HintState = Readonly<Record<string, number>>

export type HintOutcome =
  | {
      readonly kind: 'hint'
      readonly kata: string
      readonly number: number
      readonly total: number
      readonly text: string
      readonly state: HintState
    }
  | { readonly kind: 'all-shown'; readonly kata: string; readonly total: number }

/** The next hint of `kata` after those `state` says were shown, and the state that remembers it. */
export const nextHint = (state: HintState, kata: string, hints: readonly string[]): HintOutcome => {
  const shown = Math.max(0, Math.min(hints.length, state[kata] ?? 0))
  if (shown >= hints.length) return { kind: 'all-shown', kata, total: hints.length }
  return {
    kind: 'hint',
    kata,
    number: shown + 1,
    total: hints.length,
    text: hints[shown],
    state: { ...state, [kata]: shown + 1 },
  }
}

/** Forgets the hints shown for one kata, or for all of them. */
export const resetHints = (state: HintState, kata?: string): HintState => {
  if (kata === undefined) return {}
  const { [kata]: _, ...rest } = state
  return rest
}

/** Reads the state file's text; anything that is not a record of counts is treated as empty. */
export const parseHintState = (text: string): HintState => {
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {}
    return Object.fromEntries(
      Object.entries(value).filter(
        ([k, v]) => /^\d\d-[a-z0-9-]+$/.test(k) && Number.isInteger(v) && (v as number) >= 0,
      ),
    ) as HintState
  } catch {
    return {}
  }
}

export const formatHintState = (state: HintState): string => `${JSON.stringify(state, Object.keys(state).sort(), 2)}\n`

const number = (kata: string): string => kata.slice(0, 2)

/** What the learner reads. */
export const formatOutcome = (o: HintOutcome): string => {
  if (o.kind === 'all-shown') {
    return [
      `You have seen all ${o.total} hints for ${o.kata}.`,
      `Read them again in katas/${o.kata}/hints.md, or run \`npm run hint -- --reset ${number(o.kata)}\` to step through them from the start.`,
      `Still stuck? The reference answers are in solutions/${o.kata}/kata.ts: compare, then write your own.`,
    ].join('\n')
  }
  const left = o.total - o.number
  const after =
    left === 0
      ? 'That was the last hint.'
      : `${left === 1 ? 'One more hint' : `${left} more hints`} if you need ${left === 1 ? 'it' : 'them'}: npm run hint -- ${number(o.kata)}`
  return `${o.kata}: hint ${o.number} of ${o.total}\n\n${o.text}\n\n${after}`
}

export const hintUsage = `usage: npm run hint -- KATA            the next hint of a kata (03 or 03-kaiming)
       npm run hint -- --reset [KATA]  start the hints over, for one kata or for all`

export type HintCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'hint'; readonly kata: string }
  | { readonly kind: 'reset'; readonly kata?: string }

/**
 * Parses `npm run hint` arguments. Left: a usage error (exit 2) or an unknown kata (exit 1),
 * with the message to print.
 */
export const parseHintArgs = (
  argv: readonly string[],
  katas: readonly string[],
): Either<{ readonly code: 1 | 2; readonly message: string }, HintCommand> => {
  if (argv.includes('--help') || argv.includes('-h')) return E.right({ kind: 'help' })
  const flags = argv.filter((a) => a.startsWith('-'))
  const names = argv.filter((a) => !a.startsWith('-'))
  const bad = flags.find((f) => f !== '--reset')
  if (bad !== undefined) return E.left({ code: 2, message: `unknown option '${bad}'` })
  if (names.length > 1) return E.left({ code: 2, message: `one kata at a time, got ${names.join(' ')}` })
  const reset = flags.includes('--reset')
  if (names.length === 0)
    return reset ? E.right({ kind: 'reset' }) : E.left({ code: 2, message: `which kata? ${describeKatas(katas)}` })
  const kata = resolveKata(katas, names[0])
  if (kata === undefined) return E.left({ code: 1, message: `there is no kata '${names[0]}'; ${describeKatas(katas)}` })
  return E.right(reset ? { kind: 'reset', kata } : { kind: 'hint', kata })
}

// ---------------------------------------------------------------------------------------------
// Effects: hints.md and the state file

const root = resolve(import.meta.dirname, '..', '..')
const stateFile = join(root, '.kata-hints.json')

const readState = (): HintState => (existsSync(stateFile) ? parseHintState(readFileSync(stateFile, 'utf8')) : {})

const main = (): number => {
  const katas = listKatas(root)
  const parsed = parseHintArgs(process.argv.slice(2), katas)
  if (E.isLeft(parsed)) {
    console.error(`hint: ${parsed.left.message}${parsed.left.code === 2 ? `\n\n${hintUsage}` : ''}`)
    return parsed.left.code
  }
  const command = parsed.right
  if (command.kind === 'help') {
    console.log(hintUsage)
    return 0
  }
  if (command.kind === 'reset') {
    writeFileAtomic(stateFile, formatHintState(resetHints(readState(), command.kata)))
    console.log(
      command.kata === undefined
        ? 'Hints start over for every kata.'
        : `Hints for ${command.kata} start over: npm run hint -- ${number(command.kata)}`,
    )
    return 0
  }
  const file = join(root, 'katas', command.kata, 'hints.md')
  if (!existsSync(file)) {
    console.error(`hint: ${command.kata} has no hints.md`)
    return 1
  }
  const hints = parseHints(readFileSync(file, 'utf8'))
  if ('error' in hints) {
    console.error(`hint: katas/${command.kata}/hints.md ${hints.error}`)
    return 1
  }
  const outcome = nextHint(readState(), command.kata, hints.hints)
  if (outcome.kind === 'hint') writeFileAtomic(stateFile, formatHintState(outcome.state))
  console.log(formatOutcome(outcome))
  return 0
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exit(main())

/**
 * The hints of a kata, per function: katas/NN-topic/hints.md has one `## functionName` section per
 * function the learner writes, in the kata's order, each with `### Hint 1` (a nudge), `### Hint 2`
 * (the method) and `### Hint 3` (nearly the answer, for that function alone). `npm run hint`
 * shows them one at a time and remembers which were shown in `.kata-hints.json` (pure; tested in
 * hints.test.ts).
 */
import { kataNumber } from '../report/parts/table.ts'

export interface FunctionHints {
  readonly fn: string
  readonly hints: readonly string[]
}

/** The sections of a hints.md, or what is wrong with its format. */
export const parseHints = (
  markdown: string,
): { readonly functions: readonly FunctionHints[] } | { readonly error: string } => {
  const sections: { fn: string; hints: { n: number; body: string[] }[] }[] = []
  let lineNo = 0
  for (const line of markdown.split(/\r?\n/)) {
    lineNo += 1
    const fn = /^##\s+(\S+)\s*$/.exec(line)
    const hint = /^###\s+Hint\s+(\d+)\s*$/.exec(line)
    if (fn !== null) {
      if (!/^[A-Za-z_$][\w$]*$/.test(fn[1]))
        return { error: `line ${lineNo}: "${line.trim()}" should be "## functionName", a function of the kata` }
      sections.push({ fn: fn[1], hints: [] })
    } else if (hint !== null) {
      const section = sections.at(-1)
      if (section === undefined) return { error: `line ${lineNo}: "${line.trim()}" comes before any "## functionName"` }
      section.hints.push({ n: Number(hint[1]), body: [] })
    } else if (/^#{2,}\s/.test(line)) {
      return { error: `line ${lineNo}: unexpected heading "${line.trim()}": use "## functionName" and "### Hint N"` }
    } else sections.at(-1)?.hints.at(-1)?.body.push(line)
  }
  if (sections.length === 0) return { error: 'has no "## functionName" sections' }
  for (const s of sections) {
    const numbers = s.hints.map((h) => h.n).join(',')
    if (numbers !== '1,2,3')
      return {
        error: `## ${s.fn} needs "### Hint 1", "### Hint 2", "### Hint 3" in that order, found ${s.hints.length === 0 ? 'none' : s.hints.map((h) => `"### Hint ${h.n}"`).join(', ')}`,
      }
    const empty = s.hints.filter((h) => h.body.join('').trim() === '')
    if (empty.length > 0) return { error: `## ${s.fn}: Hint ${empty.map((h) => h.n).join(', ')} empty` }
  }
  const seen = new Set<string>()
  for (const s of sections) {
    if (seen.has(s.fn)) return { error: `## ${s.fn} appears twice` }
    seen.add(s.fn)
  }
  return { functions: sections.map((s) => ({ fn: s.fn, hints: s.hints.map((h) => h.body.join('\n').trim()) })) }
}

/** What is wrong with a kata's hints against the functions its stub asks for (in order), if anything. */
export const hintsProblem = (
  parsed: ReturnType<typeof parseHints>,
  functions: readonly string[],
): string | undefined => {
  if ('error' in parsed) return parsed.error
  const have = parsed.functions.map((f) => f.fn)
  const missing = functions.filter((f) => !have.includes(f))
  if (missing.length > 0) return `no hints for ${missing.join(', ')}`
  const extra = have.filter((f) => !functions.includes(f))
  if (extra.length > 0) return `hints for ${extra.join(', ')}, which the stub does not ask for`
  if (have.join(',') !== functions.join(','))
    return `the sections should follow the kata's order: ${functions.join(', ')}`
  return undefined
}

/** How many hints were shown, by "NN-topic/functionName". */
export type HintState = Readonly<Record<string, number>>

export const hintKey = (kata: string, fn: string): string => `${kata}/${fn}`

export type HintOutcome =
  | {
      readonly kind: 'hint'
      readonly kata: string
      readonly fn: string
      readonly number: number
      readonly total: number
      readonly text: string
      readonly state: HintState
    }
  | { readonly kind: 'all-shown'; readonly kata: string; readonly fn: string; readonly total: number }

/** The next hint for `fn` after those `state` says were shown, and the state that remembers it. */
export const nextHint = (state: HintState, kata: string, fn: string, hints: readonly string[]): HintOutcome => {
  const key = hintKey(kata, fn)
  const shown = Math.max(0, Math.min(hints.length, state[key] ?? 0))
  if (shown >= hints.length) return { kind: 'all-shown', kata, fn, total: hints.length }
  return {
    kind: 'hint',
    kata,
    fn,
    number: shown + 1,
    total: hints.length,
    text: hints[shown],
    state: { ...state, [key]: shown + 1 },
  }
}

/** Forgets the hints shown for one kata (every function of it), or for all of them. */
export const resetHints = (state: HintState, kata?: string): HintState => {
  if (kata === undefined) return {}
  return Object.fromEntries(Object.entries(state).filter(([k]) => k !== kata && !k.startsWith(`${kata}/`)))
}

/** Reads the state file's text; anything that is not a record of counts is treated as empty. */
export const parseHintState = (text: string): HintState => {
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {}
    return Object.fromEntries(
      Object.entries(value).filter(
        ([k, v]) => /^\d\d-[a-z0-9-]+\/[A-Za-z_$][\w$]*$/.test(k) && Number.isInteger(v) && (v as number) >= 0,
      ),
    ) as HintState
  } catch {
    return {}
  }
}

export const formatHintState = (state: HintState): string => `${JSON.stringify(state, Object.keys(state).sort(), 2)}\n`

/** What the learner reads. */
export const formatOutcome = (o: HintOutcome): string => {
  const n = kataNumber(o.kata)
  if (o.kind === 'all-shown') {
    return [
      `You have seen all ${o.total} hints for ${o.fn} (${o.kata}).`,
      `Read them again in katas/${o.kata}/hints.md, or run \`npm run hint -- --reset ${n}\` to step through them from the start.`,
      `Still stuck? The reference answers are in solutions/${o.kata}/kata.ts: compare, then write your own.`,
    ].join('\n')
  }
  const left = o.total - o.number
  const after =
    left === 0
      ? `That was the last hint for ${o.fn}.`
      : `${left === 1 ? 'One more hint' : `${left} more hints`} if you need ${left === 1 ? 'it' : 'them'}: npm run hint -- ${n} ${o.fn}`
  return `${o.kata} ${o.fn}: hint ${o.number} of ${o.total}\n\n${o.text}\n\n${after}`
}

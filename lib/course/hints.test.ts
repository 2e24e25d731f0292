import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  formatHintState,
  formatOutcome,
  hintsProblem,
  nextHint,
  parseHints,
  parseHintState,
  resetHints,
  type HintState,
} from './hints.ts'

const hints = ['nudge', 'method', 'near-answer']
const section = (fn: string, ...bodies: string[]) =>
  `## ${fn}\n\n${bodies.map((b, i) => `### Hint ${i + 1}\n\n${b}\n`).join('\n')}`

describe('parseHints: one section per function, three hints each', () => {
  it('reads "## functionName" sections with "### Hint 1" to "### Hint 3"; a title and intro before them are allowed', () => {
    const md = `# Hints for kata 01\n\nOne function at a time.\n\n${section('softmax', 'nudge', 'method', '```ts\ncode\n```')}\n${section('crossEntropy', 'a', 'b', 'c')}`
    expect(parseHints(md)).toEqual({
      functions: [
        { fn: 'softmax', hints: ['nudge', 'method', '```ts\ncode\n```'] },
        { fn: 'crossEntropy', hints: ['a', 'b', 'c'] },
      ],
    })
  })
  it('missing, out of order or empty hints, and stray headings, are errors that say what and where', () => {
    expect(parseHints(section('f', 'a', 'b'))).toMatchObject({
      error: expect.stringContaining('## f needs "### Hint 1", "### Hint 2", "### Hint 3" in that order'),
    })
    expect(parseHints('## f\n### Hint 2\na\n### Hint 1\nb\n### Hint 3\nc')).toHaveProperty('error')
    expect(parseHints(section('f', 'a', '', 'c'))).toEqual({ error: '## f: Hint 2 empty' })
    expect(parseHints('no hints here')).toEqual({ error: 'has no "## functionName" sections' })
    expect(parseHints(`${section('f', 'a', 'b', 'c')}\n#### Notes\nd`)).toMatchObject({
      error: expect.stringMatching(/^line \d+: unexpected heading "#### Notes"/),
    })
    expect(parseHints('## Hint 1\na')).toMatchObject({ error: expect.stringContaining('"## functionName"') })
    expect(parseHints(`${section('f', 'a', 'b', 'c')}\n${section('f', 'a', 'b', 'c')}`)).toEqual({
      error: '## f appears twice',
    })
  })
  it("the sections must be the stub's functions, each once, in the kata's order", () => {
    const md = parseHints(`${section('a', '1', '2', '3')}\n${section('b', '1', '2', '3')}`)
    expect(hintsProblem(md, ['a', 'b'])).toBeUndefined()
    expect(hintsProblem(md, ['a', 'b', 'c'])).toBe('no hints for c')
    expect(hintsProblem(md, ['a'])).toBe('hints for b, which the stub does not ask for')
    expect(hintsProblem(md, ['b', 'a'])).toBe("the sections should follow the kata's order: b, a")
  })
})

describe('the next hint of a function', () => {
  it('shows the hints one after another, then says all were shown', () => {
    let state: HintState = {}
    const seen: string[] = []
    for (let i = 1; i <= 3; i++) {
      const o = nextHint(state, '03-kaiming', 'gain', hints)
      if (o.kind !== 'hint') throw new Error(`expected hint ${i}`)
      expect(o.number).toBe(i)
      seen.push(o.text)
      state = o.state
    }
    expect(seen).toEqual(hints)
    expect(state).toEqual({ '03-kaiming/gain': 3 })
    expect(nextHint(state, '03-kaiming', 'gain', hints)).toEqual({
      kind: 'all-shown',
      kata: '03-kaiming',
      fn: 'gain',
      total: 3,
    })
  })
  it('keeps each function of each kata apart, and a reset forgets one kata or all (law)', () => {
    const keys = [
      ['01-initial-loss', 'softmax'],
      ['01-initial-loss', 'crossEntropy'],
      ['03-kaiming', 'gain'],
    ] as const
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...keys), { maxLength: 12 }),
        fc.constantFrom('01-initial-loss', '03-kaiming'),
        (calls, forget) => {
          let state: HintState = {}
          for (const [k, f] of calls) {
            const o = nextHint(state, k, f, hints)
            if (o.kind === 'hint') state = o.state
          }
          for (const [k, f] of keys)
            expect(state[`${k}/${f}`] ?? 0).toBe(Math.min(3, calls.filter((c) => c[0] === k && c[1] === f).length))
          const after = resetHints(state, forget)
          for (const key of Object.keys(after)) expect(key.startsWith(`${forget}/`)).toBe(false)
          for (const key of Object.keys(state).filter((k) => !k.startsWith(`${forget}/`)))
            expect(after[key]).toBe(state[key])
          expect(resetHints(state)).toEqual({})
          // the state file round-trips
          expect(parseHintState(formatHintState(state))).toEqual(state)
        },
      ),
    )
  })
  it('reads a damaged state file as "nothing shown yet" instead of crashing', () => {
    expect(parseHintState('not json')).toEqual({})
    expect(parseHintState('[1, 2]')).toEqual({})
    expect(
      parseHintState('{"03-kaiming/gain": 2, "nonsense": 5, "01-initial-loss/softmax": -1, "02-saturation/f": "x"}'),
    ).toEqual({ '03-kaiming/gain': 2 })
  })
  it('tells the learner which hint of which function this is, how many are left and what to do when all were shown', () => {
    const first = nextHint({}, '03-kaiming', 'gain', hints)
    expect(formatOutcome(first)).toBe(
      '03-kaiming gain: hint 1 of 3\n\nnudge\n\n2 more hints if you need them: npm run hint -- 03 gain',
    )
    const last = nextHint({ '03-kaiming/gain': 2 }, '03-kaiming', 'gain', hints)
    expect(formatOutcome(last)).toContain('That was the last hint for gain.')
    const all = formatOutcome(nextHint({ '03-kaiming/gain': 3 }, '03-kaiming', 'gain', hints))
    expect(all).toContain('You have seen all 3 hints for gain (03-kaiming).')
    expect(all).toContain('npm run hint -- --reset 03')
  })
})

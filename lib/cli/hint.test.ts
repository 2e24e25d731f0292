import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import {
  formatHintState,
  formatOutcome,
  nextHint,
  parseHintArgs,
  parseHintState,
  resetHints,
  type HintState,
} from './hint.ts'

const katas = ['01-initial-loss', '02-saturation', '03-kaiming']
const hints = ['nudge', 'method', 'near-answer']

describe('the next hint', () => {
  it('shows the hints one after another, then says all were shown', () => {
    let state: HintState = {}
    const seen: string[] = []
    for (let i = 1; i <= 3; i++) {
      const o = nextHint(state, '03-kaiming', hints)
      if (o.kind !== 'hint') throw new Error(`expected hint ${i}`)
      expect(o.number).toBe(i)
      seen.push(o.text)
      state = o.state
    }
    expect(seen).toEqual(hints)
    expect(state).toEqual({ '03-kaiming': 3 })
    expect(nextHint(state, '03-kaiming', hints)).toEqual({ kind: 'all-shown', kata: '03-kaiming', total: 3 })
  })
  it('keeps each kata apart, and a reset forgets one kata or all (law)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...katas), { maxLength: 12 }),
        fc.constantFrom(...katas),
        (calls, forget) => {
          let state: HintState = {}
          for (const k of calls) {
            const o = nextHint(state, k, hints)
            if (o.kind === 'hint') state = o.state
          }
          for (const k of katas) expect(state[k] ?? 0).toBe(Math.min(3, calls.filter((c) => c === k).length))
          const after = resetHints(state, forget)
          expect(after[forget]).toBeUndefined()
          for (const k of katas.filter((k) => k !== forget)) expect(after[k]).toBe(state[k])
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
    expect(parseHintState('{"03-kaiming": 2, "nonsense": 5, "01-initial-loss": -1, "02-saturation": "x"}')).toEqual({
      '03-kaiming': 2,
    })
  })
  it('tells the learner which hint this is, how many are left and what to do when all were shown', () => {
    const first = nextHint({}, '03-kaiming', hints)
    expect(formatOutcome(first)).toBe(
      '03-kaiming: hint 1 of 3\n\nnudge\n\n2 more hints if you need them: npm run hint -- 03',
    )
    const last = nextHint({ '03-kaiming': 2 }, '03-kaiming', hints)
    expect(formatOutcome(last)).toContain('That was the last hint.')
    const all = formatOutcome(nextHint({ '03-kaiming': 3 }, '03-kaiming', hints))
    expect(all).toContain('You have seen all 3 hints for 03-kaiming.')
    expect(all).toContain('npm run hint -- --reset 03')
  })
})

describe('arguments', () => {
  const parse = (argv: string[]) => parseHintArgs(argv, katas)
  it('takes a kata by number or name, and --reset with or without one', () => {
    expect(parse(['03'])).toEqual(E.right({ kind: 'hint', kata: '03-kaiming' }))
    expect(parse(['3'])).toEqual(E.right({ kind: 'hint', kata: '03-kaiming' }))
    expect(parse(['02-saturation'])).toEqual(E.right({ kind: 'hint', kata: '02-saturation' }))
    expect(parse(['--reset'])).toEqual(E.right({ kind: 'reset' }))
    expect(parse(['--reset', '01'])).toEqual(E.right({ kind: 'reset', kata: '01-initial-loss' }))
    expect(parse(['01', '--reset'])).toEqual(E.right({ kind: 'reset', kata: '01-initial-loss' }))
  })
  it('an unknown kata lists the katas (exit 1); a bad flag or no kata is a usage error (exit 2)', () => {
    expect(parse(['09'])).toEqual(
      E.left({
        code: 1,
        message: "there is no kata '09'; the katas are:\n  01-initial-loss\n  02-saturation\n  03-kaiming",
      }),
    )
    expect(parse(['--next'])).toEqual(E.left({ code: 2, message: "unknown option '--next'" }))
    const none = parse([])
    expect(E.isLeft(none) && none.left.code).toBe(2)
    expect(E.isLeft(none) && none.left.message).toContain('which kata?')
  })
})

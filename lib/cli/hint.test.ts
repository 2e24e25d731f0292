import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import { parseHintArgs } from './hint.ts'

const katas = ['01-initial-loss', '02-saturation', '03-kaiming']

describe('arguments', () => {
  const parse = (argv: string[]) => parseHintArgs(argv, katas)
  it('takes a kata by number or name, a function, and --reset with or without a kata', () => {
    expect(parse(['03'])).toEqual(E.right({ kind: 'hint', kata: '03-kaiming' }))
    expect(parse(['3', 'gain'])).toEqual(E.right({ kind: 'hint', kata: '03-kaiming', fn: 'gain' }))
    expect(parse(['02-saturation'])).toEqual(E.right({ kind: 'hint', kata: '02-saturation' }))
    expect(parse(['--reset'])).toEqual(E.right({ kind: 'reset' }))
    expect(parse(['--reset', '01'])).toEqual(E.right({ kind: 'reset', kata: '01-initial-loss' }))
    expect(parse(['01', '--reset'])).toEqual(E.right({ kind: 'reset', kata: '01-initial-loss' }))
  })
  it('an unknown kata lists the katas (exit 3); a bad flag, no kata or too many names is a usage error (exit 2)', () => {
    expect(parse(['09'])).toEqual(
      E.left({
        code: 3,
        message: "there is no kata '09'; the katas are:\n  01-initial-loss\n  02-saturation\n  03-kaiming",
      }),
    )
    expect(parse(['--next'])).toEqual(E.left({ code: 2, message: "unknown option '--next'" }))
    const none = parse([])
    expect(E.isLeft(none) && none.left.code).toBe(2)
    expect(E.isLeft(none) && none.left.message).toContain('which kata?')
    const extra = parse(['01', 'softmax', 'extra'])
    expect(E.isLeft(extra) && extra.left.code).toBe(2)
  })
})

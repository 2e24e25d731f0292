import { describe, expect, it } from 'vitest'
import { idle, type KeyAction, type KeyState, keysOf, pressKey, WATCH_KEYS } from './watch-keys.ts'

const katas = ['01-initial-loss', '02-saturation', '09-zero-init', '10-batchnorm-folding']

/** What watch does for a chunk of input, from idle. */
const typing = (data: string, state: KeyState = idle): { state: KeyState; actions: KeyAction[] } => {
  const actions: KeyAction[] = []
  for (const key of keysOf(data)) {
    const r = pressKey(state, key, katas)
    state = r.state
    actions.push(r.action)
  }
  return { state, actions }
}

describe("watch's keys", () => {
  it('a, Enter and q do what the keys line says', () => {
    expect(WATCH_KEYS).toMatch(/a every failing check in full · p pick a kata · Enter run again · q quit/)
    expect(typing('a').actions).toEqual([{ kind: 'toggle-all' }])
    expect(typing('\r').actions).toEqual([{ kind: 'rerun' }])
    expect(typing('q').actions).toEqual([{ kind: 'quit' }])
    expect(typing('\u0003').actions).toEqual([{ kind: 'quit' }])
    expect(typing('x').actions).toEqual([{ kind: 'none' }])
  })

  it('p, then 09 and Enter, picks kata 09 (as the katas’ READMEs say); typed at once or key by key', () => {
    const { state, actions } = typing('p09\r')
    expect(actions.at(-1)).toEqual({ kind: 'pick', kata: '09-zero-init' })
    expect(state).toEqual(idle)
    expect(actions[2]).toEqual({ kind: 'prompt', text: expect.stringMatching(/Pick a kata.*: 09$/) })
    expect(typing('p9\n').actions.at(-1)).toEqual({ kind: 'pick', kata: '09-zero-init' })
    expect(typing('p10-batch\r').actions.at(-1)).toEqual({ kind: 'pick', kata: '10-batchnorm-folding' })
    expect(typing('p1\u007f2\r').actions.at(-1)).toEqual({ kind: 'pick', kata: '02-saturation' })
    expect(typing('p09\r\n').actions.at(-1)).toEqual({ kind: 'pick', kata: '09-zero-init' })
  })

  it('while picking, q and a are typed, not obeyed; Esc or an empty Enter cancels; an unknown kata lists them', () => {
    const typedQ = typing('pq')
    expect(typedQ.state).toEqual({ mode: 'pick', typed: 'q' })
    expect(typing('p\u001b').actions.at(-1)).toEqual({ kind: 'cancel' })
    expect(typing('p\r').actions.at(-1)).toEqual({ kind: 'cancel' })
    const unknown = typing('p42\r')
    expect(unknown.actions.at(-1)).toEqual({ kind: 'unknown', text: expect.stringContaining("no kata '42'") })
    expect(unknown.state).toEqual({ mode: 'pick', typed: '' })
    expect(typing('p\u001b[A').state).toEqual({ mode: 'pick', typed: '' })
    expect(typing('p\u001b[Aq').actions.at(-1)).toEqual({ kind: 'prompt', text: expect.stringMatching(/: q$/) })
    expect(typing('p\u0003').actions.at(-1)).toEqual({ kind: 'quit' })
  })
})

/**
 * The keys of `npm run watch`, as a pure state machine: a key and the state in, the new state and
 * what watch should do out (tested in watch-keys.test.ts).
 *
 *   a       every failing check in full (again: the next one only)
 *   p       pick a kata: type its number (or name), then Enter; Esc or an empty Enter cancels
 *   Enter   run the checks again
 *   q       quit (Ctrl-C too)
 */
import { describeKatas, resolveKata } from './catalogue.ts'

/** The keys line under the screen. */
export const WATCH_KEYS = 'keys: a every failing check in full · p pick a kata · Enter run again · q quit'

export type KeyState = { readonly mode: 'keys' } | { readonly mode: 'pick'; readonly typed: string }

export type KeyAction =
  | { readonly kind: 'none' }
  | { readonly kind: 'quit' }
  | { readonly kind: 'toggle-all' }
  | { readonly kind: 'rerun' }
  /** Show the picker's prompt with what is typed so far. */
  | { readonly kind: 'prompt'; readonly text: string }
  /** Leave the picker: redraw the screen as it was. */
  | { readonly kind: 'cancel' }
  | { readonly kind: 'pick'; readonly kata: string }
  /** The typed kata is not one: say so, and stay in the picker. */
  | { readonly kind: 'unknown'; readonly text: string }

export const idle: KeyState = { mode: 'keys' }

const CTRL_C = '\u0003'
const ESC = '\u001b'
const ENTER = new Set(['\r', '\n'])
const BACKSPACE = new Set(['\u007f', '\b'])

export const pickPrompt = (typed: string): string => `Pick a kata: type its number, then Enter (Esc cancels): ${typed}`

/** One key pressed in `state`, among `katas`. */
export const pressKey = (
  state: KeyState,
  key: string,
  katas: readonly string[],
): { readonly state: KeyState; readonly action: KeyAction } => {
  if (key === CTRL_C) return { state: idle, action: { kind: 'quit' } }
  if (state.mode === 'keys') {
    if (key === 'q') return { state, action: { kind: 'quit' } }
    if (key === 'a') return { state, action: { kind: 'toggle-all' } }
    if (ENTER.has(key)) return { state, action: { kind: 'rerun' } }
    if (key === 'p') return { state: { mode: 'pick', typed: '' }, action: { kind: 'prompt', text: pickPrompt('') } }
    return { state, action: { kind: 'none' } }
  }
  if (key === ESC) return { state: idle, action: { kind: 'cancel' } }
  if (ENTER.has(key)) {
    if (state.typed.trim() === '') return { state: idle, action: { kind: 'cancel' } }
    const kata = resolveKata(katas, state.typed)
    if (kata === undefined)
      return {
        state: { mode: 'pick', typed: '' },
        action: {
          kind: 'unknown',
          text: `There is no kata '${state.typed}'; ${describeKatas(katas)}\n${pickPrompt('')}`,
        },
      }
    return { state: idle, action: { kind: 'pick', kata } }
  }
  if (BACKSPACE.has(key)) {
    const typed = state.typed.slice(0, -1)
    return { state: { mode: 'pick', typed }, action: { kind: 'prompt', text: pickPrompt(typed) } }
  }
  if (/^[\w-]$/.test(key)) {
    const typed = state.typed + key
    return { state: { mode: 'pick', typed }, action: { kind: 'prompt', text: pickPrompt(typed) } }
  }
  return { state, action: { kind: 'none' } }
}

/** The keys a chunk of terminal input holds: one each, except an escape sequence (an arrow key), kept whole. */
export const keysOf = (data: string): string[] => {
  const keys: string[] = []
  for (let i = 0; i < data.length; i++) {
    if (data[i] === ESC && data[i + 1] === '[') {
      let j = i + 2
      while (j < data.length && !/[A-Za-z~]/.test(data[j])) j++
      keys.push(data.slice(i, j + 1))
      i = j
    } else if (data[i] === '\r' && data[i + 1] === '\n') {
      keys.push('\r')
      i++
    } else keys.push(data[i])
  }
  return keys
}

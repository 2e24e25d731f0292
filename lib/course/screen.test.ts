import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { CheckOutcome, KataRun } from './score.ts'
import { blamedFunction, kataScreen, SCREEN_LINES, SCREEN_WIDTH } from './screen.ts'

const functions = ['expectedInitialLoss', 'softmax', 'crossEntropy']
const stub = (fn: string): string =>
  `not implemented yet: 01-initial-loss ${fn} (open katas/01-initial-loss/README.md, or run npm run hint -- 01)`
const check = (name: string, state: CheckOutcome['state'], ...messages: string[]): CheckOutcome => ({
  name,
  state,
  messages,
})
const run = (checks: CheckOutcome[], extra: Partial<KataRun> = {}): KataRun => ({
  kata: '01-initial-loss',
  checks,
  loadErrors: [],
  ...extra,
})

describe('the kata screen', () => {
  it('on a pristine kata: the progress, every function to write, the first as next, and only its first failing check', () => {
    const screen = kataScreen({
      run: run(
        [
          {
            ...check('1. uniform > is ln 27', 'failed', stub('expectedInitialLoss')),
            where: 'katas/01-initial-loss/kata.ts:25:67',
          },
          check('2. softmax > sums to 1', 'failed', stub('softmax')),
        ],
        { stubbed: functions },
      ),
      functions,
    })
    expect(screen.next).toBe('expectedInitialLoss')
    expect(screen.done).toBe(false)
    const lines = screen.text.split('\n')
    expect(lines[0]).toMatch(/^Kata 01-initial-loss +░+ +0\/2 checks pass$/)
    expect(screen.text).toContain('To finish (3 of 3): expectedInitialLoss, softmax, crossEntropy')
    expect(screen.text).toContain('Next: expectedInitialLoss')
    expect(screen.text).toContain('✗ 1. uniform › is ln 27')
    expect(screen.text).toContain('expectedInitialLoss is not implemented yet')
    expect(screen.text).toContain('at katas/01-initial-loss/kata.ts:25:67')
    expect(screen.text).not.toContain('sums to 1')
    expect(screen.text).toContain('`npm run hint -- 01 expectedInitialLoss`')
  })
  it("a law's failure shows the teaching message and the counterexample on one line, with no stack and no fast-check preamble", () => {
    const big = `Counterexample: [${Array.from({ length: 400 }, (_, i) => i / 7).join(',')}]`
    const property = `Property failed after 3 tests\n{ seed: 1, path: "0:1", endOnFailure: true }\n${big}\nShrunk 4 time(s)\n\nHint: Enable verbose mode in order to have the list of all failing values encountered during the run`
    const screen = kataScreen({
      run: run(
        [
          check(
            'law: softmax rows sum to 1',
            'failed',
            property,
            "row 0 sums to 2: divide by the row's sum\n    at lib/x.ts:1:1",
          ),
        ],
        {
          stubbed: ['crossEntropy'],
        },
      ),
      functions,
    })
    expect(screen.next).toBe('softmax')
    expect(screen.text).toContain("row 0 sums to 2: divide by the row's sum")
    expect(screen.text).not.toMatch(/Property failed|Hint: Enable verbose|at lib\/x\.ts/)
    const lines = screen.text.split('\n')
    const at = lines.findIndex((l) => l.includes('Counterexample:'))
    expect(at).toBeGreaterThan(0)
    // a long counterexample is wrapped to three lines and cut there, after the message
    expect(lines[at + 2].endsWith('…')).toBe(true)
    expect(lines.findIndex((l) => l.includes('divide by'))).toBeLessThan(at)
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(SCREEN_WIDTH)
  })
  it('a failing check that names no function blames the function written last before the first stub', () => {
    const screen = kataScreen({
      run: run([check('1. uniform > is ln 27', 'failed', 'expected 4.29 to be close to 3.29')], {
        stubbed: ['softmax', 'crossEntropy'],
      }),
      functions,
    })
    expect(screen.next).toBe('expectedInitialLoss')
    expect(blamedFunction(check('softmax of [1000, 0] must not be NaN', 'failed'), functions)).toBe('softmax')
  })
  it('a type error shows with its file:line:column, and keeps a kata whose checks pass from being done', () => {
    const screen = kataScreen({
      run: run([check('a', 'passed')], {
        stubbed: [],
        typeError: "katas/01-initial-loss/kata.ts:25:75: Type 'string' is not assignable to type 'number'.",
      }),
      functions,
    })
    expect(screen.done).toBe(false)
    expect(screen.text).toContain("katas/01-initial-loss/kata.ts:25:75: Type 'string' is not assignable")
    expect(screen.text).toContain('Next: fix the type error')
  })
  it('a file that does not load shows the syntax error with file:line:column', () => {
    const screen = kataScreen({
      run: run([], {
        loadErrors: ['Transform failed with 1 error:\n/w/katas/01-initial-loss/kata.ts:47:1: ERROR: Unexpected token'],
        stubbed: ['crossEntropy'],
      }),
      functions,
    })
    expect(screen.text).toContain('✗ The tests do not load your file:')
    expect(screen.text).toContain('katas/01-initial-loss/kata.ts:47:1')
    expect(screen.text).toContain('No check can run until your file loads')
  })
  it('a done kata says so, points to its report and to the next kata', () => {
    const screen = kataScreen({
      run: run([check('a', 'passed')], { stubbed: [] }),
      functions,
      nextKata: '02-saturation',
    })
    expect(screen.done).toBe(true)
    expect(screen.text).toContain('✓ Kata 01-initial-loss is done')
    expect(screen.text).toContain('npm run report -- 01')
    expect(screen.text).toContain('Next kata: 02-saturation')
  })
  it.each([60, 80, 120])(
    'at %i columns every line fits, no word is broken, and the key sentence and the check are whole',
    (width) => {
      const name =
        '11. the laws › law: softmaxLaws: A law must hold for every input the arbitrary draws, on the reference softmax as on yours'
      const key =
        'A law must hold for every input: your law fails on the reference softmax, so it is not true (comparing floats with === is the usual slip: use a tolerance)'
      const screen = kataScreen({
        run: run(
          [check(name, 'failed', `${key}\nexpected 0 to be greater than 1e-12 at row 3\n${'detail '.repeat(200)}`)],
          {
            stubbed: [],
          },
        ),
        functions: ['softmaxLaws'],
        keys: 'keys: a every failing check in full · p pick a kata · Enter run again · q quit',
        width,
      })
      const lines = screen.text.split('\n')
      for (const l of lines) expect([...l].length).toBeLessThanOrEqual(width)
      const words = (t: string) =>
        t
          .replace(/[✗›…]/g, ' ')
          .split(/\s+/)
          .filter((w) => w !== '')
      const shown = new Set(words(screen.text))
      for (const w of [...words(name), ...words(key)]) expect(shown, `"${w}" whole on the screen`).toContain(w)
      expect(screen.text.replace(/\s+/g, ' ')).toContain(key)
      expect(screen.text).toContain('expected 0 to be greater than 1e-12 at row 3')
      expect(lines.at(-1)).toMatch(/q quit$/)
      expect(lines.length).toBeLessThanOrEqual(SCREEN_LINES)
    },
  )

  it('law: whatever the checks say, the screen fits in 40 lines of 80 columns', () => {
    const text = fc.string({ unit: 'grapheme-ascii', maxLength: 600 })
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            name: text,
            state: fc.constantFrom('passed', 'failed'),
            messages: fc.array(text, { maxLength: 4 }),
          }),
          {
            maxLength: 30,
          },
        ),
        fc.option(text, { nil: undefined }),
        fc.array(text, { maxLength: 2 }),
        (checks, typeError, loadErrors) => {
          const { text: screen } = kataScreen({
            run: run(checks as CheckOutcome[], { loadErrors, ...(typeError === undefined ? {} : { typeError }) }),
            functions,
            keys: 'keys: a · q',
          })
          const lines = screen.split('\n')
          expect(lines.length).toBeLessThanOrEqual(SCREEN_LINES)
          for (const l of lines) expect([...l].length).toBeLessThanOrEqual(SCREEN_WIDTH)
        },
      ),
    )
  })
})

import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  applyEquivalents,
  describeSurvivor,
  formatScores,
  originalOf,
  parseEquivalents,
  type ReportMutant,
  scoreOf,
  scoresJson,
} from './mutation.ts'

const source = [
  'const rowMax = (x, n) => {',
  '  let max = -Infinity',
  '  for (let j = 0; j < n; j++) if (x[j] > max) max = x[j]',
  '  return max',
  '}',
  'const other = (n) => {',
  '  for (let j = 0; j < n; j++) f(j)',
  '}',
].join('\n')

const mutant = (
  id: string,
  status: string,
  line: number,
  start: number,
  end: number,
  replacement: string,
  mutatorName = 'EqualityOperator',
  endLine = line,
): ReportMutant => ({
  id,
  mutatorName,
  replacement,
  status,
  location: { start: { line, column: start }, end: { line: endLine, column: end } },
})

// columns from 1, as Stryker's report has them: `x[j] > max` starts at column 35 of line 3
const tie = () => mutant('1', 'Survived', 3, 35, 45, 'x[j] >= max')
const loopEnd = () => mutant('2', 'Survived', 3, 19, 24, 'j <= n')
const otherLoopEnd = () => mutant('3', 'Killed', 7, 19, 24, 'j <= n')

describe('EQUIVALENT.md', () => {
  it('reads each list item as original → replacement in line: proof, and says which items it cannot read', () => {
    const { entries, problems } = parseEquivalents(
      '# title\n\nprose\n- `a > b` → `a >= b` in `if (a > b)`: ties change nothing\n- a loose remark\n',
    )
    expect(entries).toEqual([
      { at: 4, original: 'a > b', replacement: 'a >= b', context: 'if (a > b)', proof: 'ties change nothing' },
    ])
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain('EQUIVALENT.md:5')
  })

  it("takes a mutant's original code from its location (lines and columns from 1), over several lines too", () => {
    expect(originalOf(source, tie())).toBe('x[j] > max')
    expect(originalOf(source, mutant('4', 'Survived', 1, 26, 22, '{}', 'BlockStatement', 2))).toBe(
      '{\n  let max = -Infinity',
    )
  })

  it('an entry marks the one surviving mutant it names as equivalent (Ignored, its proof as the reason)', () => {
    const mutants = [tie(), loopEnd(), otherLoopEnd()]
    const { entries } = parseEquivalents('- `x[j] > max` → `x[j] >= max` in `if (x[j] > max)`: a tie changes nothing')
    expect(applyEquivalents(source, mutants, entries, 'EQUIVALENT.md')).toEqual([])
    expect(mutants.map((m) => m.status)).toEqual(['Ignored', 'Survived', 'Killed'])
    expect(mutants[0].statusReason).toContain('a tie changes nothing')
  })

  it('an entry the checks kill, that names no mutant or names several, is a problem and marks nothing', () => {
    const mutants = [tie(), loopEnd(), otherLoopEnd()]
    const { entries } = parseEquivalents(
      [
        '- `j < n` → `j <= n` in `f(j)`: wrong, the checks kill it',
        '- `j < n` → `j > n` in `for`: no such mutant',
        '- `j < n` → `j <= n` in `for (let j = 0`: two lines have it',
      ].join('\n'),
    )
    const problems = applyEquivalents(source, mutants, entries, 'EQUIVALENT.md')
    expect(problems).toHaveLength(3)
    expect(problems[0]).toContain('the checks detect it (Killed)')
    expect(problems[1]).toContain('names no mutant')
    expect(problems[2]).toContain('names 2 mutants')
    expect(mutants.map((m) => m.status)).toEqual(['Survived', 'Survived', 'Killed'])
  })

  it('an entry may name the declaration its line lies in, when the line is in two', () => {
    const mutants = [tie(), loopEnd(), otherLoopEnd()]
    const { entries } = parseEquivalents('- `j < n` → `j <= n` in `for (let j = 0` of `rowMax`: past the end')
    expect(entries[0].declaration).toBe('rowMax')
    expect(applyEquivalents(source, mutants, entries, 'E.md')).toEqual([])
    expect(mutants.map((m) => m.status)).toEqual(['Survived', 'Ignored', 'Killed'])
  })

  it('a context that is a whole line names that line, not a longer one that contains it', () => {
    const src =
      'const f = (n) => {\n  for (let i = 0; i < n; i++) {\n    g(i)\n  }\n  for (let i = 0; i < n; i++)\n    h(i)\n}'
    const mutants = [mutant('1', 'Killed', 2, 19, 24, 'i <= n'), mutant('2', 'Survived', 5, 19, 24, 'i <= n')]
    const { entries } = parseEquivalents('- `i < n` → `i <= n` in `for (let i = 0; i < n; i++)`: past the end')
    expect(applyEquivalents(src, mutants, entries, 'E.md')).toEqual([])
    expect(mutants.map((m) => m.status)).toEqual(['Killed', 'Ignored'])
  })

  it('a trailing … matches an original that starts so (a long block)', () => {
    const mutants = [mutant('4', 'Survived', 6, 22, 2, '{}', 'BlockStatement', 8)]
    const { entries } = parseEquivalents('- `{ for…` → `{}` in `const other`: f does nothing')
    expect(applyEquivalents(source, mutants, entries, 'E.md')).toEqual([])
    expect(mutants[0].status).toBe('Ignored')
  })
})

describe('the score', () => {
  it('is detected (killed or timed out) over the mutants that are not equivalent', () => {
    const ms = [
      mutant('1', 'Killed', 1, 1, 2, 'a'),
      mutant('2', 'Timeout', 1, 1, 2, 'b'),
      mutant('3', 'Survived', 1, 1, 2, 'c'),
      mutant('4', 'NoCoverage', 1, 1, 2, 'd'),
      mutant('5', 'Ignored', 1, 1, 2, 'e'),
    ]
    expect(scoreOf('01-x', ms)).toEqual({
      kata: '01-x',
      mutants: 5,
      killed: 1,
      timedOut: 1,
      survived: 1,
      noCoverage: 1,
      equivalent: 1,
      score: 50,
    })
  })

  it('law: it lies in [0, 100], is 100 exactly when nothing escapes, and equivalent mutants do not move it', () => {
    const statuses = fc.constantFrom('Killed', 'Timeout', 'Survived', 'NoCoverage', 'Ignored', 'CompileError')
    fc.assert(
      fc.property(fc.array(statuses, { maxLength: 60 }), fc.nat(5), (ss, extra) => {
        const ms = ss.map((s, i) => mutant(String(i), s, 1, 1, 2, 'x'))
        const { score, survived, noCoverage } = scoreOf('k', ms)
        const more = [...ms, ...Array.from({ length: extra }, (_, i) => mutant(`e${i}`, 'Ignored', 1, 1, 2, 'x'))]
        expect(score).toBeGreaterThanOrEqual(0)
        expect(score).toBeLessThanOrEqual(100)
        expect(score === 100).toBe(survived + noCoverage === 0)
        expect(scoreOf('k', more).score).toBe(score)
      }),
    )
  })

  it('prints a row per kata, and --json one document whose killed and survived give the score', () => {
    const s = scoreOf('04-batchnorm', [
      mutant('1', 'Killed', 1, 1, 2, 'a'),
      mutant('2', 'Timeout', 1, 1, 2, 'b'),
      mutant('3', 'Survived', 1, 1, 2, 'c'),
      mutant('4', 'Ignored', 1, 1, 2, 'd'),
    ])
    expect(formatScores([s]).split('\n')[2]).toMatch(/^04-batchnorm\s+4\s+1\s+1\s+1\s+0\s+1\s+66\.67$/)
    const doc = JSON.parse(scoresJson([s]))
    expect(doc.katas[0]).toMatchObject({ kata: '04-batchnorm', score: 66.67, killed: 2, survived: 1, equivalent: 1 })
    expect(describeSurvivor(source, 'k.ts', tie())).toBe('k.ts:3:35 EqualityOperator `x[j] > max` → `x[j] >= max`')
  })
})

import { describe, expect, it } from 'vitest'
import { kataNames, selectKatas } from './catalogue.ts'
import { emptyRun, type RunResult } from './runner.ts'
import type { CheckOutcome as CheckResult } from './score.ts'
import { formatReport, formatTable, judge, type KataReport, readmeLawCounts } from './verify.ts'

const check = (name: string, state: CheckResult['state'], ...messages: string[]): CheckResult => ({
  name,
  state,
  messages,
})
const run = (...checks: CheckResult[]): RunResult => ({ checks, loadErrors: [] })

const LAW =
  '7. the reference laws > softmax agrees with the reference answer on random inputs (logits varied over their whole range)'
const INPUTS = 'softmax leaves its arguments unchanged (logits)'

/** A kata with two checks and one mutant, in the state a pristine checkout should be in. */
const healthy: KataReport = {
  kata: '01-initial-loss',
  missingFiles: [],
  hintsProblem: undefined,
  missingSolutionExports: [],
  functions: [],
  readmeLaws: { reference: 0, inputs: 0 },
  learner: run(
    check('softmax sums to 1', 'failed', 'not implemented yet'),
    check('softmax of [1000, 0]', 'failed', 'not implemented yet'),
  ),
  solution: run(check('softmax sums to 1', 'passed'), check('softmax of [1000, 0]', 'passed')),
  mutants: [
    {
      name: 'softmax-without-max',
      mistake: { lecture: 'no max subtracted', message: "subtract the row's max" },
      missingExports: [],
      run: run(
        check('softmax sums to 1', 'passed'),
        check(
          'softmax of [1000, 0]',
          'failed',
          'Property failed after 1 tests',
          "must not be NaN: subtract the row's max before exp",
        ),
      ),
      whole: run(
        check('softmax sums to 1', 'passed'),
        check('softmax of [1000, 0]', 'failed', "must not be NaN: subtract the row's max before exp"),
      ),
    },
  ],
}

describe('judge: what a kata report says', () => {
  it('a healthy kata has no defects and counts its checks, stub failures and rejected mutants', () => {
    const v = judge(healthy)
    expect(v.defects).toEqual([])
    expect(v).toMatchObject({ graded: 2, stubFailures: 2, solutionPasses: 2, mutants: 1, mutantsRejected: 1 })
  })
  it('a mutant is kept only if rejected with its message both as an override and as a whole learner file', () => {
    const passes = run(check('softmax sums to 1', 'passed'), check('softmax of [1000, 0]', 'passed'))
    const wholeMissed = judge({ ...healthy, mutants: [{ ...healthy.mutants[0], whole: passes }] })
    expect(wholeMissed).toMatchObject({ mutantsRejected: 0, rejectedAsOverride: 1, rejectedAsWholeFile: 0 })
    expect(wholeMissed.defects).toEqual([
      'mutant softmax-without-max (as a whole learner file) is not rejected: every check passes on "no max subtracted"',
    ])
    const overrideMissed = judge({ ...healthy, mutants: [{ ...healthy.mutants[0], run: passes }] })
    expect(overrideMissed).toMatchObject({ mutantsRejected: 0, rejectedAsOverride: 0, rejectedAsWholeFile: 1 })
    const unmade = judge({
      ...healthy,
      mutants: [{ ...healthy.mutants[0], whole: { error: 'overrides f, which the answer does not declare' } }],
    })
    expect(unmade.defects.join('\n')).toContain('(as a whole learner file) cannot be made: overrides f')
  })
  it('a check that passes on the stub is a defect named by the check, with the pristine-checkout caveat', () => {
    const v = judge({
      ...healthy,
      learner: run(check('softmax sums to 1', 'passed'), check('softmax of [1000, 0]', 'failed')),
    })
    expect(v.stubFailures).toBe(1)
    expect(v.defects).toHaveLength(1)
    expect(v.defects[0]).toContain('1 of 2 checks pass on the stub')
    expect(v.defects[0]).toContain('"softmax sums to 1"')
    expect(v.defects[0]).toContain('has katas/01-initial-loss been worked on?')
  })
  it('many checks passing on the stub make one defect that names the first five', () => {
    const names = Array.from({ length: 8 }, (_, i) => `check ${i}`)
    const v = judge({
      ...healthy,
      learner: run(...names.map((n) => check(n, 'passed'))),
      solution: run(...names.map((n) => check(n, 'passed'))),
    })
    expect(v.defects).toHaveLength(1)
    expect(v.defects[0]).toContain('8 of 8 checks pass on the stub')
    expect(v.defects[0]).toContain('"check 4"; and 3 more')
    expect(v.defects[0]).not.toContain('"check 5"')
  })
  it('a mutant no check rejects is a defect', () => {
    const v = judge({
      ...healthy,
      mutants: [{ ...healthy.mutants[0], run: run(check('a', 'passed'), check('b', 'passed')) }],
    })
    expect(v.mutantsRejected).toBe(0)
    expect(v.defects.join('\n')).toContain('mutant softmax-without-max (as an override) is not rejected')
  })
  it('a mutant rejected without its message in any failure (the cause chain included) is a defect', () => {
    const v = judge({
      ...healthy,
      mutants: [{ ...healthy.mutants[0], run: run(check('a', 'failed', 'expected NaN to be 1')) }],
    })
    expect(v.mutantsRejected).toBe(0)
    expect(v.defects.join('\n')).toContain(`no failure message contains "subtract the row's max"`)
  })
  it('a test file that does not load against the stubs is a defect: each check must fail on its own', () => {
    const v = judge({
      ...healthy,
      learner: { checks: [], loadErrors: ['not implemented yet: 01-initial-loss softmax'] },
    })
    expect(v.defects.join('\n')).toContain('do not load against the stubs')
  })
  it('a failing reference answer, a missing export and too few mutants are defects', () => {
    const v = judge(
      {
        ...healthy,
        solution: run(check('softmax sums to 1', 'passed'), check('softmax of [1000, 0]', 'failed', 'expected NaN')),
        missingSolutionExports: ['crossEntropy'],
        mutants: [],
      },
      { minMutants: 2 },
    )
    expect(v.solutionPasses).toBe(1)
    expect(v.defects.join('\n')).toContain('the reference answer fails "softmax of [1000, 0]"')
    expect(v.defects.join('\n')).toContain('does not export crossEntropy')
    expect(v.defects.join('\n')).toContain('0 mutant(s)')
  })
  it('a mutant without a mistake export is a defect', () => {
    const v = judge({
      ...healthy,
      mutants: [{ ...healthy.mutants[0], mistake: { error: 'exports no `mistake: Mistake`' } }],
    })
    expect(v.defects.join('\n')).toContain('mutant softmax-without-max: exports no `mistake: Mistake`')
  })
  it('skipped checks are not graded', () => {
    const v = judge({
      ...healthy,
      solution: run(...healthy.solution.checks, check('later', 'skipped')),
      learner: run(...healthy.learner.checks, check('later', 'skipped')),
    })
    expect(v.graded).toBe(2)
    expect(v.defects).toEqual([])
  })
  it('no runs at all (vitest found no tests) is a defect', () => {
    expect(judge({ ...healthy, learner: emptyRun, solution: emptyRun, mutants: [] }).defects.join('\n')).toContain(
      'no graded checks ran',
    )
  })
})

describe('choosing and showing katas', () => {
  it('kata directories are NN-topic, sorted; other entries are ignored', () => {
    expect(kataNames(['02-saturation', 'README.md', '01-initial-loss', 'scratch', '1-bad'])).toEqual([
      '01-initial-loss',
      '02-saturation',
    ])
  })
  it('filters select by number or name prefix, as npm run grade does', () => {
    const katas = ['01-initial-loss', '02-saturation', '03-kaiming']
    expect(selectKatas(katas, [])).toEqual(katas)
    expect(selectKatas(katas, ['3'])).toEqual(['03-kaiming'])
    expect(selectKatas(katas, ['01', '02-saturation'])).toEqual(['01-initial-loss', '02-saturation'])
    expect(selectKatas(katas, ['03-ka'])).toEqual(['03-kaiming'])
    expect(selectKatas(katas, ['9'])).toEqual([])
  })
  it('the table has a row per kata with its counts, and the report lists each defect under its kata', () => {
    const ok = judge(healthy)
    const bad = judge({ ...healthy, kata: '02-saturation', mutants: [] })
    const table = formatTable([ok, bad])
    expect(table.split('\n')).toHaveLength(4)
    expect(table).toMatch(/01-initial-loss\s+2\s+2\/2\s+2\/2\s+1\/1\s+1\/1\s+1\/1\s+0 \+ 0\s+ok/)
    expect(table).toMatch(/02-saturation .* 1 defect$/m)
    const report = formatReport([ok, bad], 3.21)
    expect(report).toContain('verify:katas: 1 defect (3.2 s)')
    expect(report).toContain('  02-saturation: 0 mutant(s)')
    expect(formatReport([ok], 1)).toContain(
      'verify:katas: 1 kata and 1 mutant verified (each mutant rejected as an override and as a whole learner file) in 1.0 s',
    )
  })
})

describe('judge: the laws', () => {
  const withLaws: KataReport = {
    ...healthy,
    functions: ['softmax'],
    readmeLaws: { reference: 1, inputs: 1 },
    learner: run(...healthy.learner.checks, check(LAW, 'failed', 'not implemented yet'), check(INPUTS, 'failed', 'x')),
    solution: run(...healthy.solution.checks, check(LAW, 'passed'), check(INPUTS, 'passed')),
  }
  it('a function of the stub without its reference law is a defect that names it', () => {
    const v = judge({ ...withLaws, functions: ['softmax', 'crossEntropy'] })
    expect(v.defects).toEqual([expect.stringMatching(/^no reference law for crossEntropy: add law\('crossEntropy'/)])
  })
  it("the README's law counts must be the checks' own", () => {
    expect(judge(withLaws).defects).toEqual([])
    expect(judge(withLaws).referenceLaws).toBe(1)
    expect(judge({ ...withLaws, readmeLaws: { reference: 2, inputs: 1 } }).defects).toEqual([
      "README.md's kata table says 2 + 1 laws for 01-initial-loss, the checks have 1 + 1",
    ])
    expect(judge({ ...withLaws, readmeLaws: undefined }).defects[0]).toMatch(/gives no law counts for 01-initial-loss/)
  })
  it('readmeLawCounts reads the last cell of each kata row', () => {
    const readme =
      '| kata | what | laws |\n| --- | --- | --- |\n| 01-initial-loss | softmax | 8 + 7 |\n| 02-saturation | tanh | 6 + 5 |\n'
    expect([...readmeLawCounts(readme)]).toEqual([
      ['01-initial-loss', { reference: 8, inputs: 7 }],
      ['02-saturation', { reference: 6, inputs: 5 }],
    ])
  })
})

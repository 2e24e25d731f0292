import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import { fileURLToPath } from 'node:url'
import { describeMissing, kataIndexHtml, kataPages, makeContext, missingFunctions, parseReportArgs } from './report.ts'
import { listKatas, stubbedFunctions } from './grade.ts'
import { readFileSync } from 'node:fs'

const root = fileURLToPath(new URL('../../', import.meta.url))
const katas = ['01-initial-loss', '02-saturation', '03-kaiming']

describe('what is missing', () => {
  it("lists the page's functions that are still stubs, in the page's order, plus any a call found unwritten", () => {
    expect(missingFunctions(['a', 'b', 'c', 'd'], ['d', 'b', 'z'])).toEqual(['b', 'd'])
    expect(missingFunctions(['a', 'b'], [], ['b'])).toEqual(['b'])
    expect(missingFunctions(['a', 'b'], ['a'], ['helper'])).toEqual(['a', 'helper'])
    expect(missingFunctions(['a'], [])).toEqual([])
  })
  it('names every missing function and what to do next', () => {
    const text = describeMissing('06-instruments', ['histogram', 'judgeLearningRate'])
    expect(text).toContain('katas/06-instruments/kata.ts is not finished: the page needs these 2 functions, still to write:\n  histogram\n  judgeLearningRate')
    expect(text).toContain('npm run grade -- 06')
    expect(text).toContain('npm run report -- 06 --solutions')
    expect(describeMissing('06-instruments', ['histogram'])).toContain('needs this function')
  })
})

describe('arguments', () => {
  it('takes one kata and --solutions; a bad flag or no kata is a usage error (2), an unknown kata lists the katas (1)', () => {
    expect(parseReportArgs(['3'], katas)).toEqual(E.right({ kind: 'run', options: { kata: '03-kaiming', solutions: false } }))
    expect(parseReportArgs(['--solutions', '01'], katas)).toEqual(E.right({ kind: 'run', options: { kata: '01-initial-loss', solutions: true } }))
    expect(parseReportArgs(['--help'], katas)).toEqual(E.right({ kind: 'help' }))
    expect(parseReportArgs(['03', '--json'], katas)).toEqual(E.left({ code: 2, message: "unknown option '--json'" }))
    expect(parseReportArgs(['01', '02'], katas)).toEqual(E.left({ code: 2, message: 'one kata at a time, got 01 02' }))
    const none = parseReportArgs([], katas)
    expect(E.isLeft(none) && none.left.code).toBe(2)
    expect(parseReportArgs(['12'], katas)).toEqual(E.left({ code: 1, message: "there is no kata '12'; the katas are:\n  01-initial-loss\n  02-saturation\n  03-kaiming" }))
  })
})

describe('the kata pages', () => {
  it('reports/katas/index.html links every page drawn so far, escaped', () => {
    const page = kataIndexHtml([{ file: '01-initial-loss.html', title: 'Kata 01: <the> initial loss' }], [{ file: '01-initial-loss.html', nav: '01' }])
    expect(page).toContain('<a href="01-initial-loss.html">Kata 01: &lt;the&gt; initial loss</a>')
    expect(kataIndexHtml([], [])).toContain('No kata pages yet.')
  })
  it("every kata has a page, and every function a page needs is one its kata's stub exports (and stubs)", async () => {
    for (const kata of listKatas(root)) {
      const page = kataPages[kata.slice(0, 2)]
      expect(page, `${kata} has no page in lib/cli/report.ts`).toBeDefined()
      const stub = await import(`../../katas/${kata}/kata.ts`)
      const stubbed = stubbedFunctions(readFileSync(`${root}katas/${kata}/kata.ts`, 'utf8'))
      for (const fn of page.needs) {
        expect(typeof stub[fn], `${kata}: the page needs ${fn}, which the stub does not export`).toBe('function')
        expect(stubbed, `${kata}: ${fn} is exported but not a stub`).toContain(fn)
      }
    }
  })
  it('draws the pages from the reference answers (all but the training kata, which takes a while)', async () => {
    const ctx = makeContext(root, 42, 'the reference answers', 'the reference')
    for (const kata of listKatas(root).filter((k) => !k.startsWith('07'))) {
      const solution = await import(`../../solutions/${kata}/kata.ts`)
      const draft = await kataPages[kata.slice(0, 2)].build(solution as never, ctx)
      expect(draft.title, kata).toMatch(/^Kata \d\d: /)
      expect(draft.blocks.length, kata).toBeGreaterThan(2)
      expect(draft.headline, kata).not.toMatch(/NaN|undefined/)
    }
  })
})

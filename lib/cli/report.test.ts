import { afterAll, describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import { fileURLToPath } from 'node:url'
import {
  describeMissing,
  describeStall,
  drawInWorker,
  failingBanner,
  kataIndexHtml,
  liveHtml,
  missingFunctions,
  pendingPageHtml,
} from '../course/draw.ts'
import { parseReportArgs } from './report.ts'
import { kataPages, makeContext } from '../course/kata-pages.ts'
import { trackCalls, CALLS, LAST, RUNNING, PROGRESS_SLOTS } from '../course/draw-worker.ts'
import { kataNumber, listKatas } from '../course/catalogue.ts'
import { parseHints } from '../course/hints.ts'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = fileURLToPath(new URL('../..', import.meta.url))
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
    expect(text).toContain(
      'katas/06-instruments/kata.ts is not finished: the page needs these 2 functions, still to write:\n  histogram\n  judgeLearningRate',
    )
    expect(text).toContain('npm run grade -- 06')
    expect(text).toContain('npm run report -- 06 --solutions')
    expect(describeMissing('06-instruments', ['histogram'])).toContain('needs this function')
  })
})

describe('arguments', () => {
  it('takes one kata, --solutions and --out DIR; a bad flag or no kata is a usage error (2), an unknown kata lists the katas (3)', () => {
    expect(parseReportArgs(['3'], katas)).toEqual(
      E.right({ kind: 'run', options: { kata: '03-kaiming', solutions: false } }),
    )
    expect(parseReportArgs(['--solutions', '01'], katas)).toEqual(
      E.right({ kind: 'run', options: { kata: '01-initial-loss', solutions: true } }),
    )
    expect(parseReportArgs(['01', '--solutions', '--out', '/tmp/pages'], katas)).toEqual(
      E.right({ kind: 'run', options: { kata: '01-initial-loss', solutions: true, out: '/tmp/pages' } }),
    )
    expect(parseReportArgs(['01', '--out'], katas)).toEqual(E.left({ code: 2, message: '--out needs a folder' }))
    expect(parseReportArgs(['--help'], katas)).toEqual(E.right({ kind: 'help' }))
    expect(parseReportArgs(['03', '--json'], katas)).toEqual(E.left({ code: 2, message: "unknown option '--json'" }))
    expect(parseReportArgs(['01', '02'], katas)).toEqual(E.left({ code: 2, message: 'one kata at a time, got 01 02' }))
    const none = parseReportArgs([], katas)
    expect(E.isLeft(none) && none.left.code).toBe(2)
    expect(parseReportArgs(['12'], katas)).toEqual(
      E.left({
        code: 3,
        message: "there is no kata '12'; the katas are:\n  01-initial-loss\n  02-saturation\n  03-kaiming",
      }),
    )
  })
})

describe('the kata pages', () => {
  it('reports/katas/index.html links every page drawn so far, escaped', () => {
    const page = kataIndexHtml(
      [{ file: '01-initial-loss.html', title: 'Kata 01: <the> initial loss' }],
      [{ file: '01-initial-loss.html', nav: '01' }],
    )
    expect(page).toContain('<a href="01-initial-loss.html">Kata 01: &lt;the&gt; initial loss</a>')
    expect(kataIndexHtml([], [])).toContain('No kata pages yet.')
  })
  it('a page drawn while checks fail carries a banner naming them; the live page reloads itself; a pending page says what is missing', () => {
    const banner = failingBanner(['2. softmax > <sums> to 1', 'b', 'c', 'd', 'e', 'f', 'g'])
    expect(banner).toContain('These checks fail:</strong> 2. softmax &gt; &lt;sums&gt; to 1; b; c; d; e; and 2 more')
    const html = '<head>\n<meta charset="utf-8">\n<title>x</title>'
    expect(liveHtml(html, 2)).toContain('<meta charset="utf-8">\n<meta http-equiv="refresh" content="2">')
    const pending = pendingPageHtml('01-initial-loss', { missing: ['softmax'], failing: ['first check'] }, [])
    expect(pending).toContain('<li><code>softmax</code></li>')
    expect(pending).toContain('1 checks fail; the first: first check')
  })
  it('every kata has a page, and every function a page needs is one the kata asks the learner to write', async () => {
    // the kata's functions are the sections of its hints.md (verify:katas holds them to the stub's
    // stubs); the learner's own katas/*/kata.ts are not read, so npm test does not depend on them
    for (const kata of listKatas(root)) {
      const page = kataPages[kataNumber(kata)]
      expect(page, `${kata} has no page in lib/course/kata-pages.ts`).toBeDefined()
      const hints = parseHints(readFileSync(`${root}katas/${kata}/hints.md`, 'utf8'))
      const functions = 'functions' in hints ? hints.functions.map((f) => f.fn) : []
      const solution = await import(`../../solutions/${kata}/kata.ts`)
      for (const fn of page.needs) {
        expect(functions, `${kata}: the page needs ${fn}, which is not a function of the kata`).toContain(fn)
        expect(typeof solution[fn], `${kata}: the page needs ${fn}, which the reference answer does not export`).toBe(
          'function',
        )
      }
    }
  })
  it('draws the pages from the reference answers (all but the training kata, which takes a while)', async () => {
    for (const kata of listKatas(root).filter((k) => !k.startsWith('07'))) {
      const ctx = makeContext(root, { seed: 42, kata, solutions: true })
      const solution = await import(`../../solutions/${kata}/kata.ts`)
      const draft = await kataPages[kataNumber(kata)].build(solution as never, ctx)
      expect(draft.title, kata).toMatch(/^Kata \d\d: /)
      expect(draft.blocks.length, kata).toBeGreaterThan(2)
      expect(draft.headline, kata).not.toMatch(/NaN|undefined/)
      expect(draft.intro, `${kata}: the reference answers are not in katas/`).not.toContain('katas/')
    }
    // ten pages, some of which train for seconds: on a machine busy with the other worker's files too
  }, 120_000)
})

describe('code that never returns', () => {
  const progressRecord = () => {
    const p = new Int32Array(new SharedArrayBuffer(PROGRESS_SLOTS * 4))
    p[RUNNING] = -1
    p[LAST] = -1
    return p
  }
  it('every call into an exported function or class is counted, with the one running and the last one started', () => {
    const p = progressRecord()
    let seenInside = -2
    class Layer {
      constructor(readonly n: number) {}
    }
    const module = {
      outer: (f: () => void) => {
        f()
        return 'outer'
      },
      inner: () => {
        seenInside = p[RUNNING]
      },
      fails: () => {
        throw new Error('boom')
      },
      Layer,
      size: 3,
    }
    const { tracked, names } = trackCalls(module, p)
    const m = tracked as typeof module
    expect(names).toEqual(['outer', 'inner', 'fails', 'Layer'])
    expect(m.size).toBe(3)
    expect(m.outer(() => m.inner())).toBe('outer')
    expect(seenInside, 'inside a call made from another, the innermost is the one running').toBe(names.indexOf('inner'))
    expect([p[CALLS], p[RUNNING], p[LAST]]).toEqual([4, -1, names.indexOf('inner')])
    expect(() => m.fails()).toThrow('boom')
    expect([p[CALLS], p[RUNNING], p[LAST]], 'a call that throws has ended too').toEqual([6, -1, names.indexOf('fails')])
    const layer = new m.Layer(2)
    expect(layer).toBeInstanceOf(Layer)
    expect(layer.n).toBe(2)
    expect(p[LAST]).toBe(names.indexOf('Layer'))
  })

  it('the message names the function that has not returned, or the last that did, or the loading', () => {
    const file = 'katas/03-kaiming/kata.ts'
    expect(describeStall(file, { seconds: 90, loaded: true, running: 'forwardStack' })).toMatch(
      /^report: stopped after 90 s without progress in katas\/03-kaiming\/kata.ts: forwardStack was called and has not returned\. Is there a loop in it that never ends/,
    )
    expect(describeStall(file, { seconds: 90, loaded: true, last: 'lectureMlp' })).toContain(
      'stuck in code that lectureMlp returned',
    )
    expect(describeStall(file, { seconds: 90, loaded: false })).toContain('it has not finished loading')
    expect(describeStall(file, { seconds: 90, loaded: true, running: 'f' })).toMatch(/Nothing was written\.$/)
  })

  describe('drawing on a worker', () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-draw-'))
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
    afterAll(() => rmSync(dir, { recursive: true, force: true }))
    /** A stand-in for katas/01-initial-loss/kata.ts whose fixOutputLayer (the page's first call) has `body`. */
    const kataWith = (name: string, body: string, top = ''): string => {
      const file = join(dir, `${name}.ts`)
      writeFileSync(
        file,
        `import { notImplemented } from ${JSON.stringify(join(root, 'lib', 'course', 'kata.ts'))}\n${top}\nexport const expectedInitialLoss = (v: number) => Math.log(v)\nexport const fixOutputLayer = (s: unknown): unknown => { ${body} }\n`,
      )
      return file
    }
    const job = (file: string) => ({ root, kata: '01-initial-loss', file, solutions: false })

    it('a function that loops forever is stopped and named; so is a file whose loading never ends', async () => {
      const forever = 'let i = 0; while (i >= 0) i = (i + 1) % 10'
      const [inCall, atTop] = await Promise.all([
        drawInWorker(job(kataWith('loops', `${forever}; return s`)), { stallSeconds: 6 }),
        drawInWorker(job(kataWith('loads-forever', 'return s', forever)), { stallSeconds: 6 }),
      ])
      expect(inCall).toEqual({ kind: 'stalled', stall: { seconds: 6, loaded: true, running: 'fixOutputLayer' } })
      expect(atTop).toEqual({ kind: 'stalled', stall: { seconds: 6, loaded: false } })
    }, 60_000)
    it('a stub, an error and a file that does not load each come back as what they are', async () => {
      // three workers at once: each boots on its own thread
      const [stub, throws, unloadable] = await Promise.all([
        drawInWorker(job(kataWith('stub', "return notImplemented('01-initial-loss', 'fixOutputLayer')"))),
        drawInWorker(job(kataWith('throws', "throw new RangeError('w2 must be a number')"))),
        drawInWorker(job(kataWith('broken', 'return s', "throw new Error('broken at the top')"))),
      ])
      expect(stub).toEqual({ kind: 'unwritten', fn: 'fixOutputLayer' })
      expect(throws).toEqual({ kind: 'failed', message: 'w2 must be a number' })
      expect(unloadable).toEqual({ kind: 'unloadable', message: 'broken at the top' })
    }, 60_000)
    it('the reference answers come back as a page', async () => {
      const outcome = await drawInWorker({
        root,
        kata: '01-initial-loss',
        file: join(root, 'solutions', '01-initial-loss', 'kata.ts'),
        solutions: true,
      })
      expect(outcome.kind).toBe('drawn')
      if (outcome.kind === 'drawn') {
        expect(outcome.body.title).toBe('Kata 01: the initial loss')
        expect(outcome.body.headline).toMatch(/^the reference answers: the naive net starts at loss \d+\.\d+/)
      }
    }, 60_000)
  })
})

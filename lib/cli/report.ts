/**
 * `npm run report -- 03`: the page of a kata's topic, drawn from the learner's own code.
 *
 * Each kata has a page (lib/course/kata-pages.ts) that calls the kata's functions (the learner's
 * katas/NN-topic/kata.ts, or the reference answers with --solutions) on the lecture's networks and
 * the names data, and shows what they compute with lib/report's chart builders: the learner sees
 * the lecture's figures come out of their own code. A kata whose functions are not all written yet
 * gets no page but the list of every function still to write.
 *
 * The kata's code runs on a worker thread (report-worker.ts), so a function that never returns is
 * stopped and named instead of hanging the command.
 *
 * The page is written to reports/katas/NN-topic.html (under a temporary name, then renamed),
 * with reports/katas/index.html listing every kata page drawn so far. Nothing is written when
 * the page cannot be drawn.
 *
 * Usage: npm run report -- KATA [--solutions]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import * as E from 'fp-ts/Either'
import type { Either } from 'fp-ts/Either'
import { writeFileAtomic } from '../engine/files.ts'
import { LECTURE_PAGE_OF_KATA, REPORT_PAGES, escapeHtml, layout, type NavEntry } from '../report/html.ts'
import { renderPage, type PageDraft } from '../report/index.ts'
import { besideReference, kataPages, type PageBody } from '../course/kata-pages.ts'
import { CALLS, LAST, PROGRESS_SLOTS, RUNNING, type DrawJob, type DrawMessage } from './report-worker.ts'
import { describeKatas, listKatas, resolveKata, stubbedFunctions } from './grade.ts'

// ---------------------------------------------------------------------------------------------
// What a page needs, and what it says when the kata is not finished (pure)

/** The functions a page needs that are still stubs, plus any a call found unwritten, in the page's order. */
export const missingFunctions = (
  needs: readonly string[],
  stubbed: readonly string[],
  thrown: readonly string[] = [],
): string[] => [
  ...needs.filter((f) => stubbed.includes(f) || thrown.includes(f)),
  ...thrown.filter((f) => !needs.includes(f)),
]

/** The message for a kata whose page cannot be drawn yet. */
export const describeMissing = (kata: string, missing: readonly string[]): string =>
  [
    `report: katas/${kata}/kata.ts is not finished: the page needs ${missing.length === 1 ? 'this function' : `these ${missing.length} functions`}, still to write:`,
    ...missing.map((f) => `  ${f}`),
    '',
    `Write them until \`npm run grade -- ${kata.slice(0, 2)}\` says done, then run this again.`,
    `(\`npm run report -- ${kata.slice(0, 2)} --solutions\` draws the page from the reference answers.)`,
  ].join('\n')

export const reportUsage = `usage: npm run report -- KATA [--solutions]

Draws a kata's page from your own code in katas/KATA/kata.ts and writes reports/katas/KATA.html.

  KATA          a number (03) or a name (03-kaiming)
  --solutions   draw it from the reference answers in solutions/ instead
  --help        this text`

export interface ReportOptions {
  readonly kata: string
  readonly solutions: boolean
}

/** Parses `npm run report` arguments. Left: a usage error (exit 2) or an unknown kata (exit 1). */
export const parseReportArgs = (
  argv: readonly string[],
  katas: readonly string[],
): Either<
  { readonly code: 1 | 2; readonly message: string },
  { readonly kind: 'help' } | { readonly kind: 'run'; readonly options: ReportOptions }
> => {
  if (argv.includes('--help') || argv.includes('-h')) return E.right({ kind: 'help' })
  const bad = argv.find((a) => a.startsWith('-') && a !== '--solutions')
  if (bad !== undefined) return E.left({ code: 2, message: `unknown option '${bad}'` })
  const names = argv.filter((a) => !a.startsWith('-'))
  if (names.length !== 1)
    return E.left({
      code: 2,
      message:
        names.length === 0 ? `which kata? ${describeKatas(katas)}` : `one kata at a time, got ${names.join(' ')}`,
    })
  const kata = resolveKata(katas, names[0])
  if (kata === undefined) return E.left({ code: 1, message: `there is no kata '${names[0]}'; ${describeKatas(katas)}` })
  return E.right({ kind: 'run', options: { kata, solutions: argv.includes('--solutions') } })
}

/** reports/katas/index.html: every kata page drawn so far. */
export const kataIndexHtml = (
  pages: readonly { readonly file: string; readonly title: string }[],
  nav: readonly NavEntry[],
  hasReport = false,
): string =>
  layout({
    file: 'index.html',
    title: 'Your kata pages',
    nav,
    body: `<h1>Your kata pages</h1>
<p class="lead">Each page is drawn from your own code by <code>npm run report -- NN</code>: the lecture's figures, computed by the functions you wrote.</p>
${pages.length === 0 ? '<p>No kata pages yet.</p>' : `<ul class="pages">\n${pages.map((p) => `<li><a href="${escapeHtml(p.file)}">${escapeHtml(p.title)}</a></li>`).join('\n')}\n</ul>`}
${hasReport ? '<p>The report of the lecture\'s experiments (<code>npm start</code>) is at <a href="../index.html">reports/index.html</a>.</p>' : "<p>The report of the lecture's experiments is not in reports/ yet: <code>npm start</code> writes it there (with <code>--out DIR</code> it goes to DIR instead, and this page does not link it).</p>"}`,
    footer: 'Written by <code>npm run report</code>.',
  })

/** Where a stalled draw was: the function of the kata still running, or the last one that ran. */
export interface Stall {
  readonly seconds: number
  /** The kata's function that has not returned. */
  readonly running?: string
  /** The last of the kata's functions called, when none is running now. */
  readonly last?: string
  /** False when the module itself never finished loading. */
  readonly loaded: boolean
}

/** The message for a page whose drawing made no progress for `stall.seconds`. */
export const describeStall = (file: string, stall: Stall): string => {
  const head = `report: stopped after ${stall.seconds} s without progress in ${file}:`
  const what = !stall.loaded
    ? 'it has not finished loading. Is there a loop at the top level of the file that never ends?'
    : stall.running !== undefined
      ? `${stall.running} was called and has not returned. Is there a loop in it that never ends (a while whose condition never changes, a for whose counter goes the wrong way)?`
      : stall.last !== undefined
        ? `the page is stuck in code that ${stall.last} returned (a layer's forward or backward, say): is there a loop in it that never ends?`
        : 'the page is stuck before calling any of its functions.'
  return `${head} ${what}\nThe reference answers draw every page in a few seconds. Nothing was written.`
}

export type DrawOutcome =
  | { readonly kind: 'drawn'; readonly body: PageBody }
  | { readonly kind: 'unwritten'; readonly fn: string }
  | { readonly kind: 'failed'; readonly message: string; readonly where?: string }
  | { readonly kind: 'unloadable'; readonly message: string }
  | { readonly kind: 'stalled'; readonly stall: Stall }

// ---------------------------------------------------------------------------------------------
// Effects: drawing the page on a worker, rendering, writing

const root = resolve(import.meta.dirname, '..', '..')

/**
 * Builds the kata's page on a worker thread. The worker is stopped, and the outcome is 'stalled',
 * when no call into the kata's functions starts or ends for `stallSeconds` (code that never
 * returns). The clock starts when the worker has loaded the project's own code.
 */
export const drawInWorker = (job: DrawJob, { stallSeconds = 90, pollMs = 250 } = {}): Promise<DrawOutcome> =>
  new Promise((done) => {
    const shared = new SharedArrayBuffer(PROGRESS_SLOTS * Int32Array.BYTES_PER_ELEMENT)
    const progress = new Int32Array(shared)
    progress[RUNNING] = -1
    progress[LAST] = -1
    const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), {
      workerData: { entry: new URL('./report-worker.ts', import.meta.url).href, job, progress: shared },
    })
    let names: readonly string[] | undefined
    let calls = 0,
      lastChange = Date.now()
    let settled = false
    const settle = (outcome: DrawOutcome) => {
      if (settled) return
      settled = true
      clearInterval(watch)
      void worker.terminate()
      done(outcome)
    }
    const watch = setInterval(() => {
      const now = Atomics.load(progress, CALLS)
      if (now !== calls) {
        calls = now
        lastChange = Date.now()
        return
      }
      if (Date.now() - lastChange < stallSeconds * 1000) return
      const name = (slot: number) => {
        const i = Atomics.load(progress, slot)
        return i < 0 ? undefined : names?.[i]
      }
      const running = name(RUNNING),
        last = running === undefined ? name(LAST) : undefined
      settle({
        kind: 'stalled',
        stall: {
          seconds: stallSeconds,
          loaded: names !== undefined,
          ...(running === undefined ? {} : { running }),
          ...(last === undefined ? {} : { last }),
        },
      })
    }, pollMs)
    worker.on('message', (m: DrawMessage) => {
      if (m.type === 'started') lastChange = Date.now()
      else if (m.type === 'exports') {
        names = m.names
        lastChange = Date.now()
      } else if (m.type === 'drawn') settle({ kind: 'drawn', body: m.body })
      else if (m.type === 'unwritten') settle({ kind: 'unwritten', fn: m.fn })
      else if (m.type === 'unloadable') settle({ kind: 'unloadable', message: m.message })
      else settle({ kind: 'failed', message: m.message, ...(m.where === undefined ? {} : { where: m.where }) })
    })
    worker.on('error', (e) => settle({ kind: 'failed', message: e.message }))
    worker.on('exit', (code) =>
      settle({ kind: 'failed', message: `the drawing stopped (exit code ${code}) before the page was done` }),
    )
  })

const main = async (): Promise<number> => {
  const katas = listKatas(root)
  const parsed = parseReportArgs(process.argv.slice(2), katas)
  if (E.isLeft(parsed)) {
    console.error(`report: ${parsed.left.message}${parsed.left.code === 2 ? `\n\n${reportUsage}` : ''}`)
    return parsed.left.code
  }
  if (parsed.right.kind === 'help') {
    console.log(reportUsage)
    return 0
  }
  const { kata, solutions } = parsed.right.options
  const page = kataPages[kata.slice(0, 2)]
  if (page === undefined) {
    console.error(`report: ${kata} has no page yet (pages exist for ${Object.keys(kataPages).join(', ')})`)
    return 1
  }
  const file = solutions ? join(root, 'solutions', kata, 'kata.ts') : join(root, 'katas', kata, 'kata.ts')
  const shown = relative(root, file)
  if (!existsSync(file)) {
    console.error(`report: ${shown} does not exist`)
    return 1
  }
  const stubbed = stubbedFunctions(readFileSync(file, 'utf8'))
  const missing = missingFunctions(page.needs, stubbed)
  if (missing.length > 0) {
    console.error(describeMissing(kata, missing))
    return 1
  }
  process.stderr.write(`report: drawing ${kata} from ${shown} ...\n`)
  const outcome = await drawInWorker({ root, kata, file, solutions })
  switch (outcome.kind) {
    case 'unloadable':
      console.error(`report: ${shown} does not load: ${outcome.message}`)
      return 1
    case 'unwritten':
      console.error(describeMissing(kata, missingFunctions(page.needs, stubbed, [outcome.fn])))
      return 1
    case 'failed':
      console.error(
        `report: drawing the page from ${shown} failed: ${outcome.message}${outcome.where === undefined ? '' : `\n  ${outcome.where}`}\n(\`npm run grade -- ${kata.slice(0, 2)}\` shows which checks fail)`,
      )
      return 1
    case 'stalled':
      console.error(describeStall(shown, outcome.stall))
      return 1
    case 'drawn':
      break
  }
  // your page carries the reference answers' figures beside yours, on the same scales
  const reference = solutions
    ? undefined
    : await drawInWorker({ root, kata, file: join(root, 'solutions', kata, 'kata.ts'), solutions: true })
  const body = reference?.kind === 'drawn' ? besideReference(outcome.body, reference.body) : outcome.body
  const drafted: PageDraft = { file: `${kata}.html`, nav: kata.slice(0, 2), ...body }
  const outDir = join(root, 'reports', 'katas')
  const drawn = new Set(existsSync(outDir) ? readdirSync(outDir).filter((x) => /^\d\d-[a-z0-9-]+\.html$/.test(x)) : [])
  drawn.add(drafted.file)
  // one nav: the report's pages when npm start wrote them beside the kata pages, then every kata page
  const reportDir = join(root, 'reports')
  const hasReport = existsSync(join(reportDir, 'index.html'))
  const nav: NavEntry[] = [
    ...REPORT_PAGES.filter((p) => hasReport && existsSync(join(reportDir, p.file))).map((p) => ({
      ...p,
      file: `../${p.file}`,
    })),
    ...[...drawn].sort().map((x) => ({ file: x, nav: x.slice(0, 2), kata: true })),
  ]
  const lecturePage = LECTURE_PAGE_OF_KATA[kata.slice(0, 2)]
  const draft: PageDraft =
    hasReport && lecturePage !== undefined && existsSync(join(reportDir, lecturePage))
      ? {
          ...drafted,
          intro: `${drafted.intro} <span class="kata-link">The lecture's page for this kata: <a href="../${lecturePage}">${escapeHtml(REPORT_PAGES.find((p) => p.file === lecturePage)?.nav ?? lecturePage)}</a>.</span>`,
        }
      : drafted
  const footer = `Drawn by <code>npm run report -- ${escapeHtml(kata.slice(0, 2))}${solutions ? ' --solutions' : ''}</code> from ${escapeHtml(shown)} on ${escapeHtml(page.data ?? 'the names of data/names.txt')}, seed 42.`
  const { html: pageHtml, warnings } = await renderPage(
    draft,
    nav,
    footer,
    undefined,
    hasReport ? '../index.html' : 'index.html',
  )
  for (const w of warnings) process.stderr.write(`report: chart warning: ${w}\n`)
  const out = join(outDir, draft.file)
  writeFileAtomic(out, pageHtml)
  const titles = [...drawn].sort().map((x) => ({
    file: x,
    title:
      x === draft.file
        ? draft.title
        : (/<title>([^<]*)<\/title>/.exec(readFileSync(join(outDir, x), 'utf8'))?.[1] ?? x),
  }))
  writeFileAtomic(join(outDir, 'index.html'), kataIndexHtml(titles, nav, hasReport))
  console.log(relative(process.cwd(), out) || out)
  return 0
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error('report: failed:', e instanceof Error ? e.message : e)
      process.exit(1)
    },
  )
}

/**
 * Drawing a kata's page from a kata module (the learner's katas/NN-topic/kata.ts, or the reference
 * answers) on a worker thread, so that code which never returns is stopped and named, and writing
 * it to reports/katas/NN-topic.html: by `npm run report`, and by `npm run watch` after each save
 * (the live page, which reloads itself while watch runs).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { writeFileAtomic } from '../engine/files.ts'
import { escapeHtml, layout, type NavEntry } from '../report/html.ts'
import { REPORT_PAGES, kataNumber, partOfKata } from '../report/parts/table.ts'
import { renderPage, type PageDraft } from '../report/index.ts'
import type { PageBody } from './kata-pages.ts'
import { CALLS, LAST, PROGRESS_SLOTS, RUNNING, type DrawJob, type DrawMessage } from './draw-worker.ts'

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
    `Write them until \`npm run grade -- ${kataNumber(kata)}\` says done, then run this again.`,
    `(\`npm run report -- ${kataNumber(kata)} --solutions\` draws the page from the reference answers.)`,
  ].join('\n')

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
    const worker = new Worker(new URL('../engine/worker-boot.mjs', import.meta.url), {
      workerData: { entry: new URL('./draw-worker.ts', import.meta.url).href, job, progress: shared },
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

/** How often the live page reloads itself while `npm run watch` runs, in seconds. */
export const LIVE_RELOAD_SECONDS = 2

/** A page that reloads itself every few seconds (offline: no server), for the live page of watch. */
export const liveHtml = (html: string, seconds = LIVE_RELOAD_SECONDS): string =>
  html.replace('<meta charset="utf-8">', `<meta charset="utf-8">\n<meta http-equiv="refresh" content="${seconds}">`)

/** The banner on a page drawn while some of the kata's checks fail. */
export const failingBanner = (failing: readonly string[]): string =>
  `<div class="missing" role="alert"><strong>These checks fail:</strong> ${
    failing.length <= 5
      ? failing.map((f) => escapeHtml(f)).join('; ')
      : `${failing
          .slice(0, 5)
          .map((f) => escapeHtml(f))
          .join('; ')}; and ${failing.length - 5} more`
  }. The figures below come from your code as it is: they may be wrong until the checks pass.</div>`

/** The live page of a kata that cannot be drawn yet: what is missing, and which checks fail. */
export const pendingPageHtml = (
  kata: string,
  { missing, problem, failing }: { missing: readonly string[]; problem?: string; failing: readonly string[] },
  nav: readonly NavEntry[],
): string =>
  layout({
    file: `${kata}.html`,
    title: `Kata ${kataNumber(kata)}: not drawn yet`,
    nav,
    body: `<h1>Kata ${escapeHtml(kata)}: not drawn yet</h1>
<p class="lead">This page is drawn from your <code>katas/${escapeHtml(kata)}/kata.ts</code> each time you save, while <code>npm run watch</code> runs.</p>
${missing.length === 0 ? '' : `<p>The page needs these functions, still to write:</p>\n<ul>${missing.map((f) => `<li><code>${escapeHtml(f)}</code></li>`).join('')}</ul>`}
${problem === undefined ? '' : `<p>Drawing stopped: ${escapeHtml(problem)}</p>`}
${failing.length === 0 ? '' : `<p>${failing.length} checks fail; the first: ${escapeHtml(failing[0])}</p>`}`,
    footer: 'Written by <code>npm run watch</code>.',
  })

/** The kata pages drawn so far in `outDir`, with `file` among them, for the nav bar. */
export const pageNav = (outDir: string, file: string): NavEntry[] => {
  const drawn = new Set(existsSync(outDir) ? readdirSync(outDir).filter((x) => /^\d\d-[a-z0-9-]+\.html$/.test(x)) : [])
  drawn.add(file)
  const reportDir = dirname(outDir)
  return [
    ...REPORT_PAGES.filter((p) => hasReport(outDir) && existsSync(join(reportDir, p.file))).map((p) => ({
      ...p,
      file: `../${p.file}`,
    })),
    ...[...drawn].sort().map((x) => ({ file: x, nav: kataNumber(x), kata: true })),
  ]
}

/** Whether `npm start` wrote its report in the folder above the kata pages. */
const hasReport = (outDir: string): boolean => existsSync(join(dirname(outDir), 'index.html'))

/** The kata's intro with a link to its lecture page, when the report is there to link to. */
const withLectureLink = (outDir: string, kata: string, intro: string): string => {
  const part = partOfKata(kata)
  if (!hasReport(outDir) || part === undefined || !existsSync(join(dirname(outDir), part.file))) return intro
  return `${intro} <span class="kata-link">The lecture's page for this kata: <a href="../${part.file}">${escapeHtml(part.nav)}</a>.</span>`
}

/**
 * Renders a drawn page and writes it (under a temporary name, then renamed) with the index of
 * every kata page. `banner` goes above the figures; `live` makes it reload itself.
 */
export const writeKataPage = async (
  outDir: string,
  kata: string,
  body: PageBody,
  { footer, banner, live = false }: { footer: string; banner?: string; live?: boolean },
): Promise<{ readonly file: string; readonly warnings: readonly string[] }> => {
  const draft: PageDraft = {
    file: `${kata}.html`,
    nav: kataNumber(kata),
    ...body,
    intro: withLectureLink(outDir, kata, body.intro),
    blocks: banner === undefined ? body.blocks : [{ kind: 'html', html: banner }, ...body.blocks],
  }
  const nav = pageNav(outDir, draft.file)
  const home = hasReport(outDir) ? '../index.html' : 'index.html'
  const { html, warnings } = await renderPage(draft, nav, footer, undefined, home)
  const out = join(outDir, draft.file)
  writeFileAtomic(out, live ? liveHtml(html) : html)
  writeIndex(outDir, nav, draft.file, draft.title)
  return { file: out, warnings }
}

/** Writes the live page of a kata that cannot be drawn yet. */
export const writePendingPage = (
  outDir: string,
  kata: string,
  what: Parameters<typeof pendingPageHtml>[1],
  live = true,
): string => {
  const nav = pageNav(outDir, `${kata}.html`)
  const out = join(outDir, `${kata}.html`)
  const html = pendingPageHtml(kata, what, nav)
  writeFileAtomic(out, live ? liveHtml(html) : html)
  return out
}

const writeIndex = (outDir: string, nav: readonly NavEntry[], file: string, title: string): void => {
  const titles = nav
    .filter((e) => e.kata === true)
    .map(({ file: x }) => ({
      file: x,
      title: x === file ? title : (/<title>([^<]*)<\/title>/.exec(readFileSync(join(outDir, x), 'utf8'))?.[1] ?? x),
    }))
  writeFileAtomic(join(outDir, 'index.html'), kataIndexHtml(titles, nav, hasReport(outDir)))
}

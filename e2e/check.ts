/**
 * The browser check of a reports folder: opens every page from file:// in headless Chromium and
 * fails on what a learner would see go wrong (a console error, a page error, a request that
 * fails or leaves the machine, a chart with nothing drawn, a slider that moves nothing), and
 * saves a full-page screenshot of each page.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'

/** Debian's Chromium: never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Pages made of links and tables only: every other page must show at least one chart. */
// the lab draws live (lab.ts checks it); kata 11's page is tables of which law caught which broken version
const PAGES_WITHOUT_CHARTS = ['index.html', 'diagnose.html', 'lab.html', '11-write-the-laws.html']
/** Pages whose charts are drawn live by a worker: e2e/lab.ts moves their controls and watches their charts. */
const LIVE_PAGES = ['lab.html']

export interface PageResult {
  readonly file: string
  readonly problems: readonly string[]
  /** What was checked, for the summary line. */
  readonly notes: readonly string[]
}

/** The widths every page is checked at: a laptop and a phone. */
export const WIDTHS = [1280, 390] as const

/** Per chart: its id, how many data marks its SVG holds, and the error it drew instead, if any. */
interface ChartCount {
  readonly id: string
  readonly marks: number
  readonly hasSvg: boolean
  readonly error: string | null
}

const countCharts = (page: Page): Promise<ChartCount[]> =>
  page.$$eval('figure.chart', (figures) =>
    figures.map((f) => {
      const svg = f.querySelector('.view svg')
      const marks =
        svg === null
          ? 0
          : svg.querySelectorAll(
              'g.role-mark path, g.role-mark line, g.role-mark rect, g.role-mark text, g.role-mark circle',
            ).length
      return { id: f.id, marks, hasSvg: svg !== null, error: f.getAttribute('data-error') }
    }),
  )

/** A check of one page at one width: it reports problems and notes; the page is loaded and drawn. */
type Check = (
  page: Page,
  ctx: { readonly dir: string; readonly file: string; readonly width: number },
) => Promise<{
  readonly problems: readonly string[]
  readonly notes: readonly string[]
}>

const ok = (notes: string[] = []) => ({ problems: [], notes })

/** Links to other pages of the report point at files that exist. */
const linksResolve: Check = async (page, { dir }) => {
  const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href') ?? ''))
  const problems: string[] = []
  for (const href of new Set(hrefs)) {
    if (/^[a-z]+:/i.test(href) || href.startsWith('#')) continue
    if (!existsSync(join(dir, href.split('#')[0]))) problems.push(`broken link: ${href}`)
  }
  return { problems, notes: [] }
}

/** Every chart drew data marks (and no chart failed). */
const chartsDrawn: Check = async (page, { file }) => {
  const charts = await countCharts(page)
  const problems: string[] = []
  if (charts.length === 0 && !PAGES_WITHOUT_CHARTS.includes(file)) problems.push('no charts on the page')
  for (const c of charts) {
    if (c.error !== null) problems.push(`chart ${c.id} failed: ${c.error}`)
    else if (!c.hasSvg) problems.push(`chart ${c.id}: no SVG`)
    else if (c.marks === 0) problems.push(`chart ${c.id}: drew no marks`)
  }
  const missing = await page.$$eval('.missing', (els) => els.length)
  return {
    problems,
    notes: [
      `${charts.length} chart${charts.length === 1 ? '' : 's'}, ${charts.reduce((s, c) => s + c.marks, 0)} marks${missing > 0 ? `, ${missing} missing-run note${missing === 1 ? '' : 's'}` : ''}`,
    ],
  }
}

/** The page never scrolls sideways: anything wide scrolls inside its own box. */
const noOverflow: Check = async (page, { width }) => {
  const wide = Number(await page.evaluate('document.documentElement.scrollWidth'))
  return wide > width + 1
    ? { problems: [`the page is ${wide} px wide at a ${width} px viewport (scrolls sideways)`], notes: [] }
    : ok()
}

/** No chart text smaller than 9 px as drawn. */
const readableText: Check = async (page) => {
  // in the page: the smallest font size of any chart text as drawn (its size times the SVG's scale)
  const smallest = Number(
    await page.evaluate(`[...document.querySelectorAll('figure.chart svg text')].filter((t) => t.textContent !== '')
      .reduce((m, t) => {
        const size = parseFloat(getComputedStyle(t).fontSize);
        const svg = t.ownerSVGElement;
        const scale = svg && svg.width.baseVal.value > 0 ? svg.getBoundingClientRect().width / svg.width.baseVal.value : 1;
        return Math.min(m, size * scale);
      }, Infinity)`),
  )
  return smallest < 9 ? { problems: [`chart text drawn at ${smallest.toFixed(1)} px (under 9)`], notes: [] } : ok()
}

/** Moves every slider to another value and checks that its chart changed. */
const slidersMove: Check = async (page, { file }) => {
  if (LIVE_PAGES.includes(file)) return ok() // its controls retrain the network: lab.ts checks them
  const count = await page.$$eval('input[type=range]', (is) => is.length)
  const problems: string[] = []
  for (let k = 0; k < count; k++) {
    const svgOf = () =>
      page.$$eval(
        'input[type=range]',
        (is, k) => is[k].closest('figure')?.querySelector('.view svg')?.outerHTML ?? '',
        k,
      )
    const before = await svgOf()
    const moved = await page.$$eval(
      'input[type=range]',
      (is, k) => {
        const input = is[k]
        const [value, min, max] = ['value', 'min', 'max'].map((a) => String(Reflect.get(input, a)))
        const target = value === min ? max : min
        Reflect.set(input, 'value', target)
        input.dispatchEvent(new Event('input', { bubbles: true }))
        input.dispatchEvent(new Event('change', { bubbles: true }))
        return `${input.closest('figure')?.id ?? '?'} → ${target}`
      },
      k,
    )
    let after = before
    for (let i = 0; i < 40 && after === before; i++) {
      await page.waitForTimeout(50)
      after = await svgOf()
    }
    if (after === before) problems.push(`moving slider ${moved} did not change its chart`)
  }
  return { problems, notes: count === 0 ? [] : [`${count} slider${count === 1 ? '' : 's'} moved, each chart changed`] }
}

/** Hovers marks of the first chart until a tooltip shows a number. */
const tooltipShows: Check = async (page) => {
  const figures = await page.$$('figure.chart')
  if (figures.length === 0) return ok()
  for (const figure of figures.slice(0, 3)) {
    await figure.scrollIntoViewIfNeeded()
    const marks = await figure.$$('g.mark-symbol path, g.mark-rect path, g.mark-line path')
    const step = Math.max(1, Math.floor(marks.length / 25))
    for (let i = 0; i < marks.length; i += step) {
      const box = await marks[i].boundingBox()
      if (box === null || box.width === 0 || box.height === 0) continue
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
      await page.waitForTimeout(30)
      const tip = await page.$eval('.chart-tooltip', (t) => (t.hasAttribute('hidden') ? '' : (t.textContent ?? '')))
      if (/\d/.test(tip)) return ok([`tooltip: ${tip.replace(/\s+/g, ' ').slice(0, 60)}`])
    }
  }
  return { problems: ['no tooltip with a number on hovering the marks of the first charts'], notes: [] }
}

/** The checks every page gets, in order; a new page check is one more entry. */
export const CHECKS: readonly (readonly [string, Check])[] = [
  ['links', linksResolve],
  ['charts', chartsDrawn],
  ['overflow', noOverflow],
  ['text', readableText],
  ['sliders', slidersMove],
  ['tooltip', tooltipShows],
]

const checkPage = async (
  browser: Browser,
  dir: string,
  file: string,
  screenshots: string,
  width: number,
): Promise<PageResult> => {
  const problems: string[] = [],
    notes: string[] = []
  const context = await browser.newContext({ viewport: { width, height: 900 } })
  const page = await context.newPage()
  page.on('console', (m) => {
    const line = `console error: ${m.text().split('\n')[0]}`
    if (m.type() === 'error' && !problems.includes(line)) problems.push(line)
  })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText ?? 'unknown'})`))
  // a report must work with no network: anything not from file:// is refused and counted
  await page.route(
    (url) => url.protocol !== 'file:' && url.protocol !== 'data:',
    (route) => {
      problems.push(`network request: ${route.request().url()}`)
      return route.abort()
    },
  )
  try {
    const response = await page.goto(pathToFileURL(join(dir, file)).href, { waitUntil: 'load' })
    if (response !== null && !response.ok()) problems.push(`loading the page gave status ${response.status()}`)
    await page.waitForFunction(
      "[...document.querySelectorAll('figure.chart')].every((f) => f.hasAttribute('data-rendered') || f.hasAttribute('data-error'))",
      undefined,
      { timeout: 30_000 },
    )
    mkdirSync(screenshots, { recursive: true })
    await page.screenshot({ path: join(screenshots, `${file.replace(/\.html$/, '')}-${width}.png`), fullPage: true })
    for (const [, check] of CHECKS) {
      const r = await check(page, { dir, file, width })
      problems.push(...r.problems)
      notes.push(...r.notes)
    }
  } catch (e) {
    problems.push(`check crashed: ${e instanceof Error ? e.message : String(e)}`)
  } finally {
    await context.close()
  }
  return { file: `${file} @${width}`, problems, notes }
}

/** Checks every page of a reports folder (index.html first); the index must link every other page. */
export const checkReports = async (dir: string, screenshots: string): Promise<PageResult[]> => {
  const root = resolve(dir)
  const files = readdirSync(root)
    .filter((f) => f.endsWith('.html'))
    .sort((a, b) => (a === 'index.html' ? -1 : b === 'index.html' ? 1 : a.localeCompare(b)))
  const leftovers = readdirSync(root).filter((f) => f.endsWith('.tmp'))
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  try {
    const results: PageResult[] = []
    for (const file of files)
      for (const width of WIDTHS) results.push(await checkPage(browser, root, file, screenshots, width))
    const index = results.find((r) => r.file === `index.html @${WIDTHS[0]}`)
    if (index === undefined)
      return [...results, { file: 'index.html', problems: ['there is no index.html'], notes: [] }]
    const page = await browser.newPage()
    await page.goto(pathToFileURL(join(root, 'index.html')).href)
    const linked = new Set(await page.$$eval('ul.pages a[href]', (as) => as.map((a) => a.getAttribute('href') ?? '')))
    await page.close()
    const unlisted = files.filter((f) => f !== 'index.html' && !linked.has(f))
    const extra = [
      ...unlisted.map((f) => `index.html does not link ${f}`),
      ...leftovers.map((f) => `temporary file left behind: ${f}`),
    ]
    return results.map((r) =>
      r === index
        ? { ...r, problems: [...r.problems, ...extra], notes: [...r.notes, `links ${linked.size} pages`] }
        : r,
    )
  } finally {
    await browser.close()
  }
}

/** One line per page, then the problems under it. */
export const formatResult = (r: PageResult): string =>
  `${r.problems.length === 0 ? 'ok  ' : 'FAIL'} ${r.file.padEnd(26)} ${r.notes.join('; ')}${r.problems.map((p) => `\n       - ${p}`).join('')}`

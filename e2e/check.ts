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
const PAGES_WITHOUT_CHARTS = ['index.html', 'diagnose.html', 'lab.html'] // the lab draws live: lab.ts checks it

export interface PageResult {
  readonly file: string
  readonly problems: readonly string[]
  /** What was checked, for the summary line. */
  readonly notes: readonly string[]
}

/** Per chart: its id and how many data marks (not axes, not legends) its SVG holds. */
interface ChartCount {
  readonly id: string
  readonly marks: number
  readonly hasSvg: boolean
}

const countCharts = (page: Page): Promise<ChartCount[]> =>
  page.$$eval('figure.chart', (figures) =>
    figures.map((f) => {
      const svg = f.querySelector('svg')
      const marks =
        svg === null
          ? 0
          : svg.querySelectorAll(
              'g.role-mark path, g.role-mark line, g.role-mark rect, g.role-mark text, g.role-mark circle',
            ).length
      return { id: f.id, marks, hasSvg: svg !== null }
    }),
  )

/** The SVG of the interactive chart, to tell whether moving the slider changed it. */
const interactiveSvg = (page: Page): Promise<string> =>
  page.$eval('figure[data-interactive] svg', (svg) => svg.outerHTML)

/** Moves every range input of a page to `value` as a person dragging it would (input and change events). */
const moveSlider = (page: Page, value: number): Promise<number> =>
  page.$$eval(
    'input[type=range]',
    (inputs, v) => {
      for (const input of inputs) {
        Reflect.set(input, 'value', String(v))
        input.dispatchEvent(new Event('input', { bubbles: true }))
        input.dispatchEvent(new Event('change', { bubbles: true }))
      }
      return inputs.length
    },
    value,
  )

const checkPage = async (browser: Browser, dir: string, file: string, screenshots: string): Promise<PageResult> => {
  const problems: string[] = [],
    notes: string[] = []
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`)
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

    // links to other pages of the report must point at files that exist
    const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href') ?? ''))
    for (const href of new Set(hrefs)) {
      if (/^[a-z]+:/i.test(href) || href.startsWith('#')) continue
      if (!existsSync(join(dir, href.split('#')[0]))) problems.push(`broken link: ${href}`)
    }

    const interactive = await page.$$('figure[data-interactive]')
    if (interactive.length > 0) {
      await page.waitForSelector('figure[data-interactive][data-rendered], figure[data-interactive][data-error]', {
        timeout: 15_000,
      })
      const error = await page.$eval('figure[data-interactive]', (f) => f.getAttribute('data-error'))
      if (error !== null) problems.push(`interactive chart failed: ${error}`)
    }

    const charts = await countCharts(page)
    if (charts.length === 0 && !PAGES_WITHOUT_CHARTS.includes(file)) problems.push('no charts on the page')
    for (const c of charts) {
      if (!c.hasSvg) problems.push(`chart ${c.id}: no SVG`)
      else if (c.marks === 0) problems.push(`chart ${c.id}: drew no marks`)
    }
    const missing = await page.$$eval('.missing', (els) => els.length)
    notes.push(
      `${charts.length} chart${charts.length === 1 ? '' : 's'}, ${charts.reduce((s, c) => s + c.marks, 0)} marks${missing > 0 ? `, ${missing} missing-run note${missing === 1 ? '' : 's'}` : ''}`,
    )

    if (interactive.length > 0) {
      const before = await interactiveSvg(page)
      const sliders = await moveSlider(page, 3)
      if (sliders === 0) problems.push('interactive page: no slider')
      else {
        let after = before
        for (let i = 0; i < 40 && after === before; i++) {
          await page.waitForTimeout(50)
          after = await interactiveSvg(page)
        }
        if (after === before) problems.push('moving the gain slider to 3 did not change the chart')
        else notes.push('slider moved to 3: chart changed')
        const marks = (await countCharts(page)).find(
          (c) => c.hasSvg && c.id === (charts.find((x) => x.hasSvg && x.marks > 0)?.id ?? ''),
        )
        if (marks !== undefined && marks.marks === 0) problems.push('after moving the slider the chart is empty')
      }
      await moveSlider(page, 1.7)
      await page.waitForTimeout(200)
    }

    mkdirSync(screenshots, { recursive: true })
    await page.screenshot({ path: join(screenshots, file.replace(/\.html$/, '.png')), fullPage: true })
  } catch (e) {
    problems.push(`check crashed: ${e instanceof Error ? e.message : String(e)}`)
  } finally {
    await context.close()
  }
  return { file, problems, notes }
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
    for (const file of files) results.push(await checkPage(browser, root, file, screenshots))
    const index = results.find((r) => r.file === 'index.html')
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
      r.file === 'index.html'
        ? { ...r, problems: [...r.problems, ...extra], notes: [...r.notes, `links ${linked.size} pages`] }
        : r,
    )
  } finally {
    await browser.close()
  }
}

/** One line per page, then the problems under it. */
export const formatResult = (r: PageResult): string =>
  `${r.problems.length === 0 ? 'ok  ' : 'FAIL'} ${r.file.padEnd(20)} ${r.notes.join('; ')}${r.problems.map((p) => `\n       - ${p}`).join('')}`

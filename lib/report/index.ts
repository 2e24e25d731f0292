/**
 * The HTML reports `npm start` writes after training: one self-contained page per part of the
 * lecture plus an index, each chart an inline SVG rendered in Node (the gain explorer carries
 * vega's browser runtime inline), so every page opens from file:// with no network.
 *
 * Rendering is pure but for the clock-free async of vega; writing is the one effect, at the end:
 * every page is rendered first, then each is written under a temporary name and renamed, the
 * index last, so a crash leaves no half page and no index pointing at a missing one.
 */
import { existsSync, readdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { experimentNames } from '../model/experiments.ts'
import { writeFileAtomic } from '../engine/files.ts'
import { buildPages, type Block, type PageDraft } from './parts/index.ts'
import type { ReportInput } from './input.ts'
import { escapeHtml, layout, scriptJson, type NavEntry } from './html.ts'
import { kataNumber, partOfKata } from './parts/table.ts'
import { sentence } from '../engine/format.ts'
import { toVega, vegaBrowserRuntime } from './render.ts'

export type { Block, PageDraft } from './parts/index.ts'
export { toVega } from './render.ts'
export type { ReportInput } from './input.ts'

export interface ReportSummary {
  /** Absolute path of index.html. */
  readonly index: string
  /** Every page but the index, in the nav's order, with its absolute path. */
  readonly pages: readonly { readonly file: string; readonly title: string; readonly headline: string }[]
}

/** A rendered page: its file name and the complete HTML. */
export interface RenderedPage {
  readonly file: string
  readonly title: string
  readonly headline: string
  readonly html: string
  /** What vega and vega-lite warned about while rendering the page's charts (a test wants none). */
  readonly warnings: readonly string[]
}

/** The built-in corpus, which `npm start` reads unless told --data. */
const DEFAULT_DATA = 'data/names.txt'

/** The command that wrote the report, the corpus and the seed: what it takes to write it again. */
const footerOf = (input: ReportInput): string => {
  const { corpus: c, options: o } = input
  const names = input.runs.map((r) => r.name)
  const subset = names.length < experimentNames.length ? ` --only ${names.join(',')}` : ''
  const data = c.source === DEFAULT_DATA ? '' : ` --data ${c.source}`
  const split = o.split === 'python' ? ' --python-split' : ''
  const flags = `${o.full ? '--full' : `--steps ${o.steps}`} --seed ${o.seed}${split}${data}${subset}`
  return (
    `Written by <code>npm start -- ${escapeHtml(flags)}</code> from ${escapeHtml(c.source)}: ${c.words.toLocaleString('en-US')} names, ` +
    `a vocabulary of ${c.vocabSize}, ${c.trainExamples.toLocaleString('en-US')} / ${c.valExamples.toLocaleString('en-US')} / ${c.testExamples.toLocaleString('en-US')} train / val / test examples. ` +
    'Every number on this page was measured in that run or computed from its seed.'
  )
}

/** Renders one block to HTML; charts become inline SVG figures numbered from `counter`. */
interface RenderState {
  /** Charts so far on the page: numbers their ids. */
  n: number
  /** Whether the page needs vega's runtime. */
  interactive: boolean
  readonly warnings: string[]
}

const renderBlock = async (block: Block, page: string, state: RenderState): Promise<string> => {
  switch (block.kind) {
    case 'html':
      return block.html
    case 'grid': {
      const parts: string[] = []
      for (const b of block.blocks) parts.push(await renderBlock(b, page, state))
      return `<div class="grid">\n${parts.join('\n')}\n</div>`
    }
    case 'chart': {
      const id = `${page}-${++state.n}`
      state.interactive = true
      const warnings: string[] = []
      const vegaSpec = toVega(block.spec, id, warnings)
      state.warnings.push(...warnings.map((w) => `${id}: ${w}`))
      return (
        `<figure class="chart" id="${id}">\n<div class="view"></div>\n<figcaption>${escapeHtml(block.caption)}</figcaption>\n</figure>\n` +
        `<script type="application/json" id="${id}-spec">${scriptJson(vegaSpec)}</script>`
      )
    }
    case 'interactive': {
      const id = `${page}-${++state.n}`
      state.interactive = true
      const warnings: string[] = []
      const vegaSpec = toVega(block.spec, id, warnings)
      state.warnings.push(...warnings.map((w) => `${id}: ${w}`))
      return (
        `<figure class="chart interactive" id="${id}" data-interactive="true">\n<div class="controls"></div>\n<div class="view"></div>\n<figcaption>${escapeHtml(block.caption)}</figcaption>\n</figure>\n` +
        `<script type="application/json" id="${id}-spec">${scriptJson(vegaSpec)}</script>`
      )
    }
  }
}

/**
 * The page's script: draws every chart from its compiled Vega spec with the inline vega runtime,
 * binds the sliders of the interactive ones, and shows each mark's figures in a tooltip.
 */
const interactiveScript = (vega: string): string => `<script>${vega}</script>
<script>
const tip = document.createElement('div');
tip.className = 'chart-tooltip';
tip.setAttribute('role', 'tooltip');
tip.hidden = true;
document.body.append(tip);
const show = (value) => typeof value === 'object' && value !== null
  ? Object.entries(value).map(([k, v]) => k + ': ' + (typeof v === 'number' ? String(Number(v.toPrecision(4))) : v)).join('\\n')
  : String(value);
const tooltip = (view, event, item, value) => {
  if (value === null || value === undefined || value === '') { tip.hidden = true; return; }
  tip.textContent = show(value);
  tip.hidden = false;
  const x = Math.min(event.clientX + 14, window.innerWidth - tip.offsetWidth - 4);
  const y = event.clientY + 14 + tip.offsetHeight > window.innerHeight ? event.clientY - tip.offsetHeight - 10 : event.clientY + 14;
  tip.style.left = Math.max(4, x) + 'px';
  tip.style.top = Math.max(4, y) + 'px';
};
for (const figure of document.querySelectorAll('figure.chart')) {
  const source = document.getElementById(figure.id + '-spec');
  if (source === null) continue;
  const container = figure.querySelector('.view');
  const controls = figure.querySelector('.controls');
  new vega.View(vega.parse(JSON.parse(source.textContent)), { renderer: 'svg', container, hover: true, ...(controls === null ? {} : { bind: controls }) })
    .tooltip(tooltip)
    .runAsync()
    .then(() => figure.setAttribute('data-rendered', 'true'))
    .catch((e) => { figure.setAttribute('data-error', String(e)); console.error(e); });
}
</script>`

const pageName = (file: string): string => file.replace(/\.html$/, '')

/** Renders a page draft to a whole HTML document, with the warnings its charts raised. */
export const renderPage = async (
  draft: PageDraft,
  nav: readonly NavEntry[],
  footer: string,
  vega: () => string = vegaBrowserRuntime,
  home = 'index.html',
): Promise<{ readonly html: string; readonly warnings: readonly string[] }> => {
  const state: RenderState = { n: 0, interactive: false, warnings: [] }
  const parts: string[] = []
  for (const b of draft.blocks) parts.push(await renderBlock(b, pageName(draft.file), state))
  const body = `<h1>${escapeHtml(draft.title)}</h1>\n<p class="lead">${draft.intro}</p>\n<p class="headline">${escapeHtml(sentence(draft.headline))}.</p>\n${parts.join('\n')}`
  return {
    html: layout({
      file: draft.file,
      title: draft.title,
      nav,
      body,
      footer,
      home,
      scripts: state.interactive ? interactiveScript(vega()) : '',
    }),
    warnings: state.warnings,
  }
}

/** index.html: what the report holds and a link to every page with its headline finding. */
export const renderIndex = (
  input: ReportInput,
  pages: readonly { file: string; title: string; headline: string }[],
  nav: readonly NavEntry[],
  katas: readonly string[] = [],
): string => {
  const runs = input.runs.map((r) => `<code>${escapeHtml(r.name)}</code>`).join(', ')
  const body = `<h1>Neural network dynamics: initialisation, normalisation and diagnostics</h1>
<p class="lead">The reports of one run of the lecture's experiments (makemore part 3): what the loss, the activations, the gradients and the updates did, one page per part of the lecture.</p>
<p>Runs in this report: ${runs === '' ? 'none' : runs}.</p>
<ul class="pages">
${pages.map((p) => `<li><a href="${escapeHtml(p.file)}">${escapeHtml(p.title)}</a><span class="headline">${escapeHtml(sentence(p.headline))}.</span></li>`).join('\n')}
</ul>
${katas.length === 0 ? "<p>Draw a kata page from your own code with <code>npm run report -- NN</code>; it joins this report's navigation when it sits beside it.</p>" : `<p>Kata pages drawn from your code: ${katas.map((k) => `<a href="katas/${escapeHtml(k)}">${escapeHtml(k.replace(/\.html$/, ''))}</a>`).join(', ')}.</p>`}`
  return layout({ file: 'index.html', title: 'Neural network dynamics: reports', nav, body, footer: footerOf(input) })
}

/** A lecture page with a link to each kata page drawn for it (`katas`: file names under katas/). */
const withKataLinks = (draft: PageDraft, katas: readonly string[]): PageDraft => {
  const mine = katas.filter((k) => partOfKata(k)?.file === draft.file)
  if (mine.length === 0) return draft
  const links = mine.map((k) => `<a href="katas/${escapeHtml(k)}">kata ${escapeHtml(k.replace(/\.html$/, ''))}</a>`)
  return {
    ...draft,
    intro: `${draft.intro} <span class="kata-link">Your code draws this in ${links.join(' and ')}.</span>`,
  }
}

/** The lab (lab/build.ts), which npm start writes beside the pages. */
const LAB_ENTRY = {
  file: 'lab.html',
  title: 'The lab',
  headline: "train the lecture's networks in the page and watch the instruments move as you turn the knobs",
}

/** The site's nav: the report's pages in order, the kata pages drawn beside them (file names under katas/), the lab. */
export const siteNav = (pages: readonly NavEntry[], katas: readonly string[]): NavEntry[] => [
  ...pages.map((p) => ({ file: p.file, nav: p.nav })),
  ...katas.map((k) => ({ file: `katas/${k}`, nav: kataNumber(k), kata: true })),
  { file: LAB_ENTRY.file, nav: 'Lab' },
]

/** Renders every page and the index in memory: file name to HTML, the index last. */
export const renderReports = async (
  input: ReportInput,
  vega: () => string = vegaBrowserRuntime,
  katas: readonly string[] = [],
): Promise<RenderedPage[]> => {
  const drafts = buildPages(input).map((d) => withKataLinks(d, katas))
  const nav = siteNav(drafts, katas)
  const footer = footerOf(input)
  const pages: RenderedPage[] = []
  for (const d of drafts)
    pages.push({ file: d.file, title: d.title, headline: d.headline, ...(await renderPage(d, nav, footer, vega)) })
  pages.push({
    file: 'index.html',
    title: 'Neural network dynamics: reports',
    headline: '',
    html: renderIndex(input, [...drafts, LAB_ENTRY], nav, katas),
    warnings: [],
  })
  return pages
}

/**
 * Writes the reports into `outDir` (created if needed): every page, then index.html. Each file
 * is written under a temporary name and renamed into place.
 */
/** The kata pages drawn so far (npm run report) beside a report folder: they join its nav. */
export const kataPagesBeside = (outDir: string): string[] => {
  const kataDir = resolve(outDir, 'katas')
  return existsSync(kataDir)
    ? readdirSync(kataDir)
        .filter((f) => /^\d\d-[a-z0-9-]+\.html$/.test(f))
        .sort()
    : []
}

export const writeReports = async (outDir: string, input: ReportInput): Promise<ReportSummary> => {
  const pages = await renderReports(input, vegaBrowserRuntime, kataPagesBeside(outDir))
  for (const p of pages) writeFileAtomic(resolve(outDir, p.file), p.html)
  return {
    index: resolve(outDir, 'index.html'),
    pages: pages
      .filter((p) => p.file !== 'index.html')
      .map((p) => ({ file: resolve(outDir, p.file), title: p.title, headline: p.headline })),
  }
}

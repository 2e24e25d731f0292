import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readNamesOrThrow } from '../model/data.ts'
import {
  experiments,
  prepareCorpus,
  runExperiment,
  snapshotStepsFor,
  type ExperimentRun,
} from '../model/experiments.ts'
import { SATURATION, diagnoseRun, saturationFraction, verdict } from '../instruments/diagnostics.ts'
import {
  renderReports,
  toVega,
  writeReports,
  type Block,
  type PageDraft,
  type RenderedPage,
  type ReportInput,
} from './index.ts'
import { renderSvg } from './render.ts'
import { buildPages, partPage } from './parts/index.ts'

const initialLossPage = (d: ReportInput) => partPage('01-initial-loss', d)
const saturationPage = (d: ReportInput) => partPage('02-saturation', d)
const batchNormPage = (d: ReportInput) => partPage('04-batchnorm', d)
const instrumentsPage = (d: ReportInput) => partPage('05-instruments', d)
const resultsPage = (d: ReportInput) => partPage('06-results', d)
const diagnosePage = (d: ReportInput) => partPage('07-diagnose', d)

// A small corpus and brief runs of every experiment: real Traces, Histories and snapshots.
const words = readNamesOrThrow('data/names.txt')
const corpus = prepareCorpus(
  words.filter((_, i) => i % 32 === 0),
  42,
)
const STEPS = 60
const runs: ExperimentRun[] = experiments.map((e) =>
  runExperiment(e, corpus, { steps: STEPS, seed: 42, samples: 3, snapshotSteps: snapshotStepsFor }),
)
const input: ReportInput = {
  runs,
  corpus: {
    source: 'data/names.txt (every 32nd name)',
    words: corpus.words,
    vocabSize: corpus.vocab.size,
    trainExamples: corpus.train.count,
    valExamples: corpus.val.count,
    testExamples: corpus.test.count,
  },
  options: { steps: STEPS, seed: 42, full: false },
}
const PAGES = [
  'initial-loss.html',
  'saturation.html',
  'kaiming.html',
  'batchnorm.html',
  'instruments.html',
  'results.html',
  'diagnose.html',
  'gain-explorer.html',
]

/** Every chart spec of a page draft, in page order. */
/** A spec's x or y channel, as far as the axis tests read it. */
type Channel = {
  field?: string
  title?: string
  scale?: { type?: string; domain?: unknown }
  axis?: { values?: number[] }
}

/** A Vega-Lite spec and every view inside it (its layers, concatenations and faceted spec), depth first. */
const viewsOf = (spec: unknown): { encoding?: { x?: Channel; y?: Channel } }[] => {
  if (spec === null || typeof spec !== 'object') return []
  const o = spec as Record<string, unknown>
  const inner = ['layer', 'hconcat', 'vconcat', 'concat', 'spec'].flatMap((k) => ([] as unknown[]).concat(o[k] ?? []))
  return [o as { encoding?: { x?: Channel; y?: Channel } }, ...inner.flatMap(viewsOf)]
}

const chartsOf = (blocks: readonly Block[]): Extract<Block, { kind: 'chart' | 'interactive' }>[] =>
  blocks.flatMap((b) =>
    b.kind === 'grid' ? chartsOf(b.blocks) : b.kind === 'chart' || b.kind === 'interactive' ? [b] : [],
  )
const textOf = (blocks: readonly Block[]): string =>
  blocks.map((b) => (b.kind === 'html' ? b.html : b.kind === 'grid' ? textOf(b.blocks) : b.caption)).join('\n')
const rowsOf = (spec: unknown): Record<string, unknown>[] =>
  (spec as { data: { values: Record<string, unknown>[] } }).data.values

let rendered: RenderedPage[]
const dirs: string[] = []
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'reports-test-'))
  dirs.push(d)
  return d
}
beforeAll(async () => {
  rendered = await renderReports(input)
})
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe('the pages', () => {
  it('render every page with no vega or vega-lite warning, every chart a compiled spec the page draws, with data marks', async () => {
    expect(rendered.map((p) => p.file)).toEqual([...PAGES, 'index.html'])
    for (const p of rendered) {
      expect(p.warnings, p.file).toEqual([])
      const figures = [...p.html.matchAll(/<figure class="chart[^"]*" id="([^"]+)"/g)].map((m) => m[1])
      for (const id of figures)
        expect(p.html, `${p.file} ${id}`).toContain(`<script type="application/json" id="${id}-spec">`)
    }
    // drawn in Node, every static chart of every page has data marks and raises no warning
    for (const d of buildPages(input))
      for (const c of chartsOf(d.blocks).filter((c) => c.kind === 'chart')) {
        const { svg, warnings } = await renderSvg(c.spec, 'c')
        expect(warnings, d.file).toEqual([])
        expect(svg, d.file).toMatch(/role-mark[^>]*>(<path|<line|<text)/)
      }
    expect(rendered.find((p) => p.file === 'instruments.html')?.html.match(/<figure class="chart/g)?.length).toBe(18)
  })

  it('charts side by side on one x field share one x domain, on every page', () => {
    // the x scale domain of each x field of a spec (set, or drawn from the data), through its layers and concatenations
    const xDomains = (spec: unknown): Map<string, string> => {
      const out = new Map<string, string>()
      for (const { encoding } of viewsOf(spec)) {
        const x = encoding?.x
        if (x?.field !== undefined && !out.has(x.field))
          out.set(x.field, Array.isArray(x.scale?.domain) ? JSON.stringify(x.scale.domain) : 'drawn from the data')
      }
      return out
    }
    const grids = (blocks: readonly Block[]): Block[][] =>
      blocks.flatMap((b) => (b.kind === 'grid' ? [[...b.blocks], ...grids(b.blocks)] : []))
    let pairs = 0
    for (const d of buildPages(input))
      for (const g of grids(d.blocks)) {
        const charts = g.flatMap((b) => (b.kind === 'chart' ? [xDomains(b.spec)] : []))
        for (const [i, a] of charts.entries())
          for (const b of charts.slice(i + 1))
            for (const [field, domain] of a)
              if (b.has(field)) {
                pairs++
                expect(b.get(field), `${d.file}: charts side by side on x = ${field}`).toBe(domain)
              }
      }
    expect(pairs).toBeGreaterThan(0)
  })

  it('a log axis has no 0 tick, and an axis that does show 0 (symlog) does not call itself a log scale', () => {
    const channels = (spec: unknown): Channel[] =>
      viewsOf(spec).flatMap(({ encoding }) => [encoding?.x, encoding?.y].filter((c) => c !== undefined))
    let logs = 0
    for (const d of buildPages(input))
      for (const c of chartsOf(d.blocks))
        for (const ch of channels(c.spec)) {
          if (ch.scale?.type === 'log') {
            logs++
            expect(ch.axis?.values ?? [], `${d.file}: ${ch.title}`).not.toContain(0)
          }
          if (ch.scale?.type === 'symlog') expect(ch.title ?? '', d.file).not.toMatch(/\(log scale\)/)
        }
    expect(logs).toBeGreaterThan(0)
  })

  it("the instrument panel's histograms count every value of each tanh layer at the snapshot they show", () => {
    const page = instrumentsPage(input)
    const run = runs.find((r) => r.name === 'deep-tanh')
    const first = run?.history.snapshots[0]
    if (first === undefined) throw new Error('no snapshot')
    const spec = chartsOf(page.blocks).find((c) =>
      JSON.stringify(c.spec).includes('activation distribution, step 0'),
    )?.spec
    const rows = rowsOf(spec)
    const tanhs = first.trace.layers.filter((l) => l.kind === 'tanh')
    expect(new Set(rows.map((r) => r.series)).size).toBe(tanhs.length)
    for (const [k, l] of tanhs.entries()) {
      const label = [...new Set(rows.map((r) => String(r.series)))][k]
      expect(label).toContain(`(${l.name})`)
      expect(label).toContain(`saturated ${(100 * saturationFraction(l.out.data, SATURATION.panel)).toFixed(2)}%`)
      expect(rows.filter((r) => r.series === label).reduce((s, r) => s + Number(r.count), 0)).toBe(l.out.data.length)
    }
  })

  it("headlines quote the runs' own figures", () => {
    const naive = runs[0],
      fixed = runs[1]
    expect(initialLossPage(input).headline).toContain(`naive starts at loss ${naive.initLoss.toFixed(2)}`)
    expect(initialLossPage(input).headline).toContain(`starts at ${fixed.initLoss.toFixed(2)}`)
    const diagnosed = runs.filter((r) => diagnoseRun(r).length > 0)
    const headline = diagnosePage(input).headline
    for (const r of diagnosed) expect(headline).toContain(`${r.name}: ${verdict(diagnoseRun(r)).join(', ')}`)
    expect(headline).toContain(`${runs.length - diagnosed.length} run`)
    const best = [...runs].sort((a, b) => a.val - b.val)[0]
    expect(resultsPage(input).headline).toContain(`lowest validation loss ${best.val.toFixed(4)} (${best.name})`)
    // The Kaiming page's headline (which the index quotes) and its caption give gain 2's growth as one number.
    const kaiming = partPage('03-kaiming', input)
    const grows = /gain 2 multiplies it by ([\d,.]+)/.exec(kaiming.headline)?.[1]
    expect(grows).toBeDefined()
    expect(JSON.stringify(kaiming).split(`× ${grows} after`).length - 1).toBe(1)
  })

  it('every page copes with any subset of runs: its charts still compile, and a missing run is named in a note', () => {
    const builders: ((d: ReportInput) => PageDraft)[] = [
      initialLossPage,
      saturationPage,
      batchNormPage,
      instrumentsPage,
      resultsPage,
      diagnosePage,
    ]
    fc.assert(
      fc.property(fc.subarray(runs), (subset) => {
        const data = { ...input, runs: subset }
        const has = (n: string) => subset.some((r) => r.name === n)
        for (const build of builders) {
          const page = build(data)
          expect(page.headline.length).toBeGreaterThan(0)
          for (const c of chartsOf(page.blocks)) {
            const warnings: string[] = []
            toVega(c.spec, page.file, warnings)
            expect(warnings, page.file).toEqual([])
          }
        }
        if (!has('batchnorm')) expect(textOf(batchNormPage(data).blocks)).toContain('<code>batchnorm</code> run')
        if (!has('deep-tanh')) expect(textOf(instrumentsPage(data).blocks)).toContain('<code>deep-tanh</code> run')
        if (!has('naive') && !has('fix-softmax'))
          expect(textOf(initialLossPage(data).blocks)).toContain('<code>naive</code> and <code>fix-softmax</code> runs')
        if (!has('naive') && !has('fix-tanh') && !has('kaiming'))
          expect(chartsOf(saturationPage(data).blocks).length).toBe(1) // only the tanh curve
      }),
      { numRuns: 6 },
    )
  })
})

describe('writeReports', () => {
  let dir: string
  let summary: Awaited<ReturnType<typeof writeReports>>
  beforeAll(async () => {
    dir = join(tempDir(), 'nested', 'reports')
    summary = await writeReports(dir, input)
  })

  it('writes every page and an index that links each with its headline; nothing temporary is left', () => {
    expect(summary.index).toBe(join(dir, 'index.html'))
    expect(summary.pages.map((p) => p.file)).toEqual(PAGES.map((f) => join(dir, f)))
    expect(readdirSync(dir).sort()).toEqual([...PAGES, 'index.html'].sort())
    const index = readFileSync(summary.index, 'utf8')
    for (const p of summary.pages) {
      const file = p.file.slice(dir.length + 1)
      expect(index).toContain(`<a href="${file}">`)
      expect(index).toContain(
        p.headline.slice(1).replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
      )
    }
  })

  it('the same input gives byte-identical HTML (the pages written and the pages rendered before)', () => {
    for (const p of rendered) expect(readFileSync(join(dir, p.file), 'utf8') === p.html, p.file).toBe(true)
  })

  it('renders everything before writing anything: a failure leaves the folder as it was', async () => {
    const dir = join(tempDir(), 'out')
    await expect(writeReports(dir, { ...input, corpus: { ...input.corpus, vocabSize: 0 } })).rejects.toThrow()
    expect(existsSync(dir)).toBe(false)
  })

  it('pages need no network: no http(s) URL is loaded, and the explorer carries vega inline', () => {
    for (const p of rendered) expect(p.html, p.file).not.toMatch(/(src|href)=["']?https?:/)
    const explorer = rendered.find((p) => p.file === 'gain-explorer.html')?.html ?? ''
    expect(explorer).toContain('<script type="application/json" id="gain-explorer-1-spec">')
    expect(explorer.length).toBeGreaterThan(400_000) // vega.min.js itself
    // every page with a chart carries the runtime and draws its charts itself; the index has none
    for (const p of rendered) expect(p.html.includes('vega.View'), p.file).toBe(p.html.includes('<figure class="chart'))
  })
})

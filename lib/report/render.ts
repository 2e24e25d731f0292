/**
 * From a Vega-Lite spec to something a browser shows without a network: an SVG string rendered
 * in Node by vega (static charts), or the compiled Vega spec that the page's inline vega runtime
 * runs (the interactive chart).
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import * as vega from 'vega'
import { compile, type TopLevelSpec } from 'vega-lite'

/** A Vega or Vega-Lite complaint about a spec, with the chart it came from. */
export class ChartError extends Error {
  constructor(chart: string, detail: string) {
    super(`chart '${chart}': ${detail}`)
    this.name = 'ChartError'
  }
}

/**
 * Advance widths (per 1000 em) of ASCII 32..126 in Helvetica (Adobe's AFM), which Arial and
 * Liberation Sans share: the charts' font. Without a canvas vega guesses 0.8 em per character,
 * which cuts legend labels short and spaces axes for text half again as wide as it is.
 */
const HELVETICA_WIDTHS = [
  278,
  278,
  355,
  556,
  556,
  889,
  667,
  191,
  333,
  333,
  389,
  584,
  278,
  333,
  278,
  278, // space to /
  556,
  556,
  556,
  556,
  556,
  556,
  556,
  556,
  556,
  556,
  278,
  278,
  584,
  584,
  584,
  556,
  1015, // 0-9 : ; < = > ? @
  667,
  667,
  722,
  722,
  667,
  611,
  778,
  722,
  278,
  500,
  667,
  556,
  833,
  722,
  778,
  667,
  778,
  722,
  667,
  611,
  722,
  667,
  944,
  667,
  667,
  611, // A-Z
  278,
  278,
  278,
  469,
  556,
  333, // [ \ ] ^ _ `
  556,
  556,
  500,
  556,
  556,
  278,
  556,
  556,
  222,
  222,
  500,
  222,
  833,
  556,
  556,
  556,
  556,
  333,
  500,
  278,
  556,
  500,
  722,
  500,
  500,
  500, // a-z
  334,
  260,
  334,
  584, // { | } ~
]
const OTHER_WIDTHS: Readonly<Record<string, number>> = {
  '−': 584,
  '×': 584,
  '√': 549,
  '²': 333,
  '…': 1000,
  '≈': 549,
  '–': 556,
  '—': 1000,
  '±': 584,
  '“': 333,
  '”': 333,
  '’': 222,
}

/** The width in pixels of `text` in Helvetica at `fontSize`, a little generous (bold is wider). */
export const textWidth = (text: string, fontSize: number, bold = false): number => {
  let units = 0
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0
    units += c >= 32 && c <= 126 ? HELVETICA_WIDTHS[c - 32] : (OTHER_WIDTHS[ch] ?? 600)
  }
  return Math.ceil((units * fontSize * (bold ? 1.08 : 1) * 1.03) / 1000)
}

interface TextItem {
  readonly text?: unknown
  readonly fontSize?: number
  readonly fontWeight?: string | number
}

// vega calls a user-defined textMetrics.width for every label it lays out (as vl-convert does)
const metrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text?: unknown) => number } }).textMetrics
metrics.width = (item, text) => {
  const value = text ?? item.text
  const lines = Array.isArray(value) ? value.map(String) : [value === undefined || value === null ? '' : String(value)]
  const weight = item.fontWeight
  const bold =
    weight === 'bold' ||
    (typeof weight === 'number' && weight >= 600) ||
    (typeof weight === 'string' && Number(weight) >= 600)
  return Math.max(0, ...lines.map((l) => textWidth(l, item.fontSize ?? 11, bold)))
}

const text = (args: readonly unknown[]): string =>
  args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ')

/** A logger that keeps warnings and turns errors into a ChartError. */
const collectingLogger = (chart: string, warnings: string[]) =>
  vega.logger(vega.Warn, undefined, (method, _level, args) => {
    if (method === 'error') throw new ChartError(chart, text(args))
    warnings.push(text(args))
  })

/** The Vega spec a Vega-Lite spec compiles to; `warnings` collects what the compiler complains about. */
export const toVega = (spec: TopLevelSpec, chart = 'chart', warnings: string[] = []): vega.Spec => {
  try {
    return compile(spec, { logger: collectingLogger(chart, warnings) }).spec
  } catch (e) {
    if (e instanceof ChartError) throw e
    throw new ChartError(chart, e instanceof Error ? e.message : String(e))
  }
}

export interface RenderedChart {
  readonly svg: string
  /** Vega-Lite and Vega warnings (an empty domain, a dropped field): a test wants none. */
  readonly warnings: readonly string[]
}

/**
 * Renders a static chart to SVG. Every id in it (clip paths, gradients) gets `prefix`, so that
 * several charts can share a page: vega numbers them from 1 in each SVG, and a page with two
 * `clip1`s would clip the second chart with the first one's rectangle.
 */
export const renderSvg = async (spec: TopLevelSpec, prefix: string): Promise<RenderedChart> => {
  const warnings: string[] = []
  const runtime = vega.parse(toVega(spec, prefix, warnings))
  vega.resetSVGDefIds()
  const view = new vega.View(runtime, { renderer: 'none', logger: collectingLogger(prefix, warnings) })
  try {
    const svg = await view.toSVG()
    return { svg: prefixIds(svg, prefix), warnings }
  } finally {
    view.finalize()
  }
}

/** Gives every `id="x"` and `url(#x)` in an SVG the prefix `p-`. */
export const prefixIds = (svg: string, prefix: string): string =>
  svg.replace(/ id="([^"]+)"/g, ` id="${prefix}-$1"`).replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`)

/** vega's browser build, read from node_modules, for the interactive page to carry inline. */
export const vegaBrowserRuntime = (): string => {
  // the package exports only its module and its schema; the browser build sits beside the schema
  const schema = createRequire(import.meta.url).resolve('vega/vega-schema.json')
  return readFileSync(join(dirname(schema), 'vega.min.js'), 'utf8')
}

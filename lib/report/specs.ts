/**
 * Vega-Lite spec builders: data in, spec out, nothing else. Each builder takes the figures a
 * chart shows (histograms already counted by lib/diagnostics, series already measured) and
 * returns a complete spec; the data sits inline in the spec, so a page is its own source.
 */
import type { Config, TopLevelSpec } from 'vega-lite'
import type { Histogram, SaturationMap } from '../instruments/diagnostics.ts'

/** The site's colours, in order: layer k (its Linear, BatchNorm, tanh and their weights) is colour k - 1. */
export const PALETTE: readonly string[] = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#bcbd22',
  '#17becf',
]
/** The embedding C's colour, and the grey of a reference. */
export const EMBEDDING_COLOR = '#7f7f7f'

/** The shared look: quiet axes, a left-aligned title, legends that never cut a label short. */
export const chartConfig: Config = {
  font: 'Helvetica, Arial, sans-serif',
  background: 'white',
  padding: 8,
  view: { stroke: '#d1d9e0' },
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 'normal',
    titleColor: '#1f2328',
    labelColor: '#424a53',
    gridColor: '#eef1f4',
    domainColor: '#8c959f',
    tickColor: '#8c959f',
    labelOverlap: true,
  },
  legend: { labelFontSize: 11, titleFontSize: 11, labelLimit: 520, symbolStrokeWidth: 2.5 },
  title: {
    fontSize: 14,
    fontWeight: 600,
    anchor: 'start',
    subtitleFontSize: 11.5,
    subtitleColor: '#59636e',
    offset: 10,
  },
  header: { labelFontSize: 12, labelFontWeight: 600, titleFontSize: 12 },
  // every mark that carries a number shows it on hover (the page's tooltip handler)
  mark: { tooltip: true },
  // vega's category10: the site's palette with the grey of C and the references in its place
  range: { category: [...PALETTE.slice(0, 7), EMBEDDING_COLOR, ...PALETTE.slice(7)] },
}

/** Rounds to `digits` significant digits: smaller pages, same picture, same bytes every run. */
export const sig = (x: number, digits = 6): number =>
  Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(digits)) : x

const RUN_COLORS: Readonly<Record<string, string>> = {
  naive: '#d62728',
  'fix-softmax': '#ff7f0e',
  'fix-tanh': '#2ca02c',
  kaiming: '#1f77b4',
  batchnorm: '#9467bd',
  'deep-tanh': '#8c564b',
  'deep-batchnorm': '#e377c2',
}

/**
 * One colour per layer, parameter and run across every page: `tanh3`, `linear3.weight` and
 * `batchnorm3` share layer 3's colour; `embedding.weight` (C) is grey; a run has its own.
 */
export const colorOf = (name: string): string => {
  const run = RUN_COLORS[name]
  if (run !== undefined) return run
  if (name.startsWith('embedding')) return EMBEDDING_COLOR
  const k = /^[a-z]+(\d+)/i.exec(name)?.[1]
  return k === undefined ? PALETTE[0] : PALETTE[(Number(k) - 1) % PALETTE.length]
}

const titleOf = (text: string, subtitle?: string | readonly string[]) =>
  subtitle === undefined ? { text } : { text, subtitle: typeof subtitle === 'string' ? subtitle : [...subtitle] }

// ---------------------------------------------------------------------------------------------
// Histograms

/** One histogram in a chart, under its legend label. */
export interface HistogramSeries {
  readonly label: string
  readonly histogram: Histogram
}

/** A histogram's bins as rows: which series, the bin's edges and centre, its count and density. */
export interface HistogramRow {
  readonly series: string
  readonly start: number
  readonly end: number
  readonly x: number
  readonly count: number
  readonly density: number
}

export const histogramRows = (series: readonly HistogramSeries[]): HistogramRow[] =>
  series.flatMap(({ label, histogram: h }) =>
    Array.from(h.counts, (count, i) => ({
      series: label,
      start: sig(h.edges[i]),
      end: sig(h.edges[i + 1]),
      x: sig((h.edges[i] + h.edges[i + 1]) / 2),
      count,
      density: sig(h.density[i]),
    })),
  )

export interface DensityLinesOptions {
  readonly title: string
  readonly subtitle?: string | readonly string[]
  readonly xTitle: string
  readonly series: readonly HistogramSeries[]
  /** One colour per series, in order (default: the palette in order). */
  readonly colors?: readonly string[]
  /** The y axis's top: charts meant to be compared pass the same one. */
  readonly yMax?: number
  readonly width?: number
  readonly height?: number
}

/** The highest density of any bin of any series: the shared y top of charts set side by side. */
export const maxDensity = (series: readonly HistogramSeries[]): number =>
  series.reduce((m, s) => Math.max(m, ...Array.from(s.histogram.density)), 0)

/**
 * Several histograms as density lines on one axis, one colour each: the lecture's
 * `plt.plot(hx[:-1], hy)` per layer, with each layer's statistics in its legend label.
 */
export const densityLinesSpec = (o: DensityLinesOptions): TopLevelSpec => {
  const h = o.series[0]?.histogram
  const labels = o.series.map((s) => s.label)
  return {
    title: titleOf(o.title, o.subtitle),
    width: o.width ?? 460,
    height: o.height ?? 220,
    config: chartConfig,
    data: { values: histogramRows(o.series) },
    mark: { type: 'line', strokeWidth: 1.6, point: { opacity: 0, size: 50 } },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: o.xTitle,
        scale: h === undefined ? {} : { domain: [sig(h.min), sig(h.max)], nice: false },
      },
      y: {
        field: 'density',
        type: 'quantitative',
        title: 'density',
        scale: o.yMax === undefined ? {} : { domain: [0, sig(o.yMax, 3)], nice: false },
      },
      color: {
        field: 'series',
        type: 'nominal',
        sort: labels,
        title: null,
        scale: { domain: labels, range: [...(o.colors ?? PALETTE.slice(0, labels.length))] },
        legend: { orient: 'bottom', direction: 'vertical' },
      },
      tooltip: [
        { field: 'series', type: 'nominal', title: 'series' },
        { field: 'x', type: 'quantitative', title: o.xTitle, format: '.3~g' },
        { field: 'density', type: 'quantitative', title: 'density', format: '.3~g' },
        { field: 'count', type: 'quantitative', title: 'count' },
      ],
    },
  }
}

export interface HistogramBarsOptions {
  readonly title: string
  readonly subtitle?: string | readonly string[]
  readonly xTitle: string
  /** One panel per series, side by side, on one y scale (counts compared). */
  readonly series: readonly HistogramSeries[]
  readonly width?: number
  readonly height?: number
  readonly color?: string
}

/** How many x ticks a histogram panel of this width gets: about one per 60 px, at least 3. */
const histogramTicks = (width: number): number => Math.max(3, Math.floor(width / 60))

/** Histograms as bars, one panel per series on a shared scale: the lecture's `plt.hist(h.view(-1).tolist(), 50)`. */
export const histogramBarsSpec = (o: HistogramBarsOptions): TopLevelSpec => {
  const h = o.series[0]?.histogram
  return {
    title: titleOf(o.title, o.subtitle),
    config: chartConfig,
    data: { values: histogramRows(o.series) },
    facet: {
      column: { field: 'series', type: 'nominal', sort: o.series.map((s) => s.label), title: null },
    },
    spec: {
      width: o.width ?? 300,
      height: o.height ?? 160,
      mark: { type: 'rect', color: o.color ?? PALETTE[0], stroke: 'white', strokeWidth: 0.4 },
      encoding: {
        x: {
          field: 'start',
          type: 'quantitative',
          title: o.xTitle,
          scale: h === undefined ? {} : { domain: [sig(h.min), sig(h.max)], nice: false },
          // about one tick per 60 px, and a label that would touch its neighbour is dropped (they ran together)
          axis: { tickCount: histogramTicks(o.width ?? 300), labelOverlap: 'greedy' as const, format: '~g' },
        },
        x2: { field: 'end' },
        y: { field: 'count', type: 'quantitative', title: 'count' },
        tooltip: [
          { field: 'start', type: 'quantitative', title: 'from', format: '.3~g' },
          { field: 'end', type: 'quantitative', title: 'to', format: '.3~g' },
          { field: 'count', type: 'quantitative', title: 'count' },
        ],
      },
    },
    resolve: { scale: { y: 'shared', x: 'shared' } },
  }
}

// ---------------------------------------------------------------------------------------------
// Lines

export interface Point {
  readonly x: number
  readonly y: number
}

export interface LineSeries {
  /** The legend entry and colour; several series may share one (a raw curve and its average). */
  readonly group: string
  readonly points: readonly Point[]
  /** A faint, thin line behind the main one (the raw loss behind its moving average). */
  readonly faint?: boolean
  /** A short label drawn at the line's right end (the layer or parameter name). */
  readonly endLabel?: string
}

/** A horizontal reference line with a label (log10 update:data = -3). */
export interface Rule {
  readonly y: number
  readonly label: string
  /** Where the label sits at the right end of the rule (default above). */
  readonly labelBelow?: boolean
}

/** A vertical line at an x with a label at its top (the step where the learning rate drops). */
export interface XRule {
  readonly x: number
  readonly label: string
}

/** A shaded horizontal band with a label (the healthy range of update:data). */
export interface Band {
  readonly from: number
  readonly to: number
  readonly label: string
}

export interface LinesOptions {
  readonly title: string
  readonly subtitle?: string | readonly string[]
  readonly xTitle: string
  readonly yTitle: string
  readonly series: readonly LineSeries[]
  readonly rules?: readonly Rule[]
  readonly xRules?: readonly XRule[]
  readonly band?: Band
  readonly yScale?: 'linear' | 'log'
  /** 'symlog': a log axis of steps that still shows step 0. */
  readonly xScale?: 'linear' | 'log' | 'symlog'
  readonly xDomain?: readonly [number, number]
  readonly yDomain?: readonly [number, number]
  /** The y axis's tick labels (a d3 format: '.0%' for shares, '.2~f' for losses in nats). */
  readonly yFormat?: string
  /** Explicit y ticks (the loss in nats on a log axis). */
  readonly yValues?: readonly number[]
  /** One colour per group, in the order of first appearance (default: the palette). */
  readonly colors?: readonly string[]
  /** Draw a dot at every point (short series, e.g. one per layer). */
  readonly points?: boolean
  readonly integerX?: boolean
  /** Legend entries per row (default: one per row). */
  readonly legendColumns?: number
  readonly width?: number
  readonly height?: number
}

const NUMBER_FORMAT = '.4~g'

/** Lines over a shared x axis, with optional reference rules, bands and line-end labels: loss curves, update:data, std across depth. */
export const linesSpec = (o: LinesOptions): TopLevelSpec => {
  const groups = [...new Set(o.series.map((s) => s.group))]
  const rows = o.series.flatMap((s, k) =>
    s.points.map((p) => ({
      group: s.group,
      key: `${k}`,
      x: sig(p.x),
      y: sig(p.y),
      opacity: s.faint === true ? 0.28 : 1,
      width: s.faint === true ? 1 : 2,
    })),
  )
  const width = o.width ?? 460
  const color = {
    field: 'group',
    type: 'nominal' as const,
    sort: groups,
    title: null,
    scale: { domain: groups, range: [...(o.colors ?? PALETTE.slice(0, groups.length))] },
    legend:
      o.legendColumns === undefined
        ? { orient: 'bottom' as const, direction: 'vertical' as const }
        : { orient: 'bottom' as const, direction: 'horizontal' as const, columns: o.legendColumns },
  }
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    title: o.xTitle,
    scale: {
      type: o.xScale ?? 'linear',
      nice: false,
      ...(o.xDomain === undefined ? {} : { domain: [...o.xDomain] }),
    },
    axis:
      o.integerX === true
        ? { tickMinStep: 1, format: 'd' }
        : o.xScale === 'symlog' || o.xScale === 'log'
          ? // a log axis has no 0; a symlog one starts at 0 and is logarithmic past 1
            { values: [...(o.xScale === 'symlog' ? [0] : []), 1, 10, 100, 1000, 10_000, 100_000], format: ',d' }
          : {},
  }
  const y = {
    field: 'y',
    type: 'quantitative' as const,
    title: o.yTitle,
    scale: {
      type: o.yScale ?? 'linear',
      ...(o.yScale === 'log' ? {} : { zero: false }),
      ...(o.yDomain === undefined ? {} : { domain: [...o.yDomain], nice: false }),
    },
    // a log axis would otherwise draw a grid line at every 2..9 of every decade
    axis: {
      ...(o.yScale === 'log' ? { tickCount: 6, format: '~g' } : {}),
      ...(o.yFormat === undefined ? {} : { format: o.yFormat }),
      ...(o.yValues === undefined ? {} : { values: [...o.yValues] }),
    },
  }
  const tooltip = [
    { field: 'group', type: 'nominal' as const, title: 'series' },
    { field: 'x', type: 'quantitative' as const, title: o.xTitle, format: NUMBER_FORMAT },
    { field: 'y', type: 'quantitative' as const, title: o.yTitle, format: o.yFormat ?? NUMBER_FORMAT },
  ]
  const lines = {
    data: { values: rows },
    mark: {
      type: 'line' as const,
      point: o.points === true ? { filled: true, size: 28 } : false,
      clip: true,
      tooltip: o.points === true,
    },
    encoding: {
      x,
      y,
      color,
      detail: { field: 'key', type: 'nominal' as const },
      opacity: { field: 'opacity', type: 'quantitative' as const, scale: null, legend: null },
      strokeWidth: { field: 'width', type: 'quantitative' as const, scale: null, legend: null },
      ...(o.points === true ? { tooltip } : {}),
    },
  }
  // invisible dots on the bold lines: what the pointer finds, each with its numbers
  const bold = rows.filter((r) => r.opacity === 1)
  const hover =
    o.points === true
      ? []
      : [
          {
            data: { values: bold },
            mark: { type: 'point' as const, opacity: 0, size: 60, clip: true, filled: true },
            encoding: { x, y, color, tooltip },
          },
        ]
  // line-end labels; lines that end at the same spot share one label ("case B, case H")
  const ys = rows.map((r) => r.y).filter(Number.isFinite)
  const span = Math.max(1e-12, Math.max(...ys) - Math.min(...ys))
  const near = (a: number, b: number) =>
    o.yScale === 'log' && a > 0 && b > 0 ? Math.abs(Math.log(a / b)) < 0.05 : Math.abs(a - b) < 0.02 * span
  const ends: { group: string; x: number; y: number; label: string }[] = []
  for (const s of o.series) {
    if (s.endLabel === undefined || s.points.length === 0) continue
    const p = s.points[s.points.length - 1]
    const same = ends.find((e) => e.x === sig(p.x) && near(e.y, sig(p.y)))
    if (same === undefined) ends.push({ group: s.group, x: sig(p.x), y: sig(p.y), label: s.endLabel })
    else if (!same.label.split(', ').includes(s.endLabel)) same.label = `${same.label}, ${s.endLabel}`
  }
  const endLabels =
    ends.length === 0
      ? []
      : [
          {
            data: { values: ends },
            mark: {
              type: 'text' as const,
              align: 'left' as const,
              dx: 4,
              fontSize: 10,
              fontWeight: 600 as const,
              tooltip: false,
            },
            encoding: { x, y, color, text: { field: 'label', type: 'nominal' as const } },
          },
        ]
  const rules = o.rules ?? []
  const ruleLayers =
    rules.length === 0
      ? []
      : [
          {
            data: { values: rules.map((r) => ({ y: r.y, label: r.label })) },
            mark: { type: 'rule' as const, strokeDash: [5, 4], color: '#424a53', strokeWidth: 1.2, tooltip: false },
            encoding: { y: { field: 'y', type: 'quantitative' as const } },
          },
          ...[false, true].flatMap((below) => {
            const mine = rules.filter((r) => (r.labelBelow === true) === below)
            return mine.length === 0
              ? []
              : [
                  {
                    data: { values: mine.map((r) => ({ y: r.y, label: r.label })) },
                    mark: {
                      type: 'text' as const,
                      align: 'right' as const,
                      baseline: below ? ('top' as const) : ('bottom' as const),
                      dy: below ? 3 : -3,
                      color: '#424a53',
                      fontSize: 11,
                      tooltip: false,
                    },
                    encoding: {
                      y: { field: 'y', type: 'quantitative' as const },
                      x: { value: width - 4 },
                      text: { field: 'label', type: 'nominal' as const },
                    },
                  },
                ]
          }),
        ]
  const xRules = o.xRules ?? []
  const xRuleLayers =
    xRules.length === 0
      ? []
      : [
          {
            data: { values: xRules.map((r) => ({ x: r.x, label: r.label })) },
            mark: { type: 'rule' as const, strokeDash: [3, 3], color: '#b42318', strokeWidth: 1.3 },
            encoding: {
              x: { field: 'x', type: 'quantitative' as const },
              tooltip: [
                { field: 'label', type: 'nominal' as const, title: 'what' },
                { field: 'x', type: 'quantitative' as const, title: o.xTitle },
              ],
            },
          },
          {
            data: { values: xRules.map((r) => ({ x: r.x, label: r.label })) },
            mark: {
              type: 'text' as const,
              align: 'left' as const,
              baseline: 'top' as const,
              dx: 4,
              y: 4,
              color: '#b42318',
              fontSize: 11,
              tooltip: false,
            },
            encoding: {
              x: { field: 'x', type: 'quantitative' as const },
              text: { field: 'label', type: 'nominal' as const },
            },
          },
        ]
  const band =
    o.band === undefined
      ? []
      : [
          {
            data: { values: [{ from: o.band.from, to: o.band.to, label: o.band.label }] },
            mark: { type: 'rect' as const, color: '#1a7f37', opacity: 0.1 },
            encoding: {
              y: { field: 'from', type: 'quantitative' as const },
              y2: { field: 'to' },
              tooltip: [
                { field: 'label', type: 'nominal' as const, title: 'band' },
                { field: 'from', type: 'quantitative' as const, title: 'from' },
                { field: 'to', type: 'quantitative' as const, title: 'to' },
              ],
            },
          },
          {
            data: { values: [{ to: o.band.to, label: o.band.label }] },
            mark: {
              type: 'text' as const,
              align: 'left' as const,
              baseline: 'top' as const,
              x: 4,
              dy: 3,
              color: '#1a7f37',
              fontSize: 11,
              tooltip: false,
            },
            encoding: {
              y: { field: 'to', type: 'quantitative' as const },
              text: { field: 'label', type: 'nominal' as const },
            },
          },
        ]
  return {
    title: titleOf(o.title, o.subtitle),
    width,
    height: o.height ?? 240,
    config: chartConfig,
    layer: [...band, lines, ...hover, ...endLabels, ...ruleLayers, ...xRuleLayers],
  }
}

// ---------------------------------------------------------------------------------------------
// The saturation map

/** Runs of saturated units in each example's row: [from, to) in unit numbers. */
export interface SaturatedRun {
  readonly example: number
  readonly from: number
  readonly to: number
}

/** Merges neighbouring saturated cells of a row into one rectangle (fewer marks, same picture). */
export const saturatedRuns = (map: SaturationMap): SaturatedRun[] => {
  const runs: SaturatedRun[] = []
  for (let i = 0; i < map.examples; i++) {
    let j = 0
    while (j < map.units) {
      if (map.saturated[i * map.units + j] === 0) {
        j++
        continue
      }
      const from = j
      while (j < map.units && map.saturated[i * map.units + j] === 1) j++
      runs.push({ example: i, from, to: j })
    }
  }
  return runs
}

/** What a saturated run's tooltip says: saturated, in which example's row, at which units (first–last). */
const saturatedCell = (r: SaturatedRun, threshold: number) => ({
  exampleEnd: r.example + 1,
  state: `saturated: |h| > ${threshold}`,
  unitsShown: r.to - r.from === 1 ? `${r.from}` : `${r.from}–${r.to - 1}`,
})

/**
 * The lecture's `plt.imshow(h.abs() > 0.99, cmap='gray')`: one row per example, one column per
 * unit, white where saturated. A column that is white from top to bottom is a dead unit.
 */
export const saturationMapSpec = (o: {
  readonly title: string
  readonly subtitle?: string | readonly string[]
  readonly map: SaturationMap
}): TopLevelSpec => {
  const { map } = o
  const cell = 3
  const x = {
    field: 'from',
    type: 'quantitative' as const,
    title: 'unit (neuron)',
    scale: { domain: [0, map.units], nice: false, zero: true },
  }
  const y = {
    field: 'example',
    type: 'quantitative' as const,
    title: 'example',
    scale: { domain: [0, map.examples], nice: false, reverse: true },
  }
  return {
    title: titleOf(o.title, o.subtitle),
    width: map.units * cell,
    height: map.examples * cell * 2,
    config: chartConfig,
    layer: [
      {
        // the black ground: one rectangle under the whole map, every cell of it not saturated
        data: { values: [{ example: 0, exampleEnd: map.examples, from: 0, to: map.units }] },
        mark: { type: 'rect', color: 'black' },
        encoding: {
          x,
          x2: { field: 'to' },
          y,
          y2: { field: 'exampleEnd' },
          tooltip: { value: `not saturated: |h| ≤ ${map.threshold}` },
        },
      },
      {
        // each run of saturated units in one example's row, with what a learner asks of it on hover
        data: { values: saturatedRuns(map).map((r) => ({ ...saturatedCell(r, map.threshold), ...r })) },
        mark: { type: 'rect', color: 'white' },
        encoding: {
          x,
          x2: { field: 'to' },
          y,
          y2: { field: 'exampleEnd' },
          tooltip: [
            { field: 'state', title: 'cell' },
            { field: 'example', title: 'example' },
            { field: 'unitsShown', title: 'units' },
          ],
        },
      },
    ],
  }
}

// ---------------------------------------------------------------------------------------------
// Bars and dots

/** One set of logits and the softmax of it. */
export interface SoftmaxCase {
  readonly label: string
  readonly logits: readonly number[]
  readonly probs: readonly number[]
}

/** Softmax probabilities as bars, one panel per case, each bar labelled with its logit and probability. */
export const softmaxSpec = (o: {
  readonly title: string
  readonly subtitle?: string | readonly string[]
  readonly cases: readonly SoftmaxCase[]
}): TopLevelSpec => ({
  title: titleOf(o.title, o.subtitle),
  config: chartConfig,
  data: {
    values: o.cases.flatMap((c) =>
      c.logits.map((logit, i) => ({
        case: c.label,
        option: `${logit}`,
        prob: sig(c.probs[i]),
        shown: c.probs[i] >= 0.01 ? c.probs[i].toFixed(2) : c.probs[i].toExponential(1),
      })),
    ),
  },
  facet: { column: { field: 'case', type: 'nominal', sort: o.cases.map((c) => c.label), title: null } },
  spec: {
    width: 260,
    height: 170,
    encoding: {
      x: { field: 'option', type: 'nominal', sort: null, title: 'logit', axis: { labelAngle: 0 } },
      y: {
        field: 'prob',
        type: 'quantitative',
        title: 'probability',
        scale: { domain: [0, 1.08] },
        axis: { values: [0, 0.25, 0.5, 0.75, 1], format: '.2~f' },
      },
    },
    layer: [
      { mark: { type: 'bar', color: '#1f77b4' } },
      {
        mark: { type: 'text', dy: -6, fontSize: 10.5, color: '#1f2328' },
        encoding: { text: { field: 'shown', type: 'nominal' } },
      },
    ],
  },
  resolve: { scale: { x: 'independent' } },
})

/** One figure of one experiment in the results chart. */
export interface ResultDot {
  readonly experiment: string
  /** 'train', 'val' or 'lecture val'. */
  readonly measure: string
  readonly loss: number
}

/** Losses per experiment as dots on one axis: this run's train and val next to the lecture's val. */
export const resultsSpec = (o: {
  readonly title: string
  readonly subtitle?: string | readonly string[]
  readonly experiments: readonly string[]
  readonly dots: readonly ResultDot[]
}): TopLevelSpec => ({
  title: titleOf(o.title, o.subtitle),
  width: 460,
  height: { step: 26 },
  config: chartConfig,
  data: { values: o.dots.map((d) => ({ ...d, loss: sig(d.loss, 5) })) },
  mark: { type: 'point', filled: true, size: 70, opacity: 0.9 },
  encoding: {
    y: { field: 'experiment', type: 'nominal', sort: [...o.experiments], title: null },
    x: { field: 'loss', type: 'quantitative', title: 'loss (nats)', scale: { zero: false, padding: 10 } },
    color: {
      field: 'measure',
      type: 'nominal',
      sort: ['train', 'val', 'lecture val'],
      title: null,
      legend: { orient: 'bottom', direction: 'horizontal' },
    },
    shape: {
      field: 'measure',
      type: 'nominal',
      sort: ['train', 'val', 'lecture val'],
      title: null,
      legend: { orient: 'bottom', direction: 'horizontal' },
    },
  },
})

// ---------------------------------------------------------------------------------------------
// Long series

/**
 * At most `maxPoints` points of a per-step series: each point the mean of a run of consecutive
 * steps, placed at the run's first step (the lecture's `lossi.view(-1, 1000).mean(1)`). A series
 * short enough is returned as it is.
 */
export const downsample = (values: ArrayLike<number>, maxPoints: number, firstStep = 0): Point[] => {
  const n = values.length
  const k = Math.max(1, Math.ceil(n / Math.max(1, maxPoints)))
  const out: Point[] = []
  for (let start = 0; start < n; start += k) {
    const end = Math.min(n, start + k)
    let s = 0
    for (let i = start; i < end; i++) s += values[i]
    out.push({ x: firstStep + start, y: s / (end - start) })
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Over time: histograms as heatmaps over the snapshots, with a step slider

/** One bin of one layer's histogram at one snapshot. */
export interface OverTimeBin {
  /** The snapshot's index (what the slider moves through) and its step. */
  readonly i: number
  readonly step: number
  readonly layer: string
  readonly from: number
  readonly to: number
  readonly density: number
}

export interface OverTimeOptions {
  readonly title: string
  readonly subtitle?: string | readonly string[]
  /** What the bins count: 'tanh output', 'gradient of the tanh output'. */
  readonly valueTitle: string
  readonly layers: readonly string[]
  readonly steps: readonly number[]
  readonly bins: readonly OverTimeBin[]
  /** The name of the slider's param (unique per page). */
  readonly param: string
}

/**
 * Per layer, a heatmap of its histogram over training (snapshots on x, value on y, density as
 * colour, the same fixed bins at every snapshot), with a slider that moves a rule through the
 * snapshots and draws every layer's histogram at the chosen one below, on fixed scales.
 */
export const overTimeSpec = (o: OverTimeOptions): TopLevelSpec => {
  const rows = o.bins.map((b) => ({ ...b, from: sig(b.from, 4), to: sig(b.to, 4), density: sig(b.density, 3) }))
  const derived = [
    { calculate: "'step ' + datum.step", as: 'at' },
    { calculate: '(datum.from + datum.to) / 2', as: 'x' },
  ]
  const lo = Math.min(...o.bins.map((b) => b.from)),
    hi = Math.max(...o.bins.map((b) => b.to))
  const top = Math.max(...o.bins.map((b) => b.density))
  const order = o.steps.map((s) => `step ${s}`)
  const chosen = `datum.i == ${o.param}`
  // what a hover on a cell or a line says: its layer, snapshot, value and density
  const tooltip = [
    { field: 'layer', type: 'nominal' as const, title: 'layer' },
    { field: 'step', type: 'quantitative' as const, title: 'step' },
    { field: 'x', type: 'quantitative' as const, title: o.valueTitle, format: '.3~g' },
    { field: 'density', type: 'quantitative' as const, title: 'density', format: '.3~g' },
  ]
  const heat = (layer: string, k: number) => ({
    title: { text: layer, fontSize: 12, color: colorOf(layer) },
    width: 420,
    height: 70,
    layer: [
      {
        data: { values: rows },
        transform: [{ filter: `datum.layer == '${layer}'` }, ...derived],
        mark: { type: 'rect' as const },
        encoding: {
          x: {
            field: 'at',
            type: 'ordinal' as const,
            sort: order,
            title: k === o.layers.length - 1 ? 'snapshot (step)' : null,
            axis:
              k === o.layers.length - 1 ? { labelAngle: -45, labelExpr: "replace(datum.label, 'step ', '')" } : null,
          },
          y: {
            field: 'from',
            type: 'quantitative' as const,
            title: null,
            scale: { domain: [sig(lo, 4), sig(hi, 4)], nice: false },
            axis: { tickCount: 3 },
          },
          y2: { field: 'to' },
          color: {
            field: 'density',
            type: 'quantitative' as const,
            title: 'density',
            scale: { scheme: 'viridis', type: 'sqrt' as const, domain: [0, sig(top, 4)] },
            legend: k === 0 ? { orient: 'right' as const, gradientLength: 80 } : null,
          },
          tooltip,
        },
      },
      {
        data: { values: o.steps.map((step, i) => ({ i, at: `step ${step}` })) },
        transform: [{ filter: chosen }],
        mark: { type: 'rule' as const, color: '#ff2d55', strokeWidth: 2, tooltip: false },
        encoding: { x: { field: 'at', type: 'ordinal' as const, sort: order, bandPosition: 0.5 } },
      },
    ],
  })
  const panel = {
    title: { text: 'every layer at the chosen snapshot', fontSize: 12 },
    width: 420,
    height: 180,
    layer: [
      {
        data: { values: rows },
        transform: [{ filter: chosen }, ...derived],
        mark: { type: 'line' as const, strokeWidth: 1.6, point: { opacity: 0, size: 50 } },
        encoding: {
          x: {
            field: 'x',
            type: 'quantitative' as const,
            title: o.valueTitle,
            scale: { domain: [sig(lo, 4), sig(hi, 4)], nice: false },
          },
          y: {
            field: 'density',
            type: 'quantitative' as const,
            title: 'density',
            scale: { domain: [0, sig(top, 4)], nice: false },
          },
          color: {
            field: 'layer',
            type: 'nominal' as const,
            title: null,
            sort: [...o.layers],
            scale: { domain: [...o.layers], range: o.layers.map(colorOf) },
            legend: { orient: 'bottom' as const, direction: 'horizontal' as const },
          },
          tooltip,
        },
      },
      {
        // which step the slider shows, in the panel's corner
        data: { values: o.steps.map((step, i) => ({ i, label: `step ${step}` })) },
        transform: [{ filter: chosen }],
        mark: {
          type: 'text' as const,
          align: 'left' as const,
          baseline: 'top' as const,
          x: 6,
          y: 6,
          fontSize: 13,
          fontWeight: 'bold' as const,
          color: '#ff2d55',
          tooltip: false,
        },
        encoding: { text: { field: 'label', type: 'nominal' as const } },
      },
    ],
  }
  return {
    title: titleOf(o.title, o.subtitle),
    config: chartConfig,
    params: [
      {
        name: o.param,
        value: o.steps.length - 1,
        bind: { input: 'range', min: 0, max: o.steps.length - 1, step: 1, name: 'snapshot no. ' },
      },
    ],
    vconcat: [...o.layers.map(heat), panel],
    resolve: { scale: { color: 'independent' } },
  } as TopLevelSpec
}

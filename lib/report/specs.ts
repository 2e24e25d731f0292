/**
 * Vega-Lite spec builders: data in, spec out, nothing else. Each builder takes the figures a
 * chart shows (histograms already counted by lib/diagnostics, series already measured) and
 * returns a complete spec; the data sits inline in the spec, so a page is its own source.
 */
import type { Config, TopLevelSpec } from 'vega-lite'
import type { Histogram, SaturationMap } from '../instruments/diagnostics.ts'

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
  range: {
    category: [
      '#1f77b4',
      '#ff7f0e',
      '#2ca02c',
      '#d62728',
      '#9467bd',
      '#8c564b',
      '#e377c2',
      '#7f7f7f',
      '#bcbd22',
      '#17becf',
    ],
  },
}

/** Rounds to `digits` significant digits: smaller pages, same picture, same bytes every run. */
export const sig = (x: number, digits = 6): number =>
  Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(digits)) : x

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
  readonly width?: number
  readonly height?: number
}

/**
 * Several histograms as density lines on one axis, one colour each: the lecture's
 * `plt.plot(hx[:-1], hy)` per layer, with each layer's statistics in its legend label.
 */
export const densityLinesSpec = (o: DensityLinesOptions): TopLevelSpec => {
  const h = o.series[0]?.histogram
  return {
    title: titleOf(o.title, o.subtitle),
    width: o.width ?? 460,
    height: o.height ?? 220,
    config: chartConfig,
    data: { values: histogramRows(o.series) },
    mark: { type: 'line', strokeWidth: 1.6 },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: o.xTitle,
        scale: h === undefined ? {} : { domain: [sig(h.min), sig(h.max)], nice: false },
      },
      y: { field: 'density', type: 'quantitative', title: 'density' },
      color: {
        field: 'series',
        type: 'nominal',
        sort: o.series.map((s) => s.label),
        title: null,
        legend: { orient: 'bottom', direction: 'vertical' },
      },
    },
  }
}

export interface HistogramBarsOptions {
  readonly title: string
  readonly subtitle?: string | readonly string[]
  readonly xTitle: string
  /** One panel per series, side by side. */
  readonly series: readonly HistogramSeries[]
  /** Each panel its own y scale (shapes compared) or one for all (counts compared). */
  readonly independentY?: boolean
  readonly width?: number
  readonly height?: number
  readonly color?: string
}

/** Histograms as bars, one panel per series: the lecture's `plt.hist(h.view(-1).tolist(), 50)`. */
export const histogramBarsSpec = (o: HistogramBarsOptions): TopLevelSpec => {
  const h = o.series[0]?.histogram
  return {
    title: titleOf(o.title, o.subtitle),
    config: chartConfig,
    data: { values: histogramRows(o.series) },
    facet: { column: { field: 'series', type: 'nominal', sort: o.series.map((s) => s.label), title: null } },
    spec: {
      width: o.width ?? 300,
      height: o.height ?? 180,
      mark: { type: 'rect', color: o.color ?? '#1f77b4', stroke: 'white', strokeWidth: 0.4 },
      encoding: {
        x: {
          field: 'start',
          type: 'quantitative',
          title: o.xTitle,
          scale: h === undefined ? {} : { domain: [sig(h.min), sig(h.max)], nice: false },
        },
        x2: { field: 'end' },
        y: { field: 'count', type: 'quantitative', title: 'count' },
      },
    },
    resolve: { scale: { y: o.independentY === true ? 'independent' : 'shared' } },
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
}

/** A horizontal reference line with a label (log10 update:data = -3). */
export interface Rule {
  readonly y: number
  readonly label: string
  /** Where the label sits at the right end of the rule (default above). */
  readonly labelBelow?: boolean
}

export interface LinesOptions {
  readonly title: string
  readonly subtitle?: string | readonly string[]
  readonly xTitle: string
  readonly yTitle: string
  readonly series: readonly LineSeries[]
  readonly rules?: readonly Rule[]
  readonly yScale?: 'linear' | 'log'
  readonly xDomain?: readonly [number, number]
  readonly yDomain?: readonly [number, number]
  /** Draw a dot at every point (short series, e.g. one per layer). */
  readonly points?: boolean
  readonly integerX?: boolean
  /** Legend entries per row (default: one per row). */
  readonly legendColumns?: number
  readonly width?: number
  readonly height?: number
}

/** Lines over a shared x axis, with optional reference rules: loss curves, update:data, std across depth. */
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
  const lines = {
    data: { values: rows },
    mark: { type: 'line' as const, point: o.points === true ? { filled: true, size: 28 } : false, clip: true },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative' as const,
        title: o.xTitle,
        scale: o.xDomain === undefined ? { nice: false } : { domain: [...o.xDomain], nice: false },
        axis: o.integerX === true ? { tickMinStep: 1, format: 'd' } : {},
      },
      y: {
        field: 'y',
        type: 'quantitative' as const,
        title: o.yTitle,
        scale: {
          type: o.yScale ?? 'linear',
          ...(o.yScale === 'log' ? {} : { zero: false }),
          ...(o.yDomain === undefined ? {} : { domain: [...o.yDomain] }),
        },
        // a log axis would otherwise draw a grid line at every 2..9 of every decade
        axis: o.yScale === 'log' ? { tickCount: 6, format: '~g' } : {},
      },
      color: {
        field: 'group',
        type: 'nominal' as const,
        sort: groups,
        title: null,
        legend:
          o.legendColumns === undefined
            ? { orient: 'bottom' as const, direction: 'vertical' as const }
            : { orient: 'bottom' as const, direction: 'horizontal' as const, columns: o.legendColumns },
      },
      detail: { field: 'key', type: 'nominal' as const },
      opacity: { field: 'opacity', type: 'quantitative' as const, scale: null, legend: null },
      strokeWidth: { field: 'width', type: 'quantitative' as const, scale: null, legend: null },
    },
  }
  const rules = o.rules ?? []
  const ruleLayers =
    rules.length === 0
      ? []
      : [
          {
            data: { values: rules.map((r) => ({ y: r.y, label: r.label })) },
            mark: { type: 'rule' as const, strokeDash: [5, 4], color: '#424a53', strokeWidth: 1.2 },
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
  return {
    title: titleOf(o.title, o.subtitle),
    width,
    height: o.height ?? 240,
    config: chartConfig,
    layer: [lines, ...ruleLayers],
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
        // the black ground: one rectangle under the whole map
        data: { values: [{ example: 0, exampleEnd: map.examples, from: 0, to: map.units }] },
        mark: { type: 'rect', color: 'black' },
        encoding: { x, x2: { field: 'to' }, y, y2: { field: 'exampleEnd' } },
      },
      {
        data: { values: saturatedRuns(map).map((r) => ({ ...r, exampleEnd: r.example + 1 })) },
        mark: { type: 'rect', color: 'white' },
        encoding: { x, x2: { field: 'to' }, y, y2: { field: 'exampleEnd' } },
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
        axis: { values: [0, 0.25, 0.5, 0.75, 1], format: '~g' },
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

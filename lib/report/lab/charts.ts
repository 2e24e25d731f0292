/**
 * The lab's six charts. Their layouts hold no data: each reads named data sets (and the density
 * charts an x range signal) that the page fills from every frame, so a layout is compiled by
 * vega-lite once, in Node when the page is built, and the page keeps one vega View per chart for
 * its whole life: a frame only swaps data sets, never compiles, parses or builds a view.
 */
import type { Config, TopLevelSpec } from 'vega-lite'
import { chartConfig, PALETTE, sig } from '../specs.ts'
import type { HistogramSeries } from '../specs.ts'
import { updateDataBand } from '../../instruments/band.ts'
import type { LabFrame } from './session.ts'

export const LAB_CHARTS = ['loss', 'activations', 'gradients', 'depth', 'weights', 'update'] as const
export type LabChart = (typeof LAB_CHARTS)[number]

const W = 470

/**
 * The site's look. The lab's views draw on a canvas with no tooltip handler, so no mark carries a
 * tooltip or an ARIA description: either would be built for every point of every frame, unseen.
 */
const config: Config = {
  ...chartConfig,
  mark: { tooltip: false },
  aria: false,
  // a legend that grows with the network (one entry per layer) grows the canvas with it
  autosize: { type: 'pad', resize: true },
}

/** Named data as the page inserts it: plain objects, no parsing of fields. */
const named = (name: string) => ({ name, format: { parse: null } }) as const

/** The loss's two series, each in its colour. */
const LOSS_GROUPS = ['batch', 'smoothed (50 steps)'] as const
/** The depth chart's two series. */
const DEPTH_GROUPS = ['activations', 'gradients'] as const

const legendBottom = (columns?: number) =>
  columns === undefined
    ? { orient: 'bottom' as const, direction: 'vertical' as const }
    : { orient: 'bottom' as const, direction: 'horizontal' as const, columns }

/**
 * Lines per series, the series named in layer order by signal `series` (a weight whose line has
 * no point yet keeps its place): layer k takes the palette's colour k, as on every page of the
 * site (`colorOf`; a test holds them equal).
 */
const seriesColor = () => ({
  field: 'series',
  type: 'nominal' as const,
  title: null,
  scale: { domain: { expr: 'series' }, range: [...PALETTE] },
  legend: legendBottom(),
})

const seriesParam = { name: 'series', value: [] as string[] }

/** A dashed horizontal reference line with its label at the right end, from data set `rules` ({y, label}). */
const ruleLayers = () => [
  {
    data: named('rules'),
    mark: { type: 'rule' as const, strokeDash: [5, 4], color: '#424a53', strokeWidth: 1.2 },
    encoding: { y: { field: 'y', type: 'quantitative' as const } },
  },
  {
    data: named('rules'),
    mark: {
      type: 'text' as const,
      align: 'right' as const,
      baseline: 'bottom' as const,
      dy: -3,
      color: '#424a53',
      fontSize: 11,
    },
    encoding: {
      y: { field: 'y', type: 'quantitative' as const },
      x: { value: W - 4 },
      text: { field: 'label', type: 'nominal' as const },
    },
  },
]

const lossLayout: TopLevelSpec = {
  title: {
    text: 'Loss',
    subtitle: 'the batch loss of every step and its moving average; the dashed line is a uniform guess',
  },
  width: W,
  height: 220,
  config,
  layer: [
    {
      data: named('lines'),
      mark: { type: 'line', clip: true },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: 'step', scale: { nice: false } },
        y: { field: 'y', type: 'quantitative', title: 'cross-entropy', scale: { zero: false } },
        color: {
          field: 'group',
          type: 'nominal',
          title: null,
          sort: [...LOSS_GROUPS],
          scale: { domain: [...LOSS_GROUPS], range: PALETTE.slice(0, 2) },
          legend: legendBottom(2),
        },
        opacity: { field: 'opacity', type: 'quantitative', scale: null, legend: null },
        strokeWidth: { field: 'width', type: 'quantitative', scale: null, legend: null },
      },
    },
    ...ruleLayers(),
  ],
}

/** Density lines per layer over the x range of signal `xdomain` (the histograms' shared bins). */
const densityLayout = (title: string, xTitle: string): TopLevelSpec => ({
  title: { text: title },
  width: W,
  height: 200,
  config,
  params: [{ name: 'xdomain', value: [-1, 1] }, seriesParam],
  data: named('rows'),
  mark: { type: 'line', strokeWidth: 1.6, clip: true },
  encoding: {
    x: { field: 'x', type: 'quantitative', title: xTitle, scale: { domain: { expr: 'xdomain' }, nice: false } },
    y: { field: 'density', type: 'quantitative', title: 'density' },
    color: seriesColor(),
  },
})

const depthLayout: TopLevelSpec = {
  title: { text: 'std across depth', subtitle: 'a healthy net keeps both about level' },
  width: W,
  height: 200,
  config,
  data: named('rows'),
  mark: { type: 'line', point: { filled: true, size: 28 }, clip: true },
  encoding: {
    x: {
      field: 'x',
      type: 'quantitative',
      title: 'hidden layer',
      scale: { nice: false },
      axis: { tickMinStep: 1, format: 'd' },
    },
    y: {
      field: 'y',
      type: 'quantitative',
      title: 'std (log scale)',
      scale: { type: 'log' },
      axis: { tickCount: 6, format: '~g' },
    },
    color: {
      field: 'group',
      type: 'nominal',
      title: null,
      sort: [...DEPTH_GROUPS],
      scale: { domain: [...DEPTH_GROUPS], range: PALETTE.slice(0, 2) },
      legend: legendBottom(2),
    },
  },
}

const updateLayout: TopLevelSpec = {
  title: {
    text: 'update:data',
    subtitle: 'log10(std(lr · grad) / std(weight)) per weight; the band is where diagnose() stays quiet',
  },
  width: W,
  height: 220,
  config,
  params: [seriesParam],
  layer: [
    {
      data: { values: [{ lo: updateDataBand.from, hi: updateDataBand.to }] },
      mark: { type: 'rect', color: '#1a7f37', opacity: 0.08 },
      encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
    },
    {
      data: named('rows'),
      mark: { type: 'line', clip: true },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: 'step', scale: { nice: false } },
        y: { field: 'y', type: 'quantitative', title: 'log10 update:data', scale: { zero: false } },
        color: seriesColor(),
      },
    },
    ...ruleLayers(),
  ],
}

/** Each chart's layout, for vega-lite to compile (build.ts, once). */
export const labLayouts = (): Record<LabChart, TopLevelSpec> => ({
  loss: lossLayout,
  activations: densityLayout('Activations', 'layer output'),
  gradients: densityLayout('Gradients', 'gradient of the layer output'),
  depth: depthLayout,
  weights: densityLayout('Weight gradients', 'gradient of the weight'),
  update: updateLayout,
})

// ---------------------------------------------------------------------------------------------
// A frame's data sets

/** What one chart takes from a frame: its data sets by name, and its signals. */
export interface ChartData {
  readonly data: Readonly<Record<string, readonly object[]>>
  readonly signals?: Readonly<Record<string, unknown>>
}

const lineRows = (group: string, points: readonly (readonly [number, number])[], faint: boolean) =>
  points.map(([x, y]) => ({ group, x, y: sig(y), opacity: faint ? 0.28 : 1, width: faint ? 1 : 2 }))

/** Density rows of several histograms (one bin range), the series in layer order. */
const densityData = (series: readonly HistogramSeries[]): ChartData => {
  const rows: object[] = []
  for (const { label, histogram: h } of series)
    for (let i = 0; i < h.counts.length; i++)
      rows.push({ series: label, x: (h.edges[i] + h.edges[i + 1]) / 2, density: h.density[i] })
  const h = series[0]?.histogram
  return {
    data: { rows },
    signals: { xdomain: h === undefined ? [-1, 1] : [h.min, h.max], series: series.map((s) => s.label) },
  }
}

/** Every chart's data sets and signals for a frame. */
export const labChartData = (f: LabFrame): Record<LabChart, ChartData> => {
  const first: [number, number][] = [[0, f.lastLoss]]
  return {
    loss: {
      data: {
        lines: [
          ...lineRows(LOSS_GROUPS[0], f.loss.length > 0 ? f.loss : first, true),
          ...lineRows(LOSS_GROUPS[1], f.smoothed.length > 0 ? f.smoothed : first, false),
        ],
        rules: [{ y: f.uniformLoss, label: `ln ${f.vocabSize} = ${f.uniformLoss.toFixed(2)}` }],
      },
    },
    activations: densityData(f.activations),
    gradients: densityData(f.gradients),
    depth: {
      data: {
        rows: DEPTH_GROUPS.flatMap((group) =>
          (group === 'activations' ? f.activationStats : f.gradientStats).map((s, i) => ({
            group,
            x: i + 1,
            // a log axis: a dead layer's std of 0 is drawn at the bottom, not dropped
            y: Math.max(s.std, 1e-12),
          })),
        ),
      },
    },
    weights: densityData(f.weightGradients),
    update: {
      data: {
        rows: f.updateToData.flatMap((u) =>
          u.points.filter(([, y]) => Number.isFinite(y)).map(([x, y]) => ({ series: u.name, x, y })),
        ),
        rules: [{ y: -3, label: 'about -3 is healthy' }],
      },
      signals: { series: f.updateToData.map((u) => u.name) },
    },
  }
}

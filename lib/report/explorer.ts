/**
 * The gain explorer, beyond the lecture: the lecture's deep tanh net at initialisation for a grid
 * of Kaiming gains, and one Vega-Lite spec whose `gain` param is bound to a slider. All the data
 * is computed here, in Node; the browser only filters it by the param.
 */
import type { TopLevelSpec } from 'vega-lite'
import { histogram, moments, saturationFraction, symmetricRange, SATURATION } from '../instruments/diagnostics.ts'
import { chartConfig, colorOf, sig } from './specs.ts'
import { deepTanhTrace } from '../instruments/probes.ts'
import { fixed, percent, signed, signedExp } from '../engine/format.ts'

/** The slider's grid: 0.5 to 3 in steps of 0.1 (Kaiming's 5/3 ≈ 1.67 lies between 1.6 and 1.7). */
export const GAINS: readonly number[] = Array.from({ length: 26 }, (_, i) => Math.round(5 + i) / 10)
export const DEFAULT_GAIN = 1.7

/** Statistics of one tanh layer at one gain. */
export interface ExplorerLayer {
  readonly gain: number
  readonly layer: number
  readonly name: string
  readonly mean: number
  readonly std: number
  readonly saturated: number
  readonly gradMean: number
  readonly gradStd: number
}

/** One bin of one histogram: `kind` a for activations, g for gradients. */
export interface ExplorerBin {
  readonly gain: number
  readonly layer: number
  readonly kind: 'a' | 'g'
  readonly x: number
  readonly density: number
}

export interface ExplorerData {
  readonly layers: readonly ExplorerLayer[]
  readonly bins: readonly ExplorerBin[]
  readonly batch: number
}

/** Runs the deep tanh net once per gain of the grid and keeps every tanh layer's histograms and statistics. */
export const explorerData = (
  vocabSize: number,
  seed: number,
  o: { readonly batch?: number; readonly bins?: number } = {},
): ExplorerData => {
  const batch = o.batch ?? 128,
    nbins = o.bins ?? 40
  const layers: ExplorerLayer[] = [],
    bins: ExplorerBin[] = []
  const traces = GAINS.map((gain) => deepTanhTrace(vocabSize, gain, { seed, batch }))
  // one gradient range for every gain: the slider must not rescale the axis it moves along
  const gradRange = symmetricRange(
    traces.flatMap((t) => t.layers.filter((l) => l.kind === 'tanh').map((l) => l.grad.data)),
  )
  GAINS.forEach((gain, g) => {
    const tanhs = traces[g].layers.filter((l) => l.kind === 'tanh')
    tanhs.forEach((l, k) => {
      const layer = k + 1
      const a = moments(l.out.data),
        g = moments(l.grad.data)
      layers.push({
        gain,
        layer,
        name: l.name,
        mean: a.mean,
        std: a.std,
        saturated: saturationFraction(l.out.data, SATURATION.panel),
        gradMean: g.mean,
        gradStd: g.std,
      })
      const ha = histogram(l.out.data, { bins: nbins, min: -1, max: 1 })
      const hg = histogram(l.grad.data, { bins: nbins, ...gradRange })
      for (const [kind, h] of [
        ['a', ha],
        ['g', hg],
      ] as const) {
        for (let i = 0; i < nbins; i++)
          bins.push({ gain, layer, kind, x: sig((h.edges[i] + h.edges[i + 1]) / 2, 5), density: sig(h.density[i], 5) })
      }
    })
  })
  return { layers, bins, batch }
}

/** The legend label of a layer, as the lecture prints it. */
export const explorerLabel = (l: ExplorerLayer, kind: 'a' | 'g'): string =>
  kind === 'a'
    ? `tanh layer ${l.layer}: mean ${signed(l.mean, 2)}, std ${fixed(l.std)}, saturated ${percent(l.saturated)}`
    : `tanh layer ${l.layer}: mean ${signedExp(l.gradMean)}, std ${l.gradStd.toExponential(2)}`

const selected = 'abs(datum.gain - gain) < 0.05'

/** The interactive spec: a slider for the gain, histograms of activations and gradients, std across depth for every gain. */
export const explorerSpec = (data: ExplorerData): TopLevelSpec => {
  const labels = data.layers.flatMap((l) =>
    (['a', 'g'] as const).map((kind) => ({ key: `${l.gain}|${l.layer}|${kind}`, label: explorerLabel(l, kind) })),
  )
  const binRows = data.bins.map((b) => ({ ...b, key: `${b.gain}|${b.layer}|${b.kind}` }))
  const gradXs = data.bins.filter((b) => b.kind === 'g').map((b) => b.x)
  // fixed scales across the gains: the highest density any gain reaches, per kind
  const top = (kind: 'a' | 'g') => sig(Math.max(...data.bins.filter((b) => b.kind === kind).map((b) => b.density)), 3)
  const layerColors = [...new Set(data.layers.map((l) => l.name))].map(colorOf)
  const histogramOf = (kind: 'a' | 'g', title: string, xTitle: string) => ({
    title,
    width: 430,
    height: 220,
    data: { values: binRows },
    transform: [
      { filter: `datum.kind == '${kind}' && ${selected}` },
      { lookup: 'key', from: { data: { values: labels }, key: 'key', fields: ['label'] } },
    ],
    mark: { type: 'line' as const, strokeWidth: 1.6, point: { opacity: 0, size: 50 } },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative' as const,
        title: xTitle,
        scale:
          kind === 'a'
            ? { domain: [-1, 1], nice: false }
            : { domain: [Math.min(...gradXs), Math.max(...gradXs)], nice: false },
      },
      y: {
        field: 'density',
        type: 'quantitative' as const,
        title: 'density',
        scale: { domain: [0, top(kind)], nice: false },
      },
      color: {
        field: 'label',
        type: 'nominal' as const,
        title: null,
        sort: 'ascending' as const,
        scale: { range: layerColors },
        legend: { orient: 'bottom' as const, direction: 'vertical' as const, labelLimit: 520 },
      },
    },
  })
  const stdRows = data.layers.map((l) => ({
    gain: l.gain,
    layer: l.layer,
    std: sig(l.std, 5),
    gradStd: sig(l.gradStd, 5),
  }))
  const acrossDepth = (field: 'std' | 'gradStd', title: string, yTitle: string, log: boolean) => ({
    title,
    width: 430,
    height: 200,
    data: { values: stdRows },
    mark: { type: 'line' as const, point: { filled: true, size: 20 } },
    encoding: {
      x: {
        field: 'layer',
        type: 'quantitative' as const,
        title: 'tanh layer',
        axis: { tickMinStep: 1, format: 'd' },
        scale: { nice: false },
      },
      y: {
        field,
        type: 'quantitative' as const,
        title: yTitle,
        scale: log ? { type: 'log' as const } : { zero: true },
        axis: log ? { format: '.0e', tickCount: 5 } : {},
      },
      detail: { field: 'gain', type: 'nominal' as const },
      color: { condition: { test: selected, value: '#d62728' }, value: '#b8c0c8' },
      opacity: { condition: { test: selected, value: 1 }, value: 0.45 },
      strokeWidth: { condition: { test: selected, value: 2.6 }, value: 0.8 },
      order: { condition: { test: selected, value: 1 }, value: 0 },
    },
  })
  return {
    title: {
      text: "The lecture's deep tanh net at initialisation",
      subtitle: `Five Linear(100) + tanh layers, Kaiming init with the gain on the slider; one training pass on ${data.batch} random examples.`,
    },
    config: chartConfig,
    params: [
      {
        name: 'gain',
        value: DEFAULT_GAIN,
        bind: { input: 'range', min: GAINS[0], max: GAINS[GAINS.length - 1], step: 0.1, name: 'gain' },
      },
    ],
    vconcat: [
      {
        hconcat: [
          histogramOf('a', 'Forward pass: activation distribution', 'tanh output'),
          histogramOf('g', 'Backward pass: gradient distribution', 'gradient of the tanh output'),
        ],
        resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
      },
      {
        hconcat: [
          acrossDepth(
            'std',
            'Activation std across depth (red: this gain; grey: the others)',
            'std of tanh output',
            false,
          ),
          acrossDepth('gradStd', 'Gradient std across depth (red: this gain)', 'std of gradient (log scale)', true),
        ],
      },
    ],
  }
}

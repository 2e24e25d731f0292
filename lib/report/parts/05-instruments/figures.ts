/**
 * Part 5's figures: the instrument panel of the lecture's deep nets, the tanh one and the
 * BatchNorm one: activation, gradient and weight-gradient histograms at the first and the last
 * snapshot, their heatmaps over every snapshot, the figures beside the lecture's, update:data.
 */
import type { ExperimentName, ExperimentRun } from '../../../model/experiments.ts'
import { findExperiment } from '../../../model/experiments.ts'
import type { Trace, LayerTrace } from '../../../model/nn.ts'
import type { Snapshot } from '../../../model/train.ts'
import {
  SATURATION,
  activationStats,
  updateDataBand,
  gradientStats,
  histogram,
  learningRateWindow,
  median,
  moments,
  summarizeUpdateToData,
  symmetricRange,
  updateToDataWindow,
  weightGradStats,
} from '../../../instruments/diagnostics.ts'
import {
  colorOf,
  densityLinesSpec,
  downsample,
  linesSpec,
  maxDensity,
  overTimeSpec,
  type HistogramSeries,
  type OverTimeBin,
} from '../../specs.ts'
import { escapeHtml, table } from '../../html.ts'
import { fixed as f, percent as pct, signed, signedExp, thousands } from '../../../engine/format.ts'
import {
  chart,
  code,
  endSnapshots,
  firstSnapshot,
  grid,
  html,
  lastSnapshot,
  layerIndex,
  missing,
  runOf,
  tanhLayers,
  titleOf,
  type Block,
} from '../blocks.ts'
import { lrDrops } from '../01-initial-loss/figures.ts'
import type { PartFigures } from '../part.ts'
import type { Filling } from '../markdown.ts'

const layerLabel = (trace: Trace, l: LayerTrace): string => `layer ${layerIndex(trace, l)} (${l.name})`

/** The lecture's figures for its deep net's instruments, as its text gives them. */
const LECTURE_INSTRUMENTS = { std: 0.65, saturatedBelow: 0.05, updateLog10: -3 }

/**
 * What the lecture's notebook (makemore part 3) printed for its deep nets, per tanh layer: the tanh
 * net at gain 5/3 after its first step, the BatchNorm net after its 1,000 steps. Quoted from the
 * notebook's printed output; the lecture's text gives only the ~0.65, <5% and 1e-3 above.
 */
const NOTEBOOK: Partial<
  Record<
    ExperimentName,
    { readonly at: 'first' | 'last'; readonly std: number[]; readonly saturated: number[]; readonly gradStd: number[] }
  >
> = {
  'deep-tanh': {
    at: 'first',
    std: [0.75, 0.69, 0.67, 0.66, 0.66],
    saturated: [0.2025, 0.0838, 0.0662, 0.0547, 0.0612],
    gradStd: [4.205588e-4, 3.991179e-4, 3.74302e-4, 3.290473e-4, 3.054035e-4],
  },
  'deep-batchnorm': {
    at: 'last',
    std: [0.63, 0.64, 0.64, 0.65, 0.65],
    saturated: [0.0262, 0.0247, 0.0216, 0.0181, 0.0178],
    gradStd: [3.682961e-3, 3.262612e-3, 2.973734e-3, 2.741114e-3, 2.584295e-3],
  },
}

/** The figures of one run's panel; its snapshots are there (`endSnapshots` is not empty). */
const panelFor = (run: ExperimentRun, snaps: readonly Snapshot[]): Record<string, Block | Block[]> => {
  const stepText = (s: Snapshot) => (s.step === 0 ? 'step 0 (initialisation)' : `step ${s.step}`)

  // activations: one x range (−1..1) and one density scale for both steps
  const actSeries = (s: Snapshot): HistogramSeries[] => {
    const stats = activationStats(s.trace, SATURATION.panel).filter((x) => x.kind === 'tanh')
    return tanhLayers(s).map((l, k) => ({
      label: `${layerLabel(s.trace, l)}: mean ${signed(stats[k].mean, 2)}, std ${f(stats[k].std)}, saturated ${pct(stats[k].saturated, 2)}`,
      histogram: histogram(l.out.data, { bins: 50, min: -1, max: 1 }),
    }))
  }
  const actMax = maxDensity(snaps.flatMap(actSeries))
  const activations = (s: Snapshot): Block =>
    chart(
      densityLinesSpec({
        title: `activation distribution, ${stepText(s)}`,
        xTitle: 'tanh output',
        series: actSeries(s),
        colors: tanhLayers(s).map((l) => colorOf(l.name)),
        yMax: actMax,
      }),
      s.step === 0 ? 'At initialisation.' : `After ${thousands(s.step)} steps; same scales as the chart beside it.`,
    )

  // gradients: one range for both steps
  const gradRange = symmetricRange(snaps.flatMap((s) => tanhLayers(s).map((l) => l.grad.data)))
  const gradSeries = (s: Snapshot): HistogramSeries[] => {
    const stats = gradientStats(s.trace)
    return tanhLayers(s).map((l) => {
      const g = stats[layerIndex(s.trace, l)]
      return {
        label: `${layerLabel(s.trace, l)}: mean ${signedExp(g.mean)}, std ${g.std.toExponential(2)}`,
        histogram: histogram(l.grad.data, { bins: 50, ...gradRange }),
      }
    })
  }
  const gradMax = maxDensity(snaps.flatMap(gradSeries))
  const gradients = (s: Snapshot): Block =>
    chart(
      densityLinesSpec({
        title: `gradient distribution, ${stepText(s)}`,
        xTitle: 'gradient of the tanh output',
        series: gradSeries(s),
        colors: tanhLayers(s).map((l) => colorOf(l.name)),
        yMax: gradMax,
      }),
      "Healthy: the layers' curves lie on top of each other, neither shrinking nor growing toward the input.",
    )

  // weight gradients: ±3.5 of the widest hidden weight's std, so that the hidden layers' curves fill the chart
  const wStats = (s: Snapshot) => weightGradStats(s.trace.paramGrads, s.params)
  const outputs = new Set(
    snaps.flatMap((s) => {
      const linears = s.trace.layers.filter((l) => l.kind === 'linear').map((l) => `${l.name}.weight`)
      return ['embedding.weight', ...linears.slice(-1)]
    }),
  )
  const hiddenStds = snaps.flatMap((s) =>
    wStats(s)
      .filter((w) => !outputs.has(w.name))
      .map((w) => w.std),
  )
  const wScale =
    3.5 * Math.max(...(hiddenStds.length > 0 ? hiddenStds : snaps.flatMap((s) => wStats(s).map((w) => w.std))))
  const wRange = { min: -wScale, max: wScale }
  const wSeries = (s: Snapshot): HistogramSeries[] =>
    wStats(s).map((w) => ({
      label: `${w.name} (${w.shape.join(', ')}): mean ${signedExp(w.mean)}, std ${w.std.toExponential(2)}, grad:data ${w.gradToData.toExponential(2)}`,
      histogram: histogram(s.trace.paramGrads[w.name].data, { bins: 60, ...wRange }),
    }))
  const wMax = maxDensity(snaps.flatMap(wSeries))
  const weights = (s: Snapshot): Block => {
    const stats = wStats(s)
    const widest = stats.reduce((a, b) => (b.std > a.std ? b : a), stats[0])
    const others = median(stats.filter((w) => w !== widest).map((w) => w.std))
    return chart(
      densityLinesSpec({
        title: `weight gradient distribution, ${stepText(s)}`,
        xTitle: 'gradient of the weight',
        series: wSeries(s),
        colors: stats.map((w) => colorOf(w.name)),
        yMax: wMax,
      }),
      `grad:data is std(grad)/std(weight): how large the gradient is next to the numbers it will change. The x range is ±3.5 times the widest hidden weight's std (both steps), so the edge bins hold the tails of the output layer's gradient, the widest (${widest.name}, ${f(widest.std / others, 1)}× the median std of the others here).`,
    )
  }
  return {
    activations: grid(...snaps.map(activations)),
    gradients: grid(...snaps.map(gradients)),
    weights: grid(...snaps.map(weights)),
    overTime: overTime(run),
  }
}

/** The histograms of every tanh layer at every snapshot, as heatmaps with a step slider. */
const overTime = (run: ExperimentRun): Block[] => {
  const snaps = run.history.snapshots
  if (snaps.length < 2) return [html('<p>This run kept one snapshot: nothing to scrub through.</p>')]
  const layers = tanhLayers(snaps[0]).map((l) => l.name)
  const NBINS = 30
  const gradStd = Math.max(...snaps.flatMap((s) => tanhLayers(s).map((l) => moments(l.grad.data).std)))
  const ranges = { a: { min: -1, max: 1 }, g: { min: -4 * gradStd, max: 4 * gradStd } }
  const binsOf = (kind: 'a' | 'g'): OverTimeBin[] =>
    snaps.flatMap((s, i) =>
      tanhLayers(s).flatMap((l) => {
        const h = histogram(kind === 'a' ? l.out.data : l.grad.data, { bins: NBINS, ...ranges[kind] })
        return Array.from(h.density, (density, b) => ({
          i,
          step: s.step,
          layer: l.name,
          from: h.edges[b],
          to: h.edges[b + 1],
          density,
        }))
      }),
    )
  const steps = snaps.map((s) => s.step)
  const param = (kind: string) => `snap_${run.name.replace(/-/g, '_')}_${kind}`
  return [
    {
      kind: 'interactive',
      spec: overTimeSpec({
        title: `${run.name}: tanh outputs over training`,
        subtitle: `${NBINS} fixed bins from −1 to 1 at every snapshot; move the slider to draw the histograms at one snapshot`,
        valueTitle: 'tanh output',
        layers,
        steps,
        bins: binsOf('a'),
        param: param('a'),
      }),
      caption: `Each strip is one tanh layer; each column one snapshot (steps ${steps.join(', ')}), its colour the density of the outputs in each bin. Bright bands at ±1 are saturation.`,
    },
    {
      kind: 'interactive',
      spec: overTimeSpec({
        title: `${run.name}: gradients of the tanh outputs over training`,
        subtitle: `${NBINS} fixed bins over ±4 × the largest std (${f(4 * gradStd, 6)}) at every snapshot; values beyond fall in the edge bins`,
        valueTitle: 'gradient of the tanh output',
        layers,
        steps,
        bins: binsOf('g'),
        param: param('g'),
      }),
      caption:
        'A strip that narrows toward the input (top) is a vanishing gradient; one that widens, an exploding one.',
    },
  ]
}

/** The update:data chart of one run, on a y range shared with the other nets'. */
const updateChart = (run: ExperimentRun, yDomain: readonly [number, number]): Block => {
  const h = run.history
  const window = learningRateWindow(h.lr)
  const summary = summarizeUpdateToData(updateToDataWindow(h, window.from, window.to))
  const drop = window.to < h.lr.length
  return chart(
    linesSpec({
      title: `${run.name}: update:data over training`,
      subtitle: `log10(std(lr × grad) / std(parameter)) for every 2-D parameter${run.steps > 500 ? `, averaged over runs of ${Math.ceil(run.steps / 500)} steps` : ''}; lr ${h.lr[0]}${drop ? ` until step ${window.to}, then ${h.lr[window.to]}` : ' throughout'}`,
      xTitle: 'step',
      yTitle: 'log10 update:data',
      series: h.weights.map((name, w) => ({
        group: `${name}: median ${f(summary[w].medianLog10)} (steps ${window.from}–${window.to - 1})`,
        points: downsample(h.updateToData[w], 500),
        endLabel: name.replace(/\.weight$/, '') === 'embedding' ? 'C' : name.replace(/\.weight$/, ''),
      })),
      colors: h.weights.map(colorOf),
      rules: [{ y: LECTURE_INSTRUMENTS.updateLog10, label: '1e-3 (log10 = −3)', labelBelow: true }],
      band: { ...updateDataBand, label: `healthy: 1e${updateDataBand.from} to 1e${updateDataBand.to}` },
      xRules: lrDrops([run]),
      yDomain,
      width: 520,
      height: 260,
    }),
    `The lines should sit near −3, inside the shaded band (the thresholds the diagnose page uses). Far above: the learning rate is too high; far below: too low. C is the embedding.`,
  )
}

/** Our figures at the step the lecture reads (the last snapshot) beside the lecture's. */
const lectureTable = (run: ExperimentRun): string => {
  const s = lastSnapshot(run),
    s0 = firstSnapshot(run)
  if (s === undefined || s0 === undefined) return ''
  const stats = activationStats(s.trace, SATURATION.panel).filter((x) => x.kind === 'tanh')
  const stats0 = activationStats(s0.trace, SATURATION.panel).filter((x) => x.kind === 'tanh')
  const grads = gradientStats(s.trace)
  const grads0 = gradientStats(s0.trace)
  const book = NOTEBOOK[run.name]
  const layerRows = stats.map((x, k) => [
    escapeHtml(`${x.name} (layer ${x.index})`),
    f(stats0[k]?.std ?? NaN),
    pct(stats0[k]?.saturated ?? NaN, 2),
    grads0[x.index].std.toExponential(2),
    f(x.std),
    pct(x.saturated, 2),
    grads[x.index].std.toExponential(2),
    ...(book === undefined
      ? [f(LECTURE_INSTRUMENTS.std), `&lt; ${pct(LECTURE_INSTRUMENTS.saturatedBelow, 0)}`, '']
      : [f(book.std[k] ?? NaN), pct(book.saturated[k] ?? NaN, 2), (book.gradStd[k] ?? NaN).toExponential(2)]),
  ])
  const w = learningRateWindow(run.history.lr)
  const summary = summarizeUpdateToData(updateToDataWindow(run.history, w.from, w.to))
  const weightRows = weightGradStats(s.trace.paramGrads, s.params).map((x) => {
    const u = summary.find((y) => y.name === x.name)
    return [
      escapeHtml(x.name === 'embedding.weight' ? 'C (embedding.weight)' : x.name),
      x.shape.join(' × '),
      x.std.toExponential(2),
      x.gradToData.toExponential(2),
      u === undefined ? '' : f(u.medianLog10),
      f(LECTURE_INSTRUMENTS.updateLog10, 0),
    ]
  })
  return (
    table(
      [
        'tanh layer',
        `std, step ${s0.step}`,
        `saturated (%), step ${s0.step}`,
        `gradient std, step ${s0.step}`,
        `std, step ${s.step}`,
        `saturated (%), step ${s.step}`,
        `gradient std, step ${s.step}`,
        book === undefined ? "lecture's std" : `notebook's std (its ${book.at} step)`,
        book === undefined ? "lecture's saturated" : "notebook's saturated (%)",
        book === undefined ? '' : "notebook's gradient std",
      ],
      layerRows,
      [1, 2, 3, 4, 5, 6, 7, 8, 9],
    ) +
    table(
      [
        `parameter, step ${s.step}`,
        'shape',
        'gradient std',
        'grad:data',
        `median log10 update:data (steps ${w.from}–${w.to - 1})`,
        "lecture's update:data",
      ],
      weightRows,
      [2, 3, 4, 5],
    )
  )
}

const NETS: ExperimentName[] = ['deep-tanh', 'deep-batchnorm']

const summaryOf = (r: ExperimentRun): string => {
  const s = lastSnapshot(r)
  if (s === undefined) return r.name
  const stats = activationStats(s.trace).filter((x) => x.kind === 'tanh')
  const stds = stats.map((x) => x.std),
    sats = stats.map((x) => x.saturated)
  const w = learningRateWindow(r.history.lr)
  const u = median(summarizeUpdateToData(updateToDataWindow(r.history, w.from, w.to)).map((x) => x.medianLog10))
  return (
    `${r.name} at step ${s.step}: tanh std ${f(Math.min(...stds))}–${f(Math.max(...stds))}, ` +
    `${pct(Math.min(...sats), 1)}–${pct(Math.max(...sats), 1)} saturated, median log10 update:data ${f(u, 1)}`
  )
}

const NOTEBOOK_SAYS = {
  first: 'the tanh net at gain 5/3 after its first step (compare our step 0 columns)',
  last: 'the BatchNorm net after its 1,000 steps (compare our last-step columns)',
}

/** One net's section: its words' values and its panel, or the note that its run is missing. */
const netFilling = (n: ExperimentName, r: ExperimentRun | undefined): Filling => {
  const heading = `${titleOf(n)} (${n})`
  if (r === undefined)
    return {
      values: { heading },
      when: { present: false, absent: true },
      figures: { missing: missing('This instrument panel', [n]) },
    }
  const snaps = endSnapshots(r)
  const at = NOTEBOOK[n]?.at
  return {
    values: {
      heading,
      name: n,
      description: escapeHtml(findExperiment(n)?.description ?? ''),
      notebook: at === undefined ? 'not for this net' : NOTEBOOK_SAYS[at],
    },
    when: { present: true, absent: false, snapshots: snaps.length > 0 },
    figures: {
      lectureTable: html(lectureTable(r)),
      noSnapshots:
        snaps.length > 0 ? [] : html(`<div class="missing">The ${code(r.name)} run kept no snapshots.</div>`),
      ...(snaps.length > 0 ? panelFor(r, snaps) : {}),
    },
  }
}

export const instruments: PartFigures = (data) => {
  const present = NETS.map((n) => runOf(data, n)).filter((r): r is ExperimentRun => r !== undefined)
  // one y range for the update:data charts of both nets, set side by side
  const all = present.flatMap((r) => r.history.updateToData.flatMap((u) => Array.from(u).filter(Number.isFinite)))
  const yDomain: [number, number] = [
    Math.floor(Math.min(updateDataBand.from, ...all.slice(0, 200_000))) - 0.2,
    Math.ceil(Math.max(updateDataBand.to, ...all.slice(0, 200_000))) + 0.2,
  ]
  return {
    headline:
      present.length === 0
        ? 'activation, gradient and update:data instruments (needs the deep-tanh or deep-batchnorm run)'
        : present.map(summaryOf).join('; '),
    values: {
      panel: SATURATION.panel,
      lectureStd: LECTURE_INSTRUMENTS.std,
      lectureSaturated: pct(LECTURE_INSTRUMENTS.saturatedBelow, 0),
    },
    each: { net: NETS.map((n) => netFilling(n, runOf(data, n))) },
    figures: {
      updates:
        present.length === 0
          ? missing('The update:data charts', NETS)
          : grid(...present.map((r) => updateChart(r, yDomain))),
    },
  }
}

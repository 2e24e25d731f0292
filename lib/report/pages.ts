/**
 * The report's pages, one per part of the lecture, as drafts: headings and text in the lecture's
 * words, Vega-Lite specs with their data, tables. Pure: a ReportInput in, drafts out; rendering
 * to SVG and HTML happens in index.ts. A page copes with any subset of runs: a chart whose run is
 * missing becomes a note saying which run it needs.
 */
import type { TopLevelSpec } from 'vega-lite'
import type { ExperimentName, ExperimentRun } from '../model/experiments.ts'
import { findExperiment } from '../model/experiments.ts'
import type { LayerTrace, Trace } from '../model/nn.ts'
import type { Snapshot } from '../model/train.ts'
import { softmax } from '../model/loss.ts'
import { mean, std, tanh, tanhBackward } from '../engine/ops.ts'
import { matrix, vector } from '../engine/tensor.ts'
import {
  SATURATION,
  activationStats,
  deadUnits,
  defaultThresholds,
  diagnoseRun,
  gradientStats,
  histogram,
  learningRateWindow,
  median,
  moments,
  movingAverage,
  saturationFraction,
  saturationMap,
  summarizeUpdateToData,
  symmetricRange,
  updateToDataWindow,
  weightGradStats,
  type Finding,
} from '../instruments/diagnostics.ts'
import {
  colorOf,
  densityLinesSpec,
  EMBEDDING_COLOR,
  downsample,
  maxDensity,
  histogramBarsSpec,
  linesSpec,
  resultsSpec,
  overTimeSpec,
  saturationMapSpec,
  softmaxSpec,
  type HistogramSeries,
  type OverTimeBin,
  type LineSeries,
} from './specs.ts'
import { depthProfile, fanInDemo } from '../instruments/probes.ts'
import { DEFAULT_GAIN, explorerData, explorerSpec } from './explorer.ts'
import { escapeHtml, table } from './html.ts'
import type { ReportInput } from './input.ts'
import { fixed, percent, signed, signedExp, thousands } from '../engine/format.ts'

export type Block =
  | { readonly kind: 'html'; readonly html: string }
  /** A static chart, rendered to SVG in Node. */
  | { readonly kind: 'chart'; readonly spec: TopLevelSpec; readonly caption: string }
  /** Charts side by side. */
  | { readonly kind: 'grid'; readonly blocks: readonly Block[] }
  /** A chart the browser runs (its params bound to inputs). */
  | { readonly kind: 'interactive'; readonly spec: TopLevelSpec; readonly caption: string }

export interface PageDraft {
  readonly file: string
  /** The short name in the nav bar. */
  readonly nav: string
  readonly title: string
  /** The page's main finding in one line, with its numbers: what index.html shows next to the link. */
  readonly headline: string
  /** One or two sentences under the title (HTML). */
  readonly intro: string
  readonly blocks: readonly Block[]
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const f = fixed
const pct = percent
const code = (s: string): string => `<code>${escapeHtml(s)}</code>`
const html = (s: string): Block => ({ kind: 'html', html: s })
const chart = (spec: TopLevelSpec, caption: string): Block => ({ kind: 'chart', spec, caption })
const grid = (...blocks: Block[]): Block => ({ kind: 'grid', blocks })
/** The id of a section's heading: its words in lower case, joined by hyphens. */
export const slug = (heading: string): string =>
  heading
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
const section = (heading: string, look: string): Block =>
  html(`<h2 id="${slug(heading)}">${escapeHtml(heading)}</h2>\n<p class="look">${look}</p>`)

const runOf = (data: ReportInput, name: ExperimentName): ExperimentRun | undefined =>
  data.runs.find((r) => r.name === name)
const firstSnapshot = (run: ExperimentRun): Snapshot | undefined => run.history.snapshots[0]
const lastSnapshot = (run: ExperimentRun): Snapshot | undefined =>
  run.history.snapshots[run.history.snapshots.length - 1]
const layerNamed = (trace: Trace, name: string): LayerTrace | undefined => trace.layers.find((l) => l.name === name)
const layerIndex = (trace: Trace, l: LayerTrace): number => trace.layers.indexOf(l)

/** A note in place of a chart whose run is not in this report. */
const missing = (what: string, needs: readonly ExperimentName[]): Block =>
  html(
    `<div class="missing">${escapeHtml(what)} needs the ${needs.map(code).join(' and ')} run${needs.length > 1 ? 's' : ''}, which this report was written without. ` +
      `Run ${code(`npm start -- --only ${needs.join(',')}`)} (or without ${code('--only')}) to see it.</div>`,
  )

const titleOf = (name: ExperimentName): string => findExperiment(name)?.title ?? name

// ---------------------------------------------------------------------------------------------
// 1. Initial loss and softmax

/** The lecture's example logits: small and similar, then extreme. */
export const GOOD_LOGITS = [0.1, -0.2, 0.0, 0.3] as const
export const BAD_LOGITS = [0.1, -20.0, 15.0, -5.0] as const

/** The loss per step (nats) as a faint raw curve and its moving average, at most 1,000 points each. */
const lossSeries = (run: ExperimentRun): LineSeries[] => {
  const window = Math.max(1, Math.round(run.steps / 50))
  return [
    { group: run.name, points: downsample(run.history.loss, 1000), faint: true },
    { group: run.name, points: downsample(movingAverage(run.history.loss, window), 1000), endLabel: run.name },
  ]
}

/** Loss ticks in nats for a log axis: readable numbers, from 1.5 to 30. */
const LOSS_TICKS = [1.5, 2, 2.5, 3, 4, 5, 7, 10, 15, 20, 30]

/** The step where a run's learning rate drops, marked on its loss chart (none if it never drops). */
export const lrDrops = (runs: readonly ExperimentRun[]): { x: number; label: string }[] => {
  const at = new Map<number, string>()
  for (const r of runs) {
    const w = learningRateWindow(r.history.lr)
    if (w.to < r.history.lr.length) at.set(w.to, `lr ${r.history.lr[0]} → ${r.history.lr[w.to]}`)
  }
  return [...at].map(([x, label]) => ({ x, label: `${label} at step ${thousands(x)}` }))
}

export const initialLossPage = (data: ReportInput): PageDraft => {
  const V = data.corpus.vocabSize,
    lnV = Math.log(V)
  const naive = runOf(data, 'naive'),
    fixed = runOf(data, 'fix-softmax')
  const headline =
    naive !== undefined
      ? `naive starts at loss ${f(naive.initLoss)}, ${f(naive.initLoss / lnV, 1)}× the ln ${V} = ${f(lnV)} of a uniform guess` +
        (fixed !== undefined ? `; with the output layer fixed it starts at ${f(fixed.initLoss)}` : '')
      : `a network that knows nothing should start at ln ${V} = ${f(lnV, 4)}`

  const rows = data.runs.map((r) => [
    escapeHtml(r.name),
    f(r.initLoss, 4),
    f(lnV, 4),
    signed(r.initLoss - lnV, 4),
    ((x) => (x === undefined ? '' : f(x)))(findExperiment(r.name)?.lecture.initLoss),
  ])
  const good = softmax(matrix([GOOD_LOGITS])).data,
    bad = softmax(matrix([BAD_LOGITS])).data
  const badLoss = -Math.log(bad[0])

  const curves = [naive, fixed].filter((r): r is ExperimentRun => r !== undefined)
  const hockey: Block[] =
    curves.length === 0
      ? [missing('The loss curves', ['naive', 'fix-softmax'])]
      : [
          chart(
            linesSpec({
              title: 'loss per step (nats, log scale), with its moving average',
              subtitle: `faint: each step's batch loss${curves.some((r) => r.steps > 1000) ? ' (averaged over runs of steps to keep 1,000 points)' : ''}; bold: moving average over ${Math.max(1, Math.round(curves[0].steps / 50))} steps`,
              xTitle: 'step',
              yTitle: 'loss (nats)',
              yScale: 'log',
              yValues: LOSS_TICKS,
              yFormat: '~g',
              series: curves.flatMap(lossSeries),
              colors: [...new Set(curves.map((r) => colorOf(r.name)))],
              rules: [{ y: lnV, label: `ln ${V} = ${f(lnV)}` }],
              xRules: lrDrops(curves),
              width: 760,
              height: 280,
            }),
            curves
              .map((r) => {
                const tail = r.history.loss.subarray(Math.floor(r.steps * 0.9))
                return `${r.name}: ${f(r.initLoss)} at step 0, ${f(r.history.loss[Math.min(r.steps - 1, 20)])} at step ${Math.min(r.steps - 1, 20)}, ${f(moments(tail).mean)} over the last 10% of steps.`
              })
              .join(' '),
          ),
          ...(fixed === undefined
            ? [missing('The fixed curve to compare with', ['fix-softmax'])]
            : naive === undefined
              ? [missing('The naive curve to compare with', ['naive'])]
              : []),
        ]

  return {
    file: 'initial-loss.html',
    nav: 'Initial loss',
    title: 'Problem 1: the “confidently wrong” output layer',
    headline,
    intro: `At iteration zero a network that knows nothing should spread its bets evenly over the ${V} characters. Its loss is then ln ${V} = ${f(lnV, 4)}; a much larger first loss means the output layer is confidently wrong.`,
    blocks: [
      section(
        'Establishing a theoretical baseline',
        `Look at the first loss of each run next to ln ${V}: a uniform guess gives every character probability 1/${V}, so its loss is −ln(1/${V}) = ${f(lnV, 4)}.`,
      ),
      html(
        data.runs.length === 0
          ? '<p>No runs in this report.</p>'
          : table(['experiment', 'first loss', `ln ${V}`, 'difference', "lecture's first loss"], rows, [1, 2, 3, 4]),
      ),
      section(
        'The source of overconfidence: unruly logits',
        'Look at how softmax treats the two sets of logits: similar logits give similar probabilities; one logit far above the rest takes nearly all the probability.',
      ),
      chart(
        softmaxSpec({
          title: "softmax of good and extreme logits (the lecture's example)",
          cases: [
            { label: `good logits [${GOOD_LOGITS.join(', ')}]`, logits: [...GOOD_LOGITS], probs: Array.from(good) },
            { label: `extreme logits [${BAD_LOGITS.join(', ')}]`, logits: [...BAD_LOGITS], probs: Array.from(bad) },
          ],
        }),
        `With the extreme logits the network gives the option with logit 15 probability ${f(bad[2], 7)}; if the right answer were the option with logit 0.1 (probability ${bad[0].toExponential(1)}), its loss would be −ln p = ${f(badLoss)}, against ${f(-Math.log(good[0]))} with the good logits.`,
      ),
      section(
        'The hockey stick',
        'Look at the first steps: naive spends them shrinking its logits (the steep drop of the hockey stick) while the fixed net starts on the plateau and uses every step to learn.',
      ),
      ...hockey,
    ],
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Saturation

const tanhOut = (run: ExperimentRun): LayerTrace | undefined => {
  const s = firstSnapshot(run)
  return s === undefined ? undefined : s.trace.layers.find((l) => l.kind === 'tanh')
}

const preactivation = (run: ExperimentRun): LayerTrace | undefined => {
  const s = firstSnapshot(run)
  if (s === undefined) return undefined
  const t = s.trace.layers.findIndex((l) => l.kind === 'tanh')
  return t > 0 ? s.trace.layers[t - 1] : undefined
}

export const saturationPage = (data: ReportInput): PageDraft => {
  const naive = runOf(data, 'naive')
  const fixedName: ExperimentName | undefined =
    runOf(data, 'fix-tanh') !== undefined ? 'fix-tanh' : runOf(data, 'kaiming') !== undefined ? 'kaiming' : undefined
  const fixed = fixedName === undefined ? undefined : runOf(data, fixedName)
  const pair = [naive, fixed].filter((r): r is ExperimentRun => r !== undefined && tanhOut(r) !== undefined)
  const satOf = (r: ExperimentRun) => saturationFraction(tanhOut(r)?.out.data ?? [], SATURATION.panel)

  const headline =
    pair.length === 0
      ? 'tanh passes on only 1 − t² of the gradient: 2% at |t| = 0.99'
      : `${pct(satOf(pair[0]))} of ${pair[0].name}'s tanh outputs are beyond ±${SATURATION.panel} at step 0${pair
          .slice(1)
          .map((r) => `; ${r.name}: ${pct(satOf(r))}`)
          .join('')}`

  // tanh and its local gradient
  const xs = vector(Array.from({ length: 161 }, (_, i) => -4 + i * 0.05))
  const t = tanh(xs),
    grad = tanhBackward(t, vector(Array.from({ length: 161 }, () => 1)))
  const curve = (values: Float64Array) => Array.from(xs.data, (x, i) => ({ x, y: values[i] }))

  const needs: ExperimentName[] = ['naive', 'fix-tanh']
  const histBlocks: Block[] =
    pair.length === 0
      ? [missing('The histograms of h', needs)]
      : (() => {
          const hs: HistogramSeries[] = pair.map((r) => ({
            label: `${r.name}: ${pct(satOf(r))} beyond ±${SATURATION.panel}, std ${f(moments(tanhOut(r)?.out.data ?? []).std)}`,
            histogram: histogram(tanhOut(r)?.out.data ?? [], { bins: 50, min: -1, max: 1 }),
          }))
          const pres = pair.map((r) => preactivation(r)?.out.data ?? new Float64Array(0))
          const range = symmetricRange(pres)
          const ps: HistogramSeries[] = pair.map((r, i) => ({
            label: `${r.name}: std ${f(moments(pres[i]).std)}`,
            histogram: histogram(pres[i], { bins: 60, ...range }),
          }))
          return [
            chart(
              histogramBarsSpec({
                title: 'h = tanh(hpreact) at step 0',
                xTitle: 'h (tanh output)',
                series: hs,
              }),
              'Both panels share one count axis. Naive piles its outputs at −1 and +1, where the gradient is gone; the fixed net spreads them over the responsive middle.',
            ),
            chart(
              histogramBarsSpec({
                title: 'hpreact (the input to tanh) at step 0',
                xTitle: 'hpreact',
                series: ps,
              }),
              `Why: tanh is responsive only for inputs between about −2 and 2. The pre-activations reach ±${f(range.max, 1)} in this batch.`,
            ),
            ...(pair.length < 2 ? [missing('The comparison', needs)] : []),
          ]
        })()

  const mapBlocks: Block[] =
    pair.length === 0
      ? [missing('The saturation map', needs)]
      : pair.map((r) => {
          const out = tanhOut(r)
          if (out === undefined) return missing('The saturation map', [r.name])
          const map = saturationMap(out.out, SATURATION.map, 32, 200)
          const dead = deadUnits(out.out, 'tanh', SATURATION.map)
          const white = map.saturated.reduce((s, v) => s + v, 0)
          return chart(
            saturationMapSpec({
              title: `${r.name}: |h| > ${SATURATION.map}, ${map.examples} examples × ${map.units} units at step 0`,
              map,
            }),
            `White: saturated (${pct(white / map.saturated.length)} of the cells). A column white from top to bottom is a dead unit: ${r.name} has ${dead.length} of ${out.out.shape[1]} in this batch of ${out.out.shape[0]}.`,
          )
        })

  return {
    file: 'saturation.html',
    nav: 'Saturation',
    title: 'Problem 2: activation saturation in the hidden layer',
    headline,
    intro: `A saturated tanh unit is a clipped microphone: its output is stuck near ±1, it no longer tells inputs apart, and the gradient it passes back is multiplied by 1 − t² ≈ 0. Two thresholds on this page, both the lecture's: a share of outputs “saturated” counts |h| > ${SATURATION.panel} (its per-layer printout), and the map whitens |h| > ${SATURATION.map} (its plt.imshow).`,
    blocks: [
      section(
        'The mathematical diagnosis: vanishing gradients',
        'Look at the orange curve: the local gradient 1 − t² is 1 at t = 0 and falls to nothing where tanh flattens out.',
      ),
      chart(
        linesSpec({
          title: 't = tanh(x) and its local gradient 1 − t²',
          xTitle: 'x (pre-activation)',
          yTitle: 'value',
          series: [
            { group: 't = tanh(x)', points: curve(t.data) },
            { group: '1 − t² (local gradient)', points: curve(grad.data) },
          ],
          rules: [{ y: 1 - 0.99 ** 2, label: `1 − 0.99² = ${f(1 - 0.99 ** 2, 4)}` }],
          width: 560,
          height: 230,
        }),
        `At |t| = 0.90 the gradient passes at ${f(1 - 0.9 ** 2)}, at 0.99 at ${f(1 - 0.99 ** 2, 4)}, at 1.0 not at all.`,
      ),
      section(
        'Histogram of h',
        `Look at the edges: a tall bar at −1 and +1 is a crowd of saturated units. ${fixedName === 'kaiming' ? 'The fix-tanh run is not in this report, so the Kaiming run stands in for the fixed net.' : ''}`,
      ),
      ...histBlocks,
      section(
        'Which neurons saturate for which example',
        `Look for white columns: the lecture's plt.imshow(h.abs() > ${SATURATION.map}) shows one row per example and one column per neuron.`,
      ),
      ...mapBlocks,
    ],
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Variance across depth

export const kaimingPage = (data: ReportInput): PageDraft => {
  const seed = data.options.seed
  const demo = fanInDemo(seed)
  const sx = moments(demo.x.data).std,
    sy = moments(demo.y.data).std,
    sk = moments(demo.yScaled.data).std
  const range = symmetricRange([demo.y.data])
  const depth = 10,
    width = 100,
    examples = 256
  const linearGains = [0.5, 1, 2],
    tanhGains = [1, 5 / 3, 3]
  const lin = linearGains.map((g) => depthProfile(g, { seed, depth, width, examples, nonlinear: false }))
  const tan = tanhGains.map((g) => depthProfile(g, { seed, depth, width, examples, nonlinear: true }))
  const gainName = (g: number) => (Math.abs(g - 5 / 3) < 1e-9 ? '5/3' : `${g}`)
  const profile = (p: { gain: number; std: readonly number[] }, what: string): LineSeries => ({
    group: `gain ${gainName(p.gain)}${what}`,
    points: p.std.map((y, x) => ({ x, y })),
  })
  const last = (p: { std: readonly number[] }) => p.std[p.std.length - 1]
  const tan53 = tan[1],
    tan1 = tan[0],
    tan3 = tan[2]

  return {
    file: 'kaiming.html',
    nav: 'Kaiming',
    title: 'Principled initialization: from alchemy to science',
    headline: `over ${depth} tanh layers, gain 5/3 holds the std at ${f(last(tan53))}; gain 1 lets it fall to ${f(last(tan1))}; without tanh, gain 2 multiplies it by ${f(last(lin[2]) / lin[2].std[0], 0)}`,
    intro:
      'Every layer multiplies the signal by its weights. Weights a little too large and the variance grows layer after layer; a little too small and it fades. Kaiming initialisation picks std = gain/√fan_in so that it stays put.',
    blocks: [
      section(
        'Why 1/√fan_in',
        `Look at the spread: x has std ${f(sx)}; x @ w with w standard normal has std ${f(sy)} (about √10 = ${f(Math.sqrt(10))}); the same w divided by √10 gives ${f(sk)}.`,
      ),
      chart(
        densityLinesSpec({
          title: 'x (1000 × 10), x @ w and x @ (w / √10), w (10 × 200) standard normal',
          xTitle: 'value',
          series: [
            { label: `x: std ${f(sx)}`, histogram: histogram(demo.x.data, { bins: 60, ...range }) },
            { label: `x @ w: std ${f(sy)}`, histogram: histogram(demo.y.data, { bins: 60, ...range }) },
            { label: `x @ (w / √10): std ${f(sk)}`, histogram: histogram(demo.yScaled.data, { bins: 60, ...range }) },
          ],
          width: 620,
        }),
        `The lecture's demo (seed ${seed}). x and x @ (w / √10) both have std about 1, so their curves lie on top of each other: that is the point of dividing by √fan_in.`,
      ),
      section(
        'Explode, vanish, or preserved',
        `Look at the slopes on the log scale: ${depth} linear layers of ${width} (no non-linearity) with weights of std gain/√${width}.`,
      ),
      chart(
        linesSpec({
          title: `std of the activations after each of ${depth} linear layers`,
          xTitle: 'layer (0 = input)',
          yTitle: 'std (log scale)',
          series: lin.map((p) =>
            profile(p, p.gain === 1 ? ' (Kaiming for linear)' : p.gain < 1 ? ' (too small)' : ' (too large)'),
          ),
          yScale: 'log',
          points: true,
          integerX: true,
          width: 560,
        }),
        `Gain 0.5 halves the std at every layer (${f(last(lin[0]), 4)} after ${depth}); gain 2 doubles it (${f(last(lin[2]), 0)}); gain 1 keeps it at ${f(last(lin[1]))}.`,
      ),
      section(
        'The gain: making up for tanh',
        'Look at where the lines settle: tanh squashes its input, so the weights must be a little larger than 1/√fan_in to keep the signal alive; 5/3 is the gain for tanh.',
      ),
      grid(
        chart(
          linesSpec({
            title: `std of tanh outputs across ${depth} layers`,
            xTitle: 'layer (0 = input)',
            yTitle: 'std',
            series: tan.map((p) =>
              profile(p, p.gain === 5 / 3 ? ' (Kaiming for tanh)' : p.gain < 5 / 3 ? ' (too small)' : ' (too large)'),
            ),
            points: true,
            integerX: true,
            yDomain: [0, 1.05],
          }),
          `Gain 5/3 settles at ${f(last(tan53))} (the lecture's "about 0.65"); gain 1 shrinks to ${f(last(tan1))}; gain 3 holds ${f(last(tan3))} but by saturating.`,
        ),
        chart(
          linesSpec({
            title: `share of tanh outputs beyond ±${SATURATION.panel} (%)`,
            xTitle: 'layer',
            yTitle: 'saturated (%)',
            yFormat: '.0%',
            series: tan.map((p) => ({
              group: `gain ${gainName(p.gain)}`,
              points: p.saturated.map((y, x) => ({ x, y })).slice(1),
            })),
            points: true,
            integerX: true,
            yDomain: [0, 1],
            xDomain: [1, depth],
          }),
          `Gain 5/3: ${pct(tan53.saturated[depth])} saturated at layer ${depth}; gain 3: ${pct(tan3.saturated[depth])}; gain 1: ${pct(tan1.saturated[depth])}.`,
        ),
      ),
      html(
        `<p>Computed on ${examples} standard normal inputs of width ${width}, seed ${seed}. The <a href="gain-explorer.html">gain explorer</a> lets you drag the gain yourself.</p>`,
      ),
    ],
  }
}

// ---------------------------------------------------------------------------------------------
// 4. BatchNorm

export const batchNormPage = (data: ReportInput): PageDraft => {
  const run = runOf(data, 'batchnorm')
  const base = {
    file: 'batchnorm.html',
    nav: 'BatchNorm',
    title: 'Batch Normalization: the active stabilizer',
    intro:
      'BatchNorm grades on a curve: it standardises every unit over the batch to mean 0 and std 1, then lets the network shift and scale the result with its own gamma and beta.',
  }
  const first = run === undefined ? undefined : firstSnapshot(run)
  const bnIndex = first === undefined ? -1 : first.trace.layers.findIndex((l) => l.kind === 'batchnorm')
  if (run === undefined || first === undefined || bnIndex < 1) {
    return {
      ...base,
      headline: 'BatchNorm output has mean 0 and std 1 per unit (needs the batchnorm run)',
      blocks: [missing('This page', ['batchnorm'])],
    }
  }
  const bnName = first.trace.layers[bnIndex].name
  const preName = first.trace.layers[bnIndex - 1].name
  const last = lastSnapshot(run) ?? first
  const valuesAt = (s: Snapshot, name: string): Float64Array =>
    layerNamed(s.trace, name)?.out.data ?? new Float64Array(0)
  // one x range and one density scale for both steps: the two charts are meant to be compared
  const shared = symmetricRange([first, last].flatMap((s) => [valuesAt(s, preName), valuesAt(s, bnName)]))
  const seriesAt = (s: Snapshot): HistogramSeries[] => {
    const pre = valuesAt(s, preName),
      post = valuesAt(s, bnName)
    const mp = moments(pre),
      mb = moments(post)
    return [
      {
        label: `${preName} output (hpreact): mean ${signed(mp.mean, 2)}, std ${f(mp.std)}`,
        histogram: histogram(pre, { bins: 50, ...shared }),
      },
      {
        label: `${bnName} output: mean ${signed(mb.mean, 2)}, std ${f(mb.std)}`,
        histogram: histogram(post, { bins: 50, ...shared }),
      },
    ]
  }
  const yMax = maxDensity([first, last].flatMap(seriesAt))
  const beforeAfter = (s: Snapshot): Block =>
    chart(
      densityLinesSpec({
        title: `step ${s.step}: before and after ${bnName}`,
        xTitle: 'value',
        series: seriesAt(s),
        colors: [EMBEDDING_COLOR, colorOf(bnName)],
        yMax,
      }),
      s.step === 0
        ? 'At step 0 gamma = 1 and beta = 0, so the output is the standardised pre-activation itself.'
        : movedBy(s),
    )
  /** How far gamma and beta have moved from 1 and 0 by a snapshot: the network's own scale and shift. */
  const movedBy = (s: Snapshot): string => {
    const range = (name: string): string => {
      const t = s.params[`${bnName}.${name}`]
      if (t === undefined) return '?'
      let lo = Infinity,
        hi = -Infinity
      for (const v of t.data) {
        lo = Math.min(lo, v)
        hi = Math.max(hi, v)
      }
      return `${f(lo)} to ${f(hi)}`
    }
    return `After ${thousands(s.step)} steps gamma runs from ${range('gamma')} and beta from ${range('beta')} across the units (they start at 1 and 0): the network's own scale and shift on top of the standardised values.`
  }
  const mp0 = moments(layerNamed(first.trace, preName)?.out.data ?? []),
    mb0 = moments(layerNamed(first.trace, bnName)?.out.data ?? [])

  // running statistics over the snapshots, for the first few units
  const units = 4
  const layerSpec = run.model.layers.find((l) => l.name === bnName)
  const momentum = layerSpec !== undefined && layerSpec.kind === 'batchnorm' ? layerSpec.momentum : NaN
  const snaps = run.history.snapshots
  const running = (which: 'mean' | 'std'): LineSeries[] =>
    Array.from({ length: units }, (_, j) => j).flatMap((j) => [
      {
        group: `unit ${j}`,
        points: snaps.map((s) => {
          const buf = s.buffers[`${bnName}.${which === 'mean' ? 'runningMean' : 'runningVar'}`]
          const v = buf === undefined ? NaN : buf.data[j]
          return { x: s.step, y: which === 'mean' ? v : Math.sqrt(v) }
        }),
      },
      {
        group: `unit ${j}`,
        faint: true,
        points: snaps.flatMap((s) => {
          const pre = layerNamed(s.trace, preName)?.out
          return pre === undefined ? [] : [{ x: s.step, y: (which === 'mean' ? mean(pre, 0) : std(pre, 0)).data[j] }]
        }),
      },
    ])
  const covered = 1 - (1 - momentum) ** run.steps
  const runningBlocks: Block[] =
    snaps.length < 2
      ? [
          html(
            '<div class="missing">The running statistics need snapshots at several steps; this run kept only one (run it through npm start, which keeps about ten).</div>',
          ),
        ]
      : [
          grid(
            chart(
              linesSpec({
                title: `${bnName}.runningMean of units 0–${units - 1}`,
                subtitle: 'bold: running estimate; faint: the batch mean at that step',
                xTitle: 'step (log scale)',
                xScale: 'symlog',
                yTitle: 'mean',
                series: running('mean'),
                points: true,
                legendColumns: units,
              }),
              'Each bold line starts at 0 and creeps toward the faint batch means of its unit.',
            ),
            chart(
              linesSpec({
                title: `√${bnName}.runningVar of units 0–${units - 1}`,
                subtitle: 'bold: running estimate; faint: the batch std at that step',
                xTitle: 'step (log scale)',
                xScale: 'symlog',
                yTitle: 'std',
                series: running('std'),
                points: true,
                legendColumns: units,
              }),
              "The running std starts at 1 and moves toward each unit's batch std (faint, same colour).",
            ),
          ),
        ]

  return {
    ...base,
    headline: `BatchNorm turns pre-activations of std ${f(mp0.std)} into outputs of mean ${signed(mb0.mean, 2)}, std ${f(mb0.std)}; after ${thousands(run.steps)} steps at momentum ${momentum} the running statistics have covered ${pct(covered, 0)} of the way`,
    blocks: [
      section(
        'Before and after: grading on a curve',
        `Look at the two curves: whatever the scale of the pre-activations (std ${f(mp0.std)} here), BatchNorm's output has mean 0 and std 1 over the batch.`,
      ),
      grid(beforeAfter(first), ...(last.step !== first.step ? [beforeAfter(last)] : [])),
      section(
        'Running statistics for evaluation',
        `Look at how slowly the bold lines move: with momentum ${momentum} each step moves the running estimate ${pct(momentum, 1)} of the way toward the batch's, so after ${thousands(run.steps)} steps it has covered 1 − (1 − ${momentum})^${run.steps} = ${pct(covered, 1)}. Evaluation uses these estimates, not a batch.`,
      ),
      ...runningBlocks,
    ],
  }
}

// ---------------------------------------------------------------------------------------------
// 5. The instrument panel

const layerLabel = (trace: Trace, l: LayerTrace): string => `layer ${layerIndex(trace, l)} (${l.name})`

/** The healthy band of log10 update:data: the diagnose thresholds, around the lecture's 1e-3. */
const UPDATE_BAND = { from: defaultThresholds.updateLow, to: defaultThresholds.updateHigh }

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

/** The first and the last snapshot of a run (one if they are the same). */
const endSnapshots = (run: ExperimentRun): Snapshot[] =>
  [firstSnapshot(run), lastSnapshot(run)].filter(
    (s, i, all): s is Snapshot => s !== undefined && all.findIndex((x) => x?.step === s.step) === i,
  )

const tanhLayers = (s: Snapshot): LayerTrace[] => s.trace.layers.filter((l) => l.kind === 'tanh')

const panelFor = (run: ExperimentRun): Block[] => {
  const snaps = endSnapshots(run)
  if (snaps.length === 0) return [html(`<div class="missing">The ${code(run.name)} run kept no snapshots.</div>`)]
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
  return [
    html(`<h3 id="${run.name}-activations">Forward pass: activation distribution</h3>`),
    grid(...snaps.map(activations)),
    html(`<h3 id="${run.name}-gradients">Backward pass: gradient distribution</h3>`),
    grid(...snaps.map(gradients)),
    html(`<h3 id="${run.name}-weights">Weights: gradient distribution and grad:data</h3>`),
    grid(...snaps.map(weights)),
    html(`<h3 id="${run.name}-over-time">Over time: every snapshot</h3>`),
    ...overTime(run),
  ]
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
      band: { ...UPDATE_BAND, label: `healthy: 1e${UPDATE_BAND.from} to 1e${UPDATE_BAND.to}` },
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

export const instrumentsPage = (data: ReportInput): PageDraft => {
  const names: ExperimentName[] = ['deep-tanh', 'deep-batchnorm']
  const present = names.map((n) => runOf(data, n)).filter((r): r is ExperimentRun => r !== undefined)
  const summaryOf = (r: ExperimentRun): string => {
    const s = lastSnapshot(r)
    if (s === undefined) return r.name
    const stats = activationStats(s.trace).filter((x) => x.kind === 'tanh')
    const stds = stats.map((x) => x.std),
      sats = stats.map((x) => x.saturated)
    const w = learningRateWindow(r.history.lr)
    const u = median(summarizeUpdateToData(updateToDataWindow(r.history, w.from, w.to)).map((x) => x.medianLog10))
    return `${r.name} at step ${s.step}: tanh std ${f(Math.min(...stds))}–${f(Math.max(...stds))}, ${pct(Math.min(...sats), 1)}–${pct(Math.max(...sats), 1)} saturated, median log10 update:data ${f(u, 1)}`
  }
  // one y range for the update:data charts of both nets, set side by side
  const all = present.flatMap((r) => r.history.updateToData.flatMap((u) => Array.from(u).filter(Number.isFinite)))
  const yDomain: [number, number] = [
    Math.floor(Math.min(UPDATE_BAND.from, ...all.slice(0, 200_000))) - 0.2,
    Math.ceil(Math.max(UPDATE_BAND.to, ...all.slice(0, 200_000))) + 0.2,
  ]
  return {
    file: 'instruments.html',
    nav: 'Instruments',
    title: 'The diagnostic toolkit: your instrument panel',
    headline:
      present.length === 0
        ? 'activation, gradient and update:data instruments (needs the deep-tanh or deep-batchnorm run)'
        : present.map(summaryOf).join('; '),
    intro: `Flying without instruments, you cannot tell level flight from a nosedive. These are the lecture's instruments for its deep net (five Linear + tanh layers of 100), trained as the lecture trains it: 1,000 steps at learning rate 0.1 throughout, read at the last step. Saturated means |t| > ${SATURATION.panel} on this page, as in the lecture's printout.`,
    blocks: [
      ...names.flatMap((n): Block[] => {
        const r = runOf(data, n)
        const heading = `${titleOf(n)} (${n})`
        if (r === undefined)
          return [html(`<h2 id="${slug(heading)}">${escapeHtml(heading)}</h2>`), missing('This instrument panel', [n])]
        return [
          section(
            heading,
            `${escapeHtml(findExperiment(n)?.description ?? '')} Look for a thriving middle class of activations (std about ${LECTURE_INSTRUMENTS.std}, under ${pct(LECTURE_INSTRUMENTS.saturatedBelow, 0)} saturated in the deeper layers), gradient curves on top of each other, and update:data near 10⁻³ (log10 −3).`,
          ),
          html(
            `<h3 id="${n}-lecture">Our figures beside the lecture's</h3>\n<p>The lecture's text gives its deep net's figures as a std of about ${LECTURE_INSTRUMENTS.std}, under ${pct(LECTURE_INSTRUMENTS.saturatedBelow, 0)} saturated, and update:data near 10⁻³. Its notebook printed them layer by layer: ${NOTEBOOK[n]?.at === 'first' ? 'the tanh net at gain 5/3 after its first step (compare our step 0 columns)' : NOTEBOOK[n]?.at === 'last' ? 'the BatchNorm net after its 1,000 steps (compare our last-step columns)' : 'not for this net'}. Our names and seed differ from the notebook's, so the figures agree in size, not to the digit.</p>\n${lectureTable(r)}`,
          ),
          ...panelFor(r),
        ]
      }),
      section(
        'The update:data ratio of both nets',
        'Look at the two nets side by side, on one y scale: every 2-D parameter (C, each hidden weight, the output layer) against the healthy band.',
      ),
      present.length === 0
        ? missing('The update:data charts', names)
        : grid(...present.map((r) => updateChart(r, yDomain))),
    ],
  }
}

// ---------------------------------------------------------------------------------------------
// 6. Results

/**
 * The loss of each example of a snapshot's batch, from the logits and their gradient: the target
 * is the one column whose gradient (p − 1)/B is negative, the loss logsumexp(logits) − logit.
 */
export const exampleLosses = (trace: Trace): number[] => {
  const out = trace.layers[trace.layers.length - 1]
  if (out === undefined || out.out.shape.length !== 2) return []
  const [rows, cols] = out.out.shape
  const losses: number[] = []
  for (let i = 0; i < rows; i++) {
    let target = 0,
      top = -Infinity
    for (let j = 0; j < cols; j++) {
      if (out.grad.data[i * cols + j] < out.grad.data[i * cols + target]) target = j
      top = Math.max(top, out.out.data[i * cols + j])
    }
    let sum = 0
    for (let j = 0; j < cols; j++) sum += Math.exp(out.out.data[i * cols + j] - top)
    losses.push(top + Math.log(sum) - out.out.data[i * cols + target])
  }
  return losses
}

/**
 * Naive's first loss drawn over 20 seeds (1..20) at initialisation, measured once on the built-in
 * corpus and on the lecture's 32,033 names: the spread a single seed samples from.
 */
export const NAIVE_FIRST_LOSS_OVER_SEEDS = {
  builtin: { mean: 26.87, min: 20.88, max: 31.94 },
  lecture: { mean: 26.46, min: 22.24, max: 31.59 },
} as const

/** Why two figures of the results table differ from the lecture's, from the runs' own numbers. */
const whyBlocks = (data: ReportInput): Block[] => {
  const naive = runOf(data, 'naive'),
    kaiming = runOf(data, 'kaiming'),
    bn = runOf(data, 'batchnorm')
  const out: Block[] = []
  if (kaiming !== undefined && bn !== undefined && bn.val > kaiming.val) {
    out.push(
      section(
        'Why BatchNorm does not win here',
        `Look at the train column too: batchnorm's train loss (${f(bn.train, 4)}) sits above kaiming's (${f(kaiming.train, 4)}) as well as its val (${f(bn.val, 4)} against ${f(kaiming.val, 4)}), so BatchNorm is not overfitting: after ${thousands(bn.steps)} steps it has simply learned less.`,
      ),
      html(
        `<p>On a network of one hidden layer whose initialisation is already right, BatchNorm has little to fix: the lecture's own figures put it within 0.01 of Kaiming (val ${f(findExperiment('batchnorm')?.lecture.val ?? NaN)} against ${f(findExperiment('kaiming')?.lecture.val ?? NaN)}) after 200,000 steps. What it adds is noise: each example's hidden units depend on the other 31 of its batch, a jitter that slows the fit of a short run and pays off, if at all, as regularisation on a long one. The built-in corpus (${thousands(data.corpus.words)} names${data.corpus.words < 32_033 ? ', a quarter of the lecture’s 32,033' : ''}) and ${thousands(bn.steps)} steps leave both nets far from where the lecture stops, so the order of two losses ${f(bn.val - kaiming.val, 2)} apart is not the lecture's finding. Evaluation uses BatchNorm's running statistics; at momentum 0.001 they follow about the last 1,000 steps, so they lag the weights a little too.</p>`,
      ),
    )
  }
  if (naive !== undefined) {
    const first = firstSnapshot(naive)
    const losses = first === undefined ? [] : exampleLosses(first.trace)
    const m = moments(losses)
    const se = m.std / Math.sqrt(Math.max(1, losses.length))
    const o = NAIVE_FIRST_LOSS_OVER_SEEDS
    out.push(
      section(
        `Why naive starts at ${f(naive.initLoss, 1)} here and about 27 in the lecture`,
        `Look at how much one batch's first loss can vary: it is the mean of ${losses.length} examples' losses, which range from ${f(Math.min(...losses), 1)} to ${f(Math.max(...losses), 1)} (std ${f(m.std, 1)}) in this run's first batch, so the batch mean alone is uncertain by about ±${f(se, 1)}.`,
      ),
      html(
        `<p>The naive net's logits are sums of 200 tanh outputs times standard normal weights, so they are large and their draw decides the first loss: it is one sample from a wide spread, not a property of the corpus. Drawn over seeds 1 to 20, naive's first loss averaged ${f(o.builtin.mean, 1)} on the built-in corpus (${f(o.builtin.min, 1)} to ${f(o.builtin.max, 1)}) and ${f(o.lecture.mean, 1)} on the lecture's 32,033 names (${f(o.lecture.min, 1)} to ${f(o.lecture.max, 1)}): the lecture's 27 is the middle of that spread, and this run's seed ${data.options.seed} draws ${f(naive.initLoss, 2)}. The kata page on the initial loss draws its own network with its own seed, hence its own figure.</p>`,
      ),
    )
  }
  return out
}

export const resultsPage = (data: ReportInput): PageDraft => {
  const V = data.corpus.vocabSize
  const runs = data.runs
  const best = runs.reduce<ExperimentRun | undefined>((b, r) => (b === undefined || r.val < b.val ? r : b), undefined)
  const rows = runs.map((r) => {
    const lecture = findExperiment(r.name)?.lecture ?? {}
    return [
      `${escapeHtml(r.name)}<br><small>${escapeHtml(titleOf(r.name))}</small>`,
      thousands(r.parameters),
      thousands(r.steps),
      f(r.initLoss, 4),
      lecture.initLoss === undefined ? '' : f(lecture.initLoss),
      f(r.train, 4),
      f(r.val, 4),
      lecture.val === undefined ? '' : f(lecture.val),
      `<span class="samples">${r.samples.map(escapeHtml).join(' ')}</span>`,
    ]
  })
  const dots = runs.flatMap((r) => {
    const lecture = findExperiment(r.name)?.lecture.val
    return [
      { experiment: r.name, measure: 'train', loss: r.train },
      { experiment: r.name, measure: 'val', loss: r.val },
      ...(lecture === undefined ? [] : [{ experiment: r.name, measure: 'lecture val', loss: lecture }]),
    ]
  })
  const note = data.options.full
    ? "This run trained the lecture's 200,000 steps (the deep nets stop at 1,000, as in the lecture)."
    : `This run trained ${thousands(data.options.steps)} steps per experiment (the deep nets at most 1,000); the lecture trained 200,000 on 32,033 names, so expect higher losses here.`
  return {
    file: 'results.html',
    nav: 'Results',
    title: "Results: the losses against the lecture's",
    headline:
      best === undefined
        ? 'no runs in this report'
        : `lowest validation loss ${f(best.val, 4)} (${best.name}) after ${thousands(best.steps)} steps${runOf(data, 'naive') !== undefined ? `; naive ${f(runOf(data, 'naive')?.val ?? NaN, 4)}` : ''}`,
    intro: `Each fix of the lecture in one line: the first loss (against ln ${V} = ${f(Math.log(V), 4)}), the loss on the training split, and on the validation split, next to the lecture's figures.`,
    blocks:
      runs.length === 0
        ? [html('<p>No runs in this report.</p>')]
        : [
            section(
              'The losses',
              `Look at the validation column: in the lecture each fix of the initialisation lowers it a little; on a short run the differences between the fixed nets are within the noise (see below). ${note}`,
            ),
            html(
              table(
                [
                  'experiment',
                  'parameters',
                  'steps',
                  'first loss',
                  "lecture's first loss",
                  'train',
                  'val',
                  "lecture's val",
                  'sampled names',
                ],
                rows,
                [1, 2, 3, 4, 5, 6, 7],
              ),
            ),
            chart(
              resultsSpec({
                title: 'train and validation loss per experiment',
                subtitle: "with the lecture's validation loss where it gives one",
                experiments: runs.map((r) => r.name),
                dots,
              }),
              "A gap between train and val is overfitting; a gap to the lecture's dot is mostly the shorter training and the smaller corpus.",
            ),
            ...whyBlocks(data),
          ],
  }
}

// ---------------------------------------------------------------------------------------------
// 7. Diagnose

const findingsTable = (findings: readonly Finding[]): string =>
  table(
    ['finding', 'where', 'measured', 'threshold', 'what it means', 'fix'],
    findings.map((x) => [
      `<span class="kind">${escapeHtml(x.kind)}</span><br>${escapeHtml(x.title)}`,
      escapeHtml(x.where),
      `${escapeHtml(x.evidence.measure)}: ${escapeHtml(formatEvidence(x.evidence.value))}`,
      `${x.evidence.comparison} ${escapeHtml(formatEvidence(x.evidence.threshold))}`,
      escapeHtml(x.message),
      escapeHtml(x.fix),
    ]),
  )

const formatEvidence = (x: number): string => (Math.abs(x) >= 0.01 || x === 0 ? x.toFixed(3) : x.toExponential(2))

/** The page section that explains each kind of finding. */
const EXPLAINED_AT: Readonly<Record<Finding['kind'], { readonly href: string; readonly text: string }>> = {
  'confidently-wrong': { href: 'initial-loss.html#establishing-a-theoretical-baseline', text: 'Initial loss' },
  saturated: { href: 'saturation.html#histogram-of-h', text: 'Saturation: the histogram of h' },
  'dead-units': { href: 'saturation.html#which-neurons-saturate-for-which-example', text: 'Saturation: the map' },
  vanishing: { href: 'kaiming.html#explode-vanish-or-preserved', text: 'Kaiming: explode, vanish, or preserved' },
  exploding: { href: 'kaiming.html#explode-vanish-or-preserved', text: 'Kaiming: explode, vanish, or preserved' },
  'lr-too-high': { href: 'instruments.html#the-update-data-ratio-of-both-nets', text: 'Instruments: update:data' },
  'lr-too-low': { href: 'instruments.html#the-update-data-ratio-of-both-nets', text: 'Instruments: update:data' },
  nan: { href: 'results.html#the-losses', text: 'Results' },
}

/** The chart that shows a finding: the loss, the histogram, the map, the std across depth or the ratio line. */
const evidenceChart = (run: ExperimentRun, x: Finding, lnV: number, threshold: number): Block | undefined => {
  const s = firstSnapshot(run)
  if (s === undefined) return undefined
  const layer = layerNamed(s.trace, x.where)
  switch (x.kind) {
    case 'confidently-wrong': {
      const n = Math.min(run.steps, 100)
      return chart(
        linesSpec({
          title: `${run.name}: loss over the first ${n} steps`,
          xTitle: 'step',
          yTitle: 'loss (nats)',
          series: [{ group: run.name, points: Array.from(run.history.loss.subarray(0, n), (y, i) => ({ x: i, y })) }],
          colors: [colorOf(run.name)],
          rules: [
            { y: lnV, label: `ln V = ${f(lnV)}`, labelBelow: true },
            { y: lnV + threshold, label: `threshold ln V + ${threshold}` },
          ],
          width: 460,
          height: 200,
        }),
        `The first loss, ${f(run.initLoss)}, against the ${f(lnV)} of a uniform guess.`,
      )
    }
    case 'saturated':
      return layer === undefined
        ? undefined
        : chart(
            histogramBarsSpec({
              title: `${run.name}: ${x.where} output at step 0`,
              xTitle: `${x.where} output`,
              series: [{ label: x.where, histogram: histogram(layer.out.data, { bins: 50, min: -1, max: 1 }) }],
              color: colorOf(x.where),
              width: 420,
            }),
            'The bars at −1 and +1 are the saturated units.',
          )
    case 'dead-units':
      return layer === undefined
        ? undefined
        : chart(
            saturationMapSpec({
              title: `${run.name}: |${x.where}| > ${SATURATION.map} at step 0`,
              map: saturationMap(layer.out, SATURATION.map, 32, Math.min(200, layer.out.shape[1] ?? 200)),
            }),
            'A column white from top to bottom is a dead unit.',
          )
    case 'vanishing':
    case 'exploding': {
      const hidden = s.trace.layers.filter((l) => l.kind === 'tanh' || l.kind === 'relu')
      const stats = (x.where === 'gradients' ? gradientStats(s.trace) : activationStats(s.trace)).filter((_, i) =>
        hidden.includes(s.trace.layers[i]),
      )
      return chart(
        linesSpec({
          title: `${run.name}: std of the ${x.where === 'gradients' ? 'gradient' : 'activation'} per layer at step 0`,
          xTitle: 'layer',
          yTitle: 'std (log scale)',
          yScale: 'log',
          series: [{ group: x.where, points: stats.map((t, k) => ({ x: k + 1, y: t.std })) }],
          points: true,
          integerX: true,
          width: 420,
          height: 200,
        }),
        'A healthy stack keeps one level; a slope is the finding.',
      )
    }
    case 'lr-too-high':
    case 'lr-too-low': {
      const h = run.history
      return chart(
        linesSpec({
          title: `${run.name}: update:data over training`,
          xTitle: 'step',
          yTitle: 'log10 update:data',
          series: h.weights.map((name, w) => ({
            group: name,
            points: downsample(h.updateToData[w], 300),
            endLabel: name.replace(/\.weight$/, ''),
          })),
          colors: h.weights.map(colorOf),
          band: { ...UPDATE_BAND, label: 'healthy' },
          width: 460,
          height: 220,
        }),
        'The hidden weights should sit inside the band around −3.',
      )
    }
    case 'nan':
      return undefined
  }
}

export const diagnosePage = (data: ReportInput): PageDraft => {
  const results = data.runs.map((r) => ({ run: r, findings: diagnoseRun(r) }))
  const sick = results.filter((x) => x.findings.length > 0)
  const healthy = results.length - sick.length
  const t = defaultThresholds
  return {
    file: 'diagnose.html',
    nav: 'Diagnose',
    title: 'Diagnose: what the instruments say about each run',
    headline:
      results.length === 0
        ? 'no runs in this report'
        : [
            ...sick.map((x) => `${x.run.name}: ${[...new Set(x.findings.map((y) => y.kind))].join(', ')}`),
            `${healthy} run${healthy === 1 ? '' : 's'} with no findings`,
          ].join('; '),
    intro:
      "The diagnosis reads each run's first snapshot (the network at initialisation, with its first loss) and its update:data ratios, and reports each problem with the chart that shows it, the threshold it crossed, a link to the section that explains it, and the lecture's fix.",
    blocks: [
      section(
        'Findings per run',
        "Look for runs with findings: each names the problem in the lecture's words, the measured figure, and what to change. A healthy run has none.",
      ),
      ...results.flatMap(({ run, findings }): Block[] => [
        html(
          `<h3 id="run-${run.name}">${escapeHtml(run.name)} <small>(${escapeHtml(titleOf(run.name))})</small></h3>\n` +
            (findings.length === 0 ? '<p class="healthy">No findings: a healthy run.</p>' : findingsTable(findings)),
        ),
        ...findings.flatMap((x): Block[] => {
          const where = EXPLAINED_AT[x.kind]
          const evidence = evidenceChart(run, x, Math.log(data.corpus.vocabSize), t.lossAboveUniform)
          return [
            html(
              `<p class="evidence"><span class="kind">${escapeHtml(x.kind)}</span> at ${escapeHtml(x.where)}: explained in <a href="${where.href}">${escapeHtml(where.text)}</a>.</p>`,
            ),
            ...(evidence === undefined ? [] : [evidence]),
          ]
        }),
      ]),
      section('The thresholds', "What counts as a finding, with the lecture's figures behind each threshold."),
      html(
        table(
          ['finding', 'flagged when', 'why there'],
          [
            [
              'confidently-wrong',
              `first loss > ln V + ${t.lossAboveUniform}`,
              "a uniform guess scores ln V; the lecture's naive net scores 27 against 3.29",
            ],
            [
              'saturated',
              `more than ${pct(t.saturatedShare, 0)} of a tanh layer beyond ±${t.saturationLevel}`,
              "the lecture's healthy deep net has under 5% in its deeper layers but 20% in its first",
            ],
            [
              'dead-units',
              `more than ${pct(t.deadShare, 0)} of a layer's units beyond ±${t.deadLevel} (tanh) or 0 (ReLU) for every example of the batch`,
              "a white column in the lecture's saturation map",
            ],
            [
              'vanishing / exploding',
              `the std of the deepest activation (or of the gradient at the first) changes by more than ${t.grow}× across the stack`,
              'repeated multiplication by weights too small or too large',
            ],
            [
              'lr-too-high / lr-too-low',
              `median log10 update:data of the hidden weights above ${t.updateHigh} or below ${t.updateLow}`,
              "the lecture's rule of thumb: about 10⁻³",
            ],
            [
              'nan',
              'any NaN or infinite value in the parameters, outputs, loss or gradients',
              'nothing after it means anything',
            ],
          ].map((r) => r.map(escapeHtml)),
        ),
      ),
    ],
  }
}

// ---------------------------------------------------------------------------------------------
// 8. The gain explorer

export const explorerPage = (data: ReportInput): PageDraft => {
  const d = explorerData(data.corpus.vocabSize, data.options.seed)
  const at = (gain: number) => d.layers.filter((l) => Math.abs(l.gain - gain) < 0.05)
  const lastOf = (gain: number) => {
    const ls = at(gain)
    return ls[ls.length - 1]
  }
  const g17 = lastOf(DEFAULT_GAIN),
    g05 = lastOf(0.5),
    g3 = lastOf(3)
  const maxSat3 = Math.max(...at(3).map((l) => l.saturated))
  return {
    file: 'gain-explorer.html',
    nav: 'Gain explorer',
    title: 'Beyond the lecture: drag the gain',
    headline: `at gain ${DEFAULT_GAIN} ≈ 5/3 the last tanh layer keeps std ${f(g17.std)}; at 0.5 it falls to ${f(g05.std, 3)}; at 3 up to ${pct(maxSat3, 0)} of a layer is saturated`,
    intro:
      "The lecture's deep tanh net at initialisation, for every Kaiming gain from 0.5 to 3: move the slider and watch the activations and gradients of the five tanh layers follow.",
    blocks: [
      section(
        'Activations and gradients as the gain moves',
        `Look for the gain where the five curves lie on top of each other: too small and the activations shrink layer after layer (std ${f(g05.std, 3)} at the last layer with gain 0.5), too large and they pile up at ±1 (${pct(g3.saturated, 0)} saturated at the last layer with gain 3).`,
      ),
      {
        kind: 'interactive',
        spec: explorerSpec(d),
        caption: `Computed once for gains 0.5, 0.6, …, 3.0 (seed ${data.options.seed}); the slider picks one. The axes stay put as the gain moves, so what changes is the net, not the scale. Kaiming's 5/3 ≈ 1.67 lies between 1.6 and 1.7.`,
      },
    ],
  }
}

// ---------------------------------------------------------------------------------------------

/** Every page of the report, in the lecture's order. */
export const buildPages = (data: ReportInput): PageDraft[] => [
  initialLossPage(data),
  saturationPage(data),
  kaimingPage(data),
  batchNormPage(data),
  instrumentsPage(data),
  resultsPage(data),
  diagnosePage(data),
  explorerPage(data),
]

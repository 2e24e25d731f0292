import { sampleBatch } from '../../model/data.ts'
import { findExperiment, type ExperimentName } from '../../model/experiments.ts'
import { seedRng } from '../../engine/random.ts'
import { sgdStep } from '../../model/train.ts'
import {
  hiddenWeights,
  movingAverage,
  symmetricRange,
  type Histogram as BinnedValues,
} from '../../instruments/diagnostics.ts'
import { densityLinesSpec, downsample, linesSpec } from '../../report/specs.ts'
import { escapeHtml, table } from '../../report/html.ts'
import { sentence, signed } from '../../engine/format.ts'
import { type KataPage, f, pct, html, chart, grid, section, code, traceOf, tanhLayersOf } from './shared.ts'

type K06 = import('../../../katas/06-instruments/types.ts').Kata

// ---------------------------------------------------------------------------------------------
// 06: the instrument panel

/** The learner's histogram in the shape lib/report's charts draw, over a shared x range. */
const asBinned = (
  h: { edges: readonly number[]; counts: readonly number[]; density: readonly number[] },
  range: { min: number; max: number },
): BinnedValues => {
  const total = h.counts.reduce((a, b) => a + b, 0)
  return {
    min: range.min,
    max: range.max,
    edges: Float64Array.from(h.edges),
    counts: Float64Array.from(h.counts),
    density: Float64Array.from(h.density),
    total,
    below: 0,
    above: 0,
    nonFinite: 0,
  }
}

export const page06: KataPage<K06> = {
  needs: [
    'histogram',
    'saturationFraction',
    'activationStats',
    'gradientStats',
    'gradToDataRatio',
    'updateToDataRatio',
    'judgeLearningRate',
  ],
  build: (m, ctx) => {
    const V = ctx.vocab.size
    const batch = ctx.batch(32, ctx.seed)
    const layersOf = (name: ExperimentName) => findExperiment(name)!.layers(V)
    const deep = traceOf(layersOf('deep-tanh'), ctx.seed, batch)
    const naive = traceOf(layersOf('naive'), ctx.seed, batch),
      fixedTanh = traceOf(layersOf('fix-tanh'), ctx.seed, batch)
    const acts = m.activationStats(deep.trace),
      gstats = m.gradientStats(deep.trace)
    const tanhs = tanhLayersOf(deep.trace)
    const actRange = symmetricRange(tanhs.map((l) => l.out.data)),
      gradRange = symmetricRange(tanhs.map((l) => l.grad.data))
    const hidden = hiddenWeights(deep.trace.layers)
    // update:data over 300 steps of SGD at lr 0.1 (lib's SGD; your ratio)
    const steps = 300,
      lr = 0.1
    const draw = sampleBatch(ctx.examples, 32)
    let state = { model: deep.model, step: 0 },
      s = seedRng(ctx.seed + 7)
    const ratios: number[][] = hidden.map(() => [])
    for (let step = 0; step < steps; step++) {
      const [b, next] = draw(s)
      s = next
      const before = state.model.params
      const r = sgdStep(state, b, lr)
      hidden.forEach((w, k) => ratios[k].push(m.updateToDataRatio(lr, r.trace.paramGrads[w], before[w])))
      state = r.state
    }
    const lastRatios = ratios.map((r) => r.slice(-50).reduce((a, b) => a + b, 0) / 50)
    const atInit = (rate: number) =>
      hidden.map((w) => m.updateToDataRatio(rate, deep.trace.paramGrads[w], deep.model.params[w]))
    const [naiveStats] = m.activationStats(naive.trace),
      [fixedStats] = m.activationStats(fixedTanh.trace)
    return {
      title: 'Kata 06: the instrument panel',
      headline: `${ctx.author}: the deep tanh net's layers have std ${f(Math.min(...acts.map((a) => a.std)))}–${f(Math.max(...acts.map((a) => a.std)))}, ${pct(Math.min(...acts.map((a) => a.saturated)))}–${pct(Math.max(...acts.map((a) => a.saturated)))} saturated; after ${steps} steps at lr ${lr}, log10 update:data settles near ${f(lastRatios.reduce((a, b) => a + b, 0) / lastRatios.length, 1)}, judged ${m.judgeLearningRate(lastRatios)}`,
      intro: `The lecture's instruments on its deep net (five Linear + tanh layers of 100, Kaiming init), every figure computed by ${ctx.author} in ${ctx.folder}.`,
      blocks: [
        section(
          'Forward pass: activation distribution',
          'Look for a thriving middle class: std about 0.65, a few percent saturated in the deeper layers.',
        ),
        grid(
          chart(
            densityLinesSpec({
              title: `tanh outputs at initialisation (${ctx.whose} histogram)`,
              xTitle: 'tanh output',
              series: tanhs.map((l, k) => ({
                label: `${l.name}: mean ${signed(acts[k].mean, 2)}, std ${f(acts[k].std)}, saturated ${pct(acts[k].saturated)}`,
                histogram: asBinned(m.histogram(l.out.data, 50), actRange),
              })),
            }),
            `Labels from ${ctx.whose} activationStats.`,
          ),
          chart(
            densityLinesSpec({
              title: `their gradients (${ctx.whose} histogram)`,
              xTitle: 'gradient of the tanh output',
              series: tanhs.map((l, k) => ({
                label: `${l.name}: mean ${gstats[k].mean.toExponential(1)}, std ${gstats[k].std.toExponential(2)}`,
                histogram: asBinned(m.histogram(l.grad.data, 50), gradRange),
              })),
            }),
            `Labels from ${ctx.whose} gradientStats. Healthy: the curves lie on top of each other.`,
          ),
        ),
        html(
          table(
            ['network (one hidden layer)', 'saturated (activationStats)', 'std', 'the lecture'],
            [
              ['naive init (W1 randn × 1)', pct(naiveStats.saturated), f(naiveStats.std), 'most units at ±1'],
              ['W1 × 0.2, b1 × 0.01', pct(fixedStats.saturated), f(fixedStats.std), 'under 5%, std about 0.65'],
            ],
            [1, 2],
          ),
        ),
        section(
          'Weights: grad:data',
          'Look at the last weight: the output layer starts small (× 0.1), so its gradient is large next to it.',
        ),
        html(
          table(
            ['weight', code('gradToDataRatio')],
            [...hidden, 'linear6.weight'].map((w) => [
              w,
              m.gradToDataRatio(deep.trace.paramGrads[w], deep.model.params[w]).toExponential(2),
            ]),
            [1],
          ),
        ),
        section(
          'The update:data ratio over training',
          `Look at where the lines settle: about −3 is healthy. ${steps} steps of SGD at learning rate ${lr}, each ratio from ${ctx.whose} updateToDataRatio.`,
        ),
        chart(
          linesSpec({
            title: 'log10 update:data of the hidden weights',
            xTitle: 'step',
            yTitle: 'log10 update:data',
            series: hidden.map((w, k) => ({
              group: `${w}: last 50 steps ${f(lastRatios[k])}`,
              points: downsample(movingAverage(ratios[k], 5), 300),
            })),
            rules: [{ y: -3, label: '1e-3 (log10 = −3)' }],
            width: 760,
            height: 260,
          }),
          `${sentence(ctx.whose)} judgeLearningRate on the last 50 steps: ${m.judgeLearningRate(lastRatios)}.`,
        ),
        html(
          table(
            ['learning rate', 'median log10 update:data at init', code('judgeLearningRate')],
            [1e-4, 0.1, 10].map((rate) => {
              const r = atInit(rate)
              return [`${rate}`, f([...r].sort((a, b) => a - b)[2]), escapeHtml(m.judgeLearningRate(r))]
            }),
            [0, 1],
          ),
        ),
      ],
    }
  },
}

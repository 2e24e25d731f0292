/**
 * Part 2's figures: tanh and its local gradient, the histograms of h and of its pre-activation at
 * step 0, and the lecture's saturation map, one per run.
 */
import type { ExperimentName, ExperimentRun } from '../../../model/experiments.ts'
import type { LayerTrace } from '../../../model/nn.ts'
import { tanh, tanhBackward } from '../../../engine/ops.ts'
import { vector } from '../../../engine/tensor.ts'
import {
  SATURATION,
  deadUnits,
  histogram,
  moments,
  saturationFraction,
  saturationMap,
  symmetricRange,
} from '../../../instruments/diagnostics.ts'
import { histogramBarsSpec, linesSpec, saturationMapSpec, type HistogramSeries } from '../../specs.ts'
import { fixed as f, percent as pct } from '../../../engine/format.ts'
import { chart, firstSnapshot, missing, runOf, type Block } from '../blocks.ts'
import type { PartFigures } from '../part.ts'

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

const satOf = (r: ExperimentRun) => saturationFraction(tanhOut(r)?.out.data ?? [], SATURATION.panel)

const NEEDS: ExperimentName[] = ['naive', 'fix-tanh']

const tanhCurve = (): Block => {
  const xs = vector(Array.from({ length: 161 }, (_, i) => -4 + i * 0.05))
  const t = tanh(xs),
    grad = tanhBackward(t, vector(Array.from({ length: 161 }, () => 1)))
  const curve = (values: Float64Array) => Array.from(xs.data, (x, i) => ({ x, y: values[i] }))
  return chart(
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
  )
}

const histograms = (pair: readonly ExperimentRun[]): Block[] => {
  if (pair.length === 0) return [missing('The histograms of h', NEEDS)]
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
      histogramBarsSpec({ title: 'h = tanh(hpreact) at step 0', xTitle: 'h (tanh output)', series: hs }),
      'Both panels share one count axis. Naive piles its outputs at −1 and +1, where the gradient is gone; ' +
        'the fixed net spreads them over the responsive middle.',
    ),
    chart(
      histogramBarsSpec({ title: 'hpreact (the input to tanh) at step 0', xTitle: 'hpreact', series: ps }),
      `Why: tanh is responsive only for inputs between about −2 and 2. The pre-activations reach ±${f(range.max, 1)} in this batch.`,
    ),
    ...(pair.length < 2 ? [missing('The comparison', NEEDS)] : []),
  ]
}

const maps = (pair: readonly ExperimentRun[]): Block[] =>
  pair.length === 0
    ? [missing('The saturation map', NEEDS)]
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
          `White: saturated (${pct(white / map.saturated.length)} of the cells). A column white from top to bottom is a dead unit: ` +
            `${r.name} has ${dead.length} of ${out.out.shape[1]} in this batch of ${out.out.shape[0]}.`,
        )
      })

export const saturation: PartFigures = (data) => {
  const naive = runOf(data, 'naive')
  const fixedName: ExperimentName | undefined =
    runOf(data, 'fix-tanh') !== undefined ? 'fix-tanh' : runOf(data, 'kaiming') !== undefined ? 'kaiming' : undefined
  const fixed = fixedName === undefined ? undefined : runOf(data, fixedName)
  const pair = [naive, fixed].filter((r): r is ExperimentRun => r !== undefined && tanhOut(r) !== undefined)
  return {
    headline:
      pair.length === 0
        ? 'tanh passes on only 1 − t² of the gradient: 2% at |t| = 0.99'
        : `${pct(satOf(pair[0]))} of ${pair[0].name}'s tanh outputs are beyond ±${SATURATION.panel} at step 0${pair
            .slice(1)
            .map((r) => `; ${r.name}: ${pct(satOf(r))}`)
            .join('')}`,
    values: {
      panel: SATURATION.panel,
      map: SATURATION.map,
      standIn:
        fixedName === 'kaiming'
          ? 'The fix-tanh run is not in this report, so the Kaiming run stands in for the fixed net.'
          : '',
    },
    figures: { tanhCurve: tanhCurve(), histograms: histograms(pair), maps: maps(pair) },
  }
}

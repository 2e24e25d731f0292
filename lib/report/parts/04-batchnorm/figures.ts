/**
 * Part 4's figures: the batchnorm run's pre-activations and BatchNorm's output at the first and the
 * last snapshot, and its running statistics creeping toward the batch's.
 */
import type { ExperimentRun } from '../../../model/experiments.ts'
import type { Snapshot } from '../../../model/train.ts'
import { mean, std } from '../../../engine/ops.ts'
import { histogram, moments, symmetricRange } from '../../../instruments/diagnostics.ts'
import {
  colorOf,
  densityLinesSpec,
  EMBEDDING_COLOR,
  maxDensity,
  linesSpec,
  type HistogramSeries,
  type LineSeries,
} from '../../specs.ts'
import { fixed as f, percent as pct, signed, thousands } from '../../../engine/format.ts'
import { chart, firstSnapshot, grid, html, lastSnapshot, layerNamed, missing, runOf, type Block } from '../blocks.ts'
import type { PartFigures } from '../part.ts'

/** The first few units whose running statistics are drawn. */
const UNITS = 4

interface Layers {
  readonly run: ExperimentRun
  readonly first: Snapshot
  readonly last: Snapshot
  readonly bnName: string
  readonly preName: string
  readonly momentum: number
}

const valuesAt = (s: Snapshot, name: string): Float64Array => layerNamed(s.trace, name)?.out.data ?? new Float64Array(0)

/** How far gamma and beta have moved from 1 and 0 by a snapshot: the network's own scale and shift. */
const movedBy = (s: Snapshot, bnName: string): string => {
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
  return (
    `After ${thousands(s.step)} steps gamma runs from ${range('gamma')} and beta from ${range('beta')} across the units ` +
    "(they start at 1 and 0): the network's own scale and shift on top of the standardised values."
  )
}

const beforeAfter = ({ first, last, bnName, preName }: Layers): Block => {
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
  const at = (s: Snapshot): Block =>
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
        : movedBy(s, bnName),
    )
  return grid(at(first), ...(last.step !== first.step ? [at(last)] : []))
}

/** The running statistics over the snapshots, for the first few units, beside the batch's. */
const running = ({ run, bnName, preName }: Layers): Block => {
  const snaps = run.history.snapshots
  if (snaps.length < 2)
    return html(
      '<div class="missing">The running statistics need snapshots at several steps; this run kept only one ' +
        '(run it through npm start, which keeps about ten).</div>',
    )
  const series = (which: 'mean' | 'std'): LineSeries[] =>
    Array.from({ length: UNITS }, (_, j) => j).flatMap((j) => [
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
  const spec = (which: 'mean' | 'std', title: string) =>
    linesSpec({
      title,
      subtitle: `bold: running estimate; faint: the batch ${which} at that step`,
      xTitle: 'step (0, then a log scale)',
      xScale: 'symlog',
      yTitle: which,
      series: series(which),
      points: true,
      legendColumns: UNITS,
    })
  return grid(
    chart(
      spec('mean', `${bnName}.runningMean of units 0–${UNITS - 1}`),
      'Each bold line starts at 0 and creeps toward the faint batch means of its unit.',
    ),
    chart(
      spec('std', `√${bnName}.runningVar of units 0–${UNITS - 1}`),
      "The running std starts at 1 and moves toward each unit's batch std (faint, same colour).",
    ),
  )
}

/** The batchnorm run's BatchNorm layer and the layer before it, when the run is in the report. */
const layersOf = (run: ExperimentRun | undefined): Layers | undefined => {
  const first = run === undefined ? undefined : firstSnapshot(run)
  const bnIndex = first === undefined ? -1 : first.trace.layers.findIndex((l) => l.kind === 'batchnorm')
  if (run === undefined || first === undefined || bnIndex < 1) return undefined
  const bnName = first.trace.layers[bnIndex].name
  const layerSpec = run.model.layers.find((l) => l.name === bnName)
  return {
    run,
    first,
    last: lastSnapshot(run) ?? first,
    bnName,
    preName: first.trace.layers[bnIndex - 1].name,
    momentum: layerSpec !== undefined && layerSpec.kind === 'batchnorm' ? layerSpec.momentum : NaN,
  }
}

export const batchNorm: PartFigures = (data) => {
  const l = layersOf(runOf(data, 'batchnorm'))
  if (l === undefined)
    return {
      headline: 'BatchNorm output has mean 0 and std 1 per unit (needs the batchnorm run)',
      when: { run: false },
      figures: { missing: missing('This page', ['batchnorm']), beforeAfter: [], running: [] },
    }
  const mp0 = moments(valuesAt(l.first, l.preName)),
    mb0 = moments(valuesAt(l.first, l.bnName))
  const steps = l.run.steps
  const covered = 1 - (1 - l.momentum) ** steps
  return {
    headline:
      `BatchNorm turns pre-activations of std ${f(mp0.std)} into outputs of mean ${signed(mb0.mean, 2)}, std ${f(mb0.std)}; ` +
      `after ${thousands(steps)} steps at momentum ${l.momentum} the running statistics have covered ${pct(covered, 0)} of the way`,
    when: { run: true },
    values: {
      preStd: f(mp0.std),
      momentum: l.momentum,
      momentumPct: pct(l.momentum, 1),
      steps: thousands(steps),
      stepsRaw: steps,
      covered: pct(covered, 1),
    },
    figures: { beforeAfter: beforeAfter(l), running: running(l), missing: [] },
  }
}

/**
 * Part 1's figures: the first loss of every run against ln V, softmax of good and extreme logits,
 * and the hockey stick of naive's loss curve beside the fixed net's.
 */
import type { ExperimentRun } from '../../../model/experiments.ts'
import { findExperiment } from '../../../model/experiments.ts'
import { softmax } from '../../../model/loss.ts'
import { matrix } from '../../../engine/tensor.ts'
import { learningRateWindow, moments, movingAverage } from '../../../instruments/diagnostics.ts'
import { colorOf, downsample, linesSpec, softmaxSpec, type LineSeries } from '../../specs.ts'
import { escapeHtml, table } from '../../html.ts'
import type { ReportInput } from '../../input.ts'
import { fixed as f, signed, thousands } from '../../../engine/format.ts'
import { chart, html, missing, runOf, type Block } from '../blocks.ts'
import type { PartFigures } from '../part.ts'

/** The loss per step (nats) as a faint raw curve and its moving average, at most 1,000 points each. */
/** The lecture's example logits: small and similar, then extreme. */
export const GOOD_LOGITS = [0.1, -0.2, 0.0, 0.3] as const
export const BAD_LOGITS = [0.1, -20.0, 15.0, -5.0] as const

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

const firstLosses = (data: ReportInput): Block => {
  const lnV = Math.log(data.corpus.vocabSize)
  const rows = data.runs.map((r) => [
    escapeHtml(r.name),
    f(r.initLoss, 4),
    f(lnV, 4),
    signed(r.initLoss - lnV, 4),
    ((x) => (x === undefined ? '' : f(x)))(findExperiment(r.name)?.lecture.initLoss),
  ])
  return html(
    data.runs.length === 0
      ? '<p>No runs in this report.</p>'
      : table(
          ['experiment', 'first loss', `ln ${data.corpus.vocabSize}`, 'difference', "lecture's first loss"],
          rows,
          [1, 2, 3, 4],
        ),
  )
}

const softmaxChart = (): Block => {
  const good = softmax(matrix([GOOD_LOGITS])).data,
    bad = softmax(matrix([BAD_LOGITS])).data
  const badLoss = -Math.log(bad[0])
  return chart(
    softmaxSpec({
      title: "softmax of good and extreme logits (the lecture's example)",
      cases: [
        { label: `good logits [${GOOD_LOGITS.join(', ')}]`, logits: [...GOOD_LOGITS], probs: Array.from(good) },
        { label: `extreme logits [${BAD_LOGITS.join(', ')}]`, logits: [...BAD_LOGITS], probs: Array.from(bad) },
      ],
    }),
    `With the extreme logits the network gives the option with logit 15 probability ${f(bad[2], 7)}; ` +
      `if the right answer were the option with logit 0.1 (probability ${bad[0].toExponential(1)}), ` +
      `its loss would be −ln p = ${f(badLoss)}, against ${f(-Math.log(good[0]))} with the good logits.`,
  )
}

const hockey = (data: ReportInput): Block[] => {
  const V = data.corpus.vocabSize,
    lnV = Math.log(V)
  const naive = runOf(data, 'naive'),
    fixed = runOf(data, 'fix-softmax')
  const curves = [naive, fixed].filter((r): r is ExperimentRun => r !== undefined)
  if (curves.length === 0) return [missing('The loss curves', ['naive', 'fix-softmax'])]
  const averaged = curves.some((r) => r.steps > 1000) ? ' (averaged over runs of steps to keep 1,000 points)' : ''
  return [
    chart(
      linesSpec({
        title: 'loss per step (nats, log scale), with its moving average',
        subtitle: `faint: each step's batch loss${averaged}; bold: moving average over ${Math.max(1, Math.round(curves[0].steps / 50))} steps`,
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
          const early = Math.min(r.steps - 1, 20)
          return `${r.name}: ${f(r.initLoss)} at step 0, ${f(r.history.loss[early])} at step ${early}, ${f(moments(tail).mean)} over the last 10% of steps.`
        })
        .join(' '),
    ),
    ...(fixed === undefined
      ? [missing('The fixed curve to compare with', ['fix-softmax'])]
      : naive === undefined
        ? [missing('The naive curve to compare with', ['naive'])]
        : []),
  ]
}

export const initialLoss: PartFigures = (data) => {
  const V = data.corpus.vocabSize,
    lnV = Math.log(V)
  const naive = runOf(data, 'naive'),
    fixed = runOf(data, 'fix-softmax')
  return {
    headline:
      naive !== undefined
        ? `naive starts at loss ${f(naive.initLoss)}, ${f(naive.initLoss / lnV, 1)}× the ln ${V} = ${f(lnV)} of a uniform guess` +
          (fixed !== undefined ? `; with the output layer fixed it starts at ${f(fixed.initLoss)}` : '')
        : `a network that knows nothing should start at ln ${V} = ${f(lnV, 4)}`,
    values: { V, lnV4: f(lnV, 4) },
    figures: { firstLosses: firstLosses(data), softmax: softmaxChart(), hockey: hockey(data) },
  }
}

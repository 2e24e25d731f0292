/**
 * Part 6's figures: the loss table against the lecture's, train and val per experiment, and the
 * figures behind the two explanations (BatchNorm behind Kaiming, naive's first loss).
 */
import type { ExperimentRun } from '../../../model/experiments.ts'
import { findExperiment } from '../../../model/experiments.ts'
import type { Trace } from '../../../model/nn.ts'
import { moments } from '../../../instruments/diagnostics.ts'
import { resultsSpec } from '../../specs.ts'
import { escapeHtml, table } from '../../html.ts'
import type { ReportInput } from '../../input.ts'
import { fixed as f, thousands } from '../../../engine/format.ts'
import { chart, firstSnapshot, html, runOf, titleOf, type Block } from '../blocks.ts'
import type { PartFigures } from '../part.ts'

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

const lossTable = (runs: readonly ExperimentRun[]): Block[] => {
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
  const header = ['experiment', 'parameters', 'steps', 'first loss', "lecture's first loss", 'train', 'val']
  return [
    html(table([...header, "lecture's val", 'sampled names'], rows, [1, 2, 3, 4, 5, 6, 7])),
    chart(
      resultsSpec({
        title: 'train and validation loss per experiment',
        subtitle: "with the lecture's validation loss where it gives one",
        experiments: runs.map((r) => r.name),
        dots,
      }),
      "A gap between train and val is overfitting; a gap to the lecture's dot is mostly the shorter training and the smaller corpus.",
    ),
  ]
}

/** The values of the two explanations, when their runs are in the report. */
const whyValues = (data: ReportInput): Record<string, string | number> => {
  const naive = runOf(data, 'naive'),
    kaiming = runOf(data, 'kaiming'),
    bn = runOf(data, 'batchnorm')
  const out: Record<string, string | number> = {}
  if (kaiming !== undefined && bn !== undefined)
    Object.assign(out, {
      bnTrain: f(bn.train, 4),
      kaimingTrain: f(kaiming.train, 4),
      bnVal: f(bn.val, 4),
      kaimingVal: f(kaiming.val, 4),
      bnSteps: thousands(bn.steps),
      lectureBnVal: f(findExperiment('batchnorm')?.lecture.val ?? NaN),
      lectureKaimingVal: f(findExperiment('kaiming')?.lecture.val ?? NaN),
      words: thousands(data.corpus.words),
      quarter: data.corpus.words < 32_033 ? ', a quarter of the lecture’s 32,033' : '',
      gap: f(bn.val - kaiming.val, 2),
    })
  if (naive !== undefined) {
    const first = firstSnapshot(naive)
    const losses = first === undefined ? [] : exampleLosses(first.trace)
    const m = moments(losses)
    const o = NAIVE_FIRST_LOSS_OVER_SEEDS
    Object.assign(out, {
      naiveFirst: f(naive.initLoss, 1),
      naiveFirst2: f(naive.initLoss, 2),
      examples: losses.length,
      lowest: f(Math.min(...losses), 1),
      highest: f(Math.max(...losses), 1),
      spread: f(m.std, 1),
      se: f(m.std / Math.sqrt(Math.max(1, losses.length)), 1),
      builtinMean: f(o.builtin.mean, 1),
      builtinMin: f(o.builtin.min, 1),
      builtinMax: f(o.builtin.max, 1),
      lectureMean: f(o.lecture.mean, 1),
      lectureMin: f(o.lecture.min, 1),
      lectureMax: f(o.lecture.max, 1),
      seed: data.options.seed,
    })
  }
  return out
}

export const results: PartFigures = (data) => {
  const V = data.corpus.vocabSize
  const runs = data.runs
  const best = runs.reduce<ExperimentRun | undefined>((b, r) => (b === undefined || r.val < b.val ? r : b), undefined)
  const naive = runOf(data, 'naive'),
    kaiming = runOf(data, 'kaiming'),
    bn = runOf(data, 'batchnorm')
  return {
    headline:
      best === undefined
        ? 'no runs in this report'
        : `lowest validation loss ${f(best.val, 4)} (${best.name}) after ${thousands(best.steps)} steps` +
          (naive !== undefined ? `; naive ${f(naive.val, 4)}` : ''),
    values: {
      V,
      lnV4: f(Math.log(V), 4),
      note: data.options.full
        ? "This run trained the lecture's 200,000 steps (the deep nets stop at 1,000, as in the lecture)."
        : `This run trained ${thousands(data.options.steps)} steps per experiment (the deep nets at most 1,000); ` +
          'the lecture trained 200,000 on 32,033 names, so expect higher losses here.',
      ...whyValues(data),
    },
    when: {
      runs: runs.length > 0,
      bnLoses: kaiming !== undefined && bn !== undefined && bn.val > kaiming.val,
      naive: naive !== undefined,
    },
    figures: {
      losses: lossTable(runs),
      noRuns: runs.length === 0 ? html('<p>No runs in this report.</p>') : [],
    },
  }
}

/**
 * Part 7's figures: each run's findings (diagnose() on its first snapshot and its update:data),
 * the chart that shows each, and the table of thresholds.
 */
import type { ExperimentRun } from '../../../model/experiments.ts'
import {
  SATURATION,
  activationStats,
  defaultThresholds,
  updateDataBand,
  diagnoseRun,
  gradientStats,
  histogram,
  saturationMap,
  type Finding,
} from '../../../instruments/diagnostics.ts'
import { colorOf, downsample, histogramBarsSpec, linesSpec, saturationMapSpec } from '../../specs.ts'
import { escapeHtml, table } from '../../html.ts'
import { fixed as f, percent as pct } from '../../../engine/format.ts'
import { chart, firstSnapshot, html, layerNamed, titleOf, type Block } from '../blocks.ts'
import type { Filling } from '../markdown.ts'
import type { PartFigures } from '../part.ts'

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
          band: { ...updateDataBand, label: 'healthy' },
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

const thresholds = (): Block => {
  const t = defaultThresholds
  return html(
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
  )
}

/** One run's heading values and its findings, each with a link to its explanation and its chart. */
const runFilling = (run: ExperimentRun, findings: readonly Finding[], lnV: number): Filling => ({
  values: { name: escapeHtml(run.name), title: escapeHtml(titleOf(run.name)) },
  figures: {
    findings: [
      html(findings.length === 0 ? '<p class="healthy">No findings: a healthy run.</p>' : findingsTable(findings)),
      ...findings.flatMap((x): Block[] => {
        const where = EXPLAINED_AT[x.kind]
        const evidence = evidenceChart(run, x, lnV, defaultThresholds.lossAboveUniform)
        return [
          html(
            `<p class="evidence"><span class="kind">${escapeHtml(x.kind)}</span> at ${escapeHtml(x.where)}: ` +
              `explained in <a href="${where.href}">${escapeHtml(where.text)}</a>.</p>`,
          ),
          ...(evidence === undefined ? [] : [evidence]),
        ]
      }),
    ],
  },
})

export const diagnose: PartFigures = (data) => {
  const results = data.runs.map((r) => ({ run: r, findings: diagnoseRun(r) }))
  const sick = results.filter((x) => x.findings.length > 0)
  const healthy = results.length - sick.length
  const lnV = Math.log(data.corpus.vocabSize)
  return {
    headline:
      results.length === 0
        ? 'no runs in this report'
        : [
            ...sick.map((x) => `${x.run.name}: ${[...new Set(x.findings.map((y) => y.kind))].join(', ')}`),
            `${healthy} run${healthy === 1 ? '' : 's'} with no findings`,
          ].join('; '),
    each: { run: results.map(({ run, findings }) => runFilling(run, findings, lnV)) },
    figures: { thresholds: thresholds() },
  }
}

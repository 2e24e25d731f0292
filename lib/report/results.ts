/**
 * What a run of the experiments reports: results.json and the loss table printed beside the
 * lecture's figures. Pure: runs in, text out.
 */
import type { SplitShuffle } from '../model/data.ts'
import { findExperiment, type ExperimentRun } from '../model/experiments.ts'

export interface CorpusInfo {
  readonly source: string
  readonly words: number
  readonly vocabSize: number
  readonly trainExamples: number
  readonly valExamples: number
  readonly testExamples: number
}

export interface ResultRow {
  readonly name: string
  readonly initLoss: number
  readonly train: number
  readonly val: number
  readonly steps: number
  readonly seconds: number
  readonly parameters: number
  readonly samples: readonly string[]
  readonly lecture: { readonly initLoss?: number; readonly val?: number }
}

export interface Results {
  readonly experiments: readonly ResultRow[]
  readonly expectedInitLoss: number
  readonly corpus: CorpusInfo
  readonly seed: number
  /** How the names were shuffled before the 80/10/10 cut. */
  readonly split: SplitShuffle
}

const round = (x: number, digits = 4): number => Number(x.toFixed(digits))

/** The content of results.json. */
export const toResults = (
  runs: readonly ExperimentRun[],
  corpus: CorpusInfo,
  seed: number,
  split: SplitShuffle = 'seeded',
): Results => ({
  experiments: runs.map((r) => ({
    name: r.name,
    initLoss: round(r.initLoss),
    train: round(r.train),
    val: round(r.val),
    steps: r.steps,
    seconds: round(r.seconds, 2),
    parameters: r.parameters,
    samples: r.samples,
    lecture: findExperiment(r.name)?.lecture ?? {},
  })),
  expectedInitLoss: round(Math.log(corpus.vocabSize)),
  corpus,
  seed,
  split,
})

const pad = (s: string, n: number, right = false): string => (right ? s.padStart(n) : s.padEnd(n))
const withLecture = (x: number, lecture: number | undefined, digits: number, lectureDigits: number): string =>
  lecture === undefined
    ? x.toFixed(digits)
    : `${x.toFixed(digits)} (${Number.isInteger(lecture) ? lecture : lecture.toFixed(lectureDigits)})`

/** The loss table, each figure next to the lecture's in parentheses. */
export const formatResultsTable = (results: Results): string => {
  const header = ['experiment', 'params', 'init loss (lecture)', 'train', 'val (lecture)', 'steps', 'time']
  const rows = results.experiments.map((r) => [
    r.name,
    r.parameters.toLocaleString('en'),
    withLecture(r.initLoss, r.lecture.initLoss, 3, 2),
    r.train.toFixed(4),
    withLecture(r.val, r.lecture.val, 4, 2),
    r.steps.toLocaleString('en'),
    `${r.seconds.toFixed(1)}s`,
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i], i > 0)).join('  ')
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `expected initial loss of a uniform guess: ln ${results.corpus.vocabSize} = ${results.expectedInitLoss.toFixed(4)}`,
  ].join('\n')
}

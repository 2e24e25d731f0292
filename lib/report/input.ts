/** What the reports are drawn from: the runs of `npm start`, the corpus they trained on, and the options. */
import type { SplitShuffle } from '../model/data.ts'
import type { ExperimentRun } from '../model/experiments.ts'

export interface ReportInput {
  readonly runs: readonly ExperimentRun[]
  readonly corpus: {
    readonly source: string
    readonly words: number
    readonly vocabSize: number
    readonly trainExamples: number
    readonly valExamples: number
    readonly testExamples: number
  }
  readonly options: {
    readonly steps: number
    readonly seed: number
    readonly split?: SplitShuffle
    readonly full: boolean
  }
}

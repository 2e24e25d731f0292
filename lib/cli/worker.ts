/**
 * A worker thread that runs one experiment and posts progress, then its result, to the parent.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { SplitShuffle } from '../model/data.ts'
import { findExperiment, prepareCorpus, runExperiment } from '../model/experiments.ts'
import { snapshotStepsFor } from '../model/experiments.ts'

export interface Job {
  readonly experiment: string
  readonly words: readonly string[]
  readonly seed: number
  readonly split: SplitShuffle
  readonly steps: number
}

export type WorkerMessage =
  | {
      readonly type: 'progress'
      readonly experiment: string
      readonly step: number
      readonly steps: number
      readonly loss: number
    }
  | { readonly type: 'done'; readonly run: import('../model/experiments.ts').ExperimentRun }
  | { readonly type: 'failed'; readonly experiment: string; readonly message: string }

const post = (m: WorkerMessage): void => parentPort?.postMessage(m)

const { job } = workerData as { job: Job }
const experiment = findExperiment(job.experiment)
if (experiment === undefined) {
  post({ type: 'failed', experiment: job.experiment, message: `unknown experiment ${job.experiment}` })
} else {
  try {
    const corpus = prepareCorpus(job.words, job.seed, job.split)
    let lastPost = 0
    const run = runExperiment(experiment, corpus, {
      steps: job.steps,
      seed: job.seed,
      snapshotSteps: snapshotStepsFor,
      onStep: (step, loss) => {
        const now = performance.now()
        if (now - lastPost > 100) {
          lastPost = now
          post({
            type: 'progress',
            experiment: job.experiment,
            step: step + 1,
            steps: Math.min(job.steps, experiment.maxSteps ?? Infinity),
            loss,
          })
        }
      },
    })
    post({ type: 'done', run })
  } catch (e) {
    post({ type: 'failed', experiment: job.experiment, message: e instanceof Error ? e.message : String(e) })
  }
}

/**
 * A worker thread that runs one experiment and posts progress, then its result, to the parent.
 * The corpus comes prepared: its example arrays live on SharedArrayBuffers the main thread filled
 * once, so no worker reads or splits the names again.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { findExperiment, runExperiment, snapshotStepsFor, type Corpus } from '../model/experiments.ts'

export interface Job {
  readonly experiment: string
  readonly corpus: Corpus
  readonly seed: number
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
  | { readonly type: 'evaluating'; readonly experiment: string; readonly done: number; readonly total: number }
  | { readonly type: 'done'; readonly run: import('../model/experiments.ts').ExperimentRun }
  | { readonly type: 'failed'; readonly experiment: string; readonly message: string }

const post = (m: WorkerMessage): void => parentPort?.postMessage(m)

const { job } = workerData as { job: Job }
const experiment = findExperiment(job.experiment)
if (experiment === undefined) {
  post({ type: 'failed', experiment: job.experiment, message: `unknown experiment ${job.experiment}` })
} else {
  try {
    let lastPost = 0
    const due = (): boolean => {
      const now = performance.now()
      if (now - lastPost <= 100) return false
      lastPost = now
      return true
    }
    const run = runExperiment(experiment, job.corpus, {
      steps: job.steps,
      seed: job.seed,
      snapshotSteps: snapshotStepsFor,
      onStep: (step, loss) => {
        if (due())
          post({
            type: 'progress',
            experiment: job.experiment,
            step: step + 1,
            steps: Math.min(job.steps, experiment.maxSteps ?? Infinity),
            loss,
          })
      },
      onEvaluate: (done, total) => {
        if (due()) post({ type: 'evaluating', experiment: job.experiment, done, total })
      },
    })
    post({ type: 'done', run })
  } catch (e) {
    post({ type: 'failed', experiment: job.experiment, message: e instanceof Error ? e.message : String(e) })
  }
}

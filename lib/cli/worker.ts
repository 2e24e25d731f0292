/**
 * A training worker thread: it waits for jobs from the parent and runs each, one at a time,
 * posting progress, then the result. The corpus comes prepared, once, with the worker: its example
 * arrays live on SharedArrayBuffers the main thread filled, so no worker reads or splits the names
 * again. The parent boots one worker per lane and ends it when the lane's jobs are done.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { findExperiment, runExperiment, snapshotStepsFor, type Corpus } from '../model/experiments.ts'

export interface Job {
  readonly experiment: string
  readonly seed: number
  readonly steps: number
}

/** What the parent sends: a job to run. */
export interface WorkerRequest {
  readonly type: 'run'
  readonly job: Job
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

const { corpus } = workerData as { corpus: Corpus }

const runJob = (job: Job): void => {
  const experiment = findExperiment(job.experiment)
  if (experiment === undefined) {
    post({ type: 'failed', experiment: job.experiment, message: `unknown experiment ${job.experiment}` })
    return
  }
  try {
    let lastPost = 0
    const due = (): boolean => {
      const now = performance.now()
      if (now - lastPost <= 100) return false
      lastPost = now
      return true
    }
    const run = runExperiment(experiment, corpus, {
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

parentPort?.on('message', (m: WorkerRequest) => {
  if (m.type === 'run') runJob(m.job)
})
